// The shared pieces of strict configuration: "did you mean", the unknown-key walk with dbt's keys
// noted for one warning, and sluice.yml's sections.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ignoredKeysWarning, noteIgnoredKey, withConfigNotices } from './config-notices.js';
import { parseConfig, unknownKeyMessage } from './config-schema.js';
import { InvalidConfigError } from './errors.js';
import { checkKeys, type KeySpec } from './key-check.js';
import { editDistance, nearest } from './nearest.js';
import { checkSluiceYmlSections } from './sluice-yml.js';
import { type FailAt, readYamlText } from './yaml-file.js';

const failAt =
  (file: string): FailAt =>
  (line, field, reason) => {
    throw new InvalidConfigError(`${file}:${line}: ${field ? `${field}: ` : ''}${reason}`, {
      file,
      line,
      reason,
    });
  };
const yaml = (text: string, file = 'f.yml') => readYamlText(text, file, failAt(file));

describe('nearest', () => {
  it('counts a swap of neighbouring letters as one slip', () => {
    expect(editDistance('mni', 'min')).toBe(1);
    expect(editDistance('shedule', 'schedule')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('suggests only what is near enough to be a slip', () => {
    expect(nearest('colums', ['name', 'columns', 'tests'])).toBe('columns');
    expect(nearest('Gate', ['gates', 'name'])).toBe('gates');
    expect(nearest('zzzzzz', ['gates', 'name'])).toBeUndefined();
  });

  it('names a synonym before a near word, else the known keys', () => {
    expect(unknownKeyMessage('branches', ['gates', 'name'], { branches: 'gates' })).toBe(
      'unknown key `branches`; did you mean `gates`?',
    );
    expect(unknownKeyMessage('qqq', ['a', 'b'])).toBe('unknown key `qqq` (known here: a, b)');
  });
});

describe('parseConfig', () => {
  const schema = z.object({ alerts: z.array(z.object({ name: z.string() }).strict()) }).strict();

  it('reports an unknown key at its own line, with the nearest known key', () => {
    const y = yaml('alerts:\n  - name: a\n    nmae: b\n');
    expect(() => parseConfig(schema, y, y.value, [], failAt('f.yml'))).toThrow(
      'f.yml:3: alerts[0].nmae: unknown key `nmae`; did you mean `name`?',
    );
  });

  it('prefers the unknown key to the "required" it causes', () => {
    const y = yaml('alerts:\n  - nmae: b\n');
    expect(() => parseConfig(schema, y, y.value, [], failAt('f.yml'))).toThrow(/nmae/);
  });
});

describe('checkKeys', () => {
  const spec: KeySpec = {
    used: ['models'],
    dbt: ['macros'],
    children: { models: { list: { used: ['name', 'columns'], dbt: ['meta'] } } },
  };

  it('refuses an unknown key with its line and field, notes a dbt key, passes a used one', async () => {
    const noted: unknown[] = [];
    await withConfigNotices(
      async () => {
        const ok = yaml('models:\n  - name: a\n    meta: {x: 1}\nmacros: []\n');
        checkKeys(ok, ok.value, [], spec, failAt('f.yml'));
        const bad = yaml('models:\n  - name: a\n    colums: []\n');
        expect(() => checkKeys(bad, bad.value, [], spec, failAt('f.yml'))).toThrow(
          'f.yml:3: models[0].colums: unknown key `colums`; did you mean `columns`?',
        );
      },
      (ignored) => noted.push(...ignored),
    );
    expect(noted).toEqual([
      { file: 'f.yml', line: 3, key: 'models[0].meta' },
      { file: 'f.yml', line: 4, key: 'macros' },
    ]);
  });
});

describe('config notices', () => {
  it('are kept per scope, once per key, and dropped outside any scope', async () => {
    noteIgnoredKey({ file: 'x', line: 1, key: 'k' }); // no scope: nothing to report to
    const seen: string[][] = [];
    const one = withConfigNotices(
      async () => {
        noteIgnoredKey({ file: 'a.yml', line: 2, key: 'profile' });
        await new Promise((r) => setTimeout(r, 5));
        noteIgnoredKey({ file: 'a.yml', line: 2, key: 'profile' });
      },
      (ig) => seen.push(ig.map((k) => k.key)),
    );
    const two = withConfigNotices(
      async () => noteIgnoredKey({ file: 'b.yml', line: 1, key: 'meta' }),
      (ig) => seen.push(ig.map((k) => k.key)),
    );
    await Promise.all([one, two]);
    expect(seen.sort()).toEqual([['meta'], ['profile']]);
    expect(ignoredKeysWarning([{ file: 'a.yml', line: 2, key: 'profile' }])).toBe(
      'dbt keys Sluice does not use yet were ignored: a.yml:2 `profile`',
    );
  });
});

describe("sluice.yml's sections", () => {
  it('refuses a key no layer reads, suggesting the section meant', () => {
    const y = yaml('name: shop\nbranches:\n  protect: [main]\n', 'sluice.yml');
    expect(() => checkSluiceYmlSections(y, failAt('sluice.yml'))).toThrow(
      'sluice.yml:2: branches: unknown key `branches`; did you mean `gates`?',
    );
    const ok = yaml('name: shop\ngates: []\ningestors: []\n', 'sluice.yml');
    expect(() => checkSluiceYmlSections(ok, failAt('sluice.yml'))).not.toThrow();
  });
});
