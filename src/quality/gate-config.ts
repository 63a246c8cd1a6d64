// The `gates:` section of sluice.yml, read and validated (zod, with the file's lines): from a
// working directory's sluice.yml, and from the text the repository publishes in
// `_sluice/config/sluice.yml`. Also what `config push` publishes of a sluice.yml: its
// repository-wide sections only, comments kept. Loaded only when a file with rules exists — the
// write policy every openRepository installs does not pay for zod and yaml otherwise.
//
//   gates:
//     - branch: main                 # a pattern: `*` matches any characters (production*)
//       protected: true              # no direct writes, commits, resets: merges only (default)
//       checks: true                 # run the checks on the merged result first (default)
//       webhooks:                    # each must answer 2xx in time, or the merge is refused
//         - url: http://ci.internal/sluice-gate
//           timeout: 10s
//       allow_force: false           # may `merge --force` override failed checks? (recorded)
//     - branch: "dev/*"
//       protected: false
//       pre_commit: true             # run the checks of changed tables before each commit
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { configFailAt, parseConfig } from '../common/config-schema.js';
import { headers, httpUrl } from '../common/http-fields.js';
import { checkSluiceYmlSections, sluiceYmlOf } from '../common/sluice-yml.js';
import { readYamlText } from '../common/yaml-file.js';

const duration = z
  .string()
  .regex(/^\d+(ms|s|m)$/, 'a duration such as 500ms, 10s or 1m')
  .transform((s) => {
    const n = Number.parseInt(s, 10);
    return s.endsWith('ms') ? n : s.endsWith('m') ? n * 60_000 : n * 1000;
  });

const GateRuleSchema = z
  .object({
    branch: z.string().min(1),
    protected: z.boolean().default(true),
    checks: z.boolean().default(true),
    pre_commit: z.boolean().default(false),
    webhooks: z
      .array(
        z
          .object({
            url: httpUrl,
            timeout: duration.default(10_000),
            headers: headers.optional(),
          })
          .strict(),
      )
      .default([]),
    allow_force: z.boolean().default(false),
  })
  .strict();
export type GateRule = z.infer<typeof GateRuleSchema>;

/** `sluice.yml`: the section this layer reads (other layers read theirs). */
export interface ProjectConfig {
  gates: GateRule[];
}

const GatesSchema = z.array(GateRuleSchema).default([]);

/**
 * The sections of sluice.yml that hold for every client of a repository, and so are what
 * `config push` publishes: the gates. The others describe one working directory's project and
 * runs (a project's name and paths, its ingestors, environments, alerts and schedule).
 */
export const REPOSITORY_SECTIONS = ['gates'] as const;

/**
 * Parses the text of a sluice.yml (named `file` in messages): its top level against every
 * layer's sections (sluice-yml.ts), then `gates:`. Every problem is an InvalidConfigError with
 * the file's line.
 */
export function parseGatesConfig(text: string, file: string): ProjectConfig {
  const fail = configFailAt(file);
  const y = readYamlText(text, file, fail);
  checkSluiceYmlSections(y, fail);
  const raw = (y.value as { gates?: unknown } | undefined)?.gates ?? undefined;
  const gates = parseConfig(GatesSchema, y, raw === null ? undefined : raw, ['gates'], fail);
  return { gates };
}

/**
 * Reads `gates:` of `sluice.yml` (or `.yaml`) in a project directory; none is an empty config.
 * The file's top level is checked against every layer's sections first (sluice-yml.ts).
 */
export function loadProjectConfig(dir: string): ProjectConfig & { file?: string } {
  const name = sluiceYmlOf(dir);
  if (!name) return { gates: [] };
  const { gates } = parseGatesConfig(readFileSync(join(dir, name), 'utf8'), name);
  return { gates, file: join(dir, name) };
}

/**
 * What `config push` publishes of a sluice.yml's text: the document with only its
 * repository-wide sections (comments and layout kept), validated first — a file that does not
 * parse is refused with its line, and nothing is published.
 */
export function repositorySectionsOf(text: string, file: string): string {
  parseGatesConfig(text, file);
  const y = readYamlText(text, file, configFailAt(file));
  const doc = y.doc;
  const value = y.value as Record<string, unknown> | undefined;
  for (const key of Object.keys(value ?? {}))
    if (!(REPOSITORY_SECTIONS as readonly string[]).includes(key)) doc.delete(key);
  return value &&
    Object.keys(value).some((k) => (REPOSITORY_SECTIONS as readonly string[]).includes(k))
    ? doc.toString()
    : '';
}
