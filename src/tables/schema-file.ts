// `sluice ingest --schema FILE`: the columns a user declares for a table, in YAML (which reads
// JSON too) — `{columns: [{name, type}]}` or `{columns: {name: type}}`. Read like every other file
// a user writes: with line numbers (common/yaml-file.ts), validated with zod, an unknown key named
// with the nearest known one; every problem an InvalidConfigError naming the file and line.
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { configFailAt, parseConfig } from '../common/config-schema.js';
import { errorLine } from '../common/error-line.js';
import { FileNotFoundError, InvalidConfigError } from '../common/errors.js';
import { readYamlText } from '../common/yaml-file.js';
import type { Column } from '../engine/tables.js';

const ColumnEntry = z.object({ name: z.string().min(1), type: z.string().min(1) }).strict();
const SchemaFile = z
  .object({
    columns: z.union([
      z.array(ColumnEntry).min(1, 'no columns'),
      z
        .record(z.string().min(1), z.string().min(1))
        .refine((r) => Object.keys(r).length > 0, 'no columns'),
    ]),
  })
  .strict();

const SHAPE = 'expected {columns: [{name, type}]} or {columns: {name: type}}';

/** The columns `file` declares; its problems are InvalidConfigError `file:line: …`. */
export async function readSchemaFile(file: string): Promise<Column[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new FileNotFoundError(`${file}: no such file or directory`, { file });
    throw new InvalidConfigError(`${file}: cannot read it: ${errorLine(err)}`, {
      file,
      reason: code ?? 'unreadable',
    });
  }
  const fail = configFailAt(file);
  const y = readYamlText(text, file, fail);
  if (y.value === null || typeof y.value !== 'object' || Array.isArray(y.value)) fail(1, '', SHAPE);
  const parsed = parseConfig(SchemaFile, y, y.value, [], (line, field, reason) =>
    fail(line, field, `${reason} — ${SHAPE}`),
  );
  const columns = Array.isArray(parsed.columns)
    ? parsed.columns
    : Object.entries(parsed.columns).map(([name, type]) => ({ name, type }));
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name))
      fail(
        y.lineAt(['columns', Array.isArray(parsed.columns) ? i : c.name]),
        'columns',
        `column ${c.name} is declared twice`,
      );
    seen.add(c.name);
  });
  return columns;
}
