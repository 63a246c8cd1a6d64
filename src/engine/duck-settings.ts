// DuckDB's resources: its memory limit, worker threads and spill directory. The memory limit
// follows the machine — a fraction of its memory (or of the container's limit, when lower) —
// unless `sluice.yml` says otherwise:
//
//   duckdb:
//     memory_limit: 50%        # or a size: 4GB, 512MB, 2GiB
//     threads: 4
//     temp_directory: /scratch/sluice   # where DuckDB spills beyond the limit (relative: to the repository)
//
// and a caller (the CLI's `--memory-limit`) overrides both for one operation. Beyond the limit
// DuckDB spills to the temp directory instead of failing, for the operators that can (sorts,
// joins, aggregates); the rest of Sluice's work is shaped to stay far below it (batched scans).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { configFailAt, parseConfig } from '../common/config-schema.js';
import { checkSluiceYmlSections, sluiceYmlOf } from '../common/sluice-yml.js';
import { readYamlText } from '../common/yaml-file.js';
import type { DuckOptions } from './duckdb.js';
import { parseMemoryLimit, SIZE_HINT } from './memory-limit.js';

const memoryLimit = z.string().refine((s) => !('reason' in parseMemoryLimit(s)), {
  message: `expected ${SIZE_HINT} (at least 64MiB)`,
});

/** The `duckdb:` section of sluice.yml. */
export const DuckSettingsSchema = z
  .object({
    memory_limit: memoryLimit.optional(),
    threads: z.number().int().min(1).optional(),
    temp_directory: z.string().min(1).optional(),
  })
  .strict();

/** Keys users plausibly write for the section's own (DuckDB's `SET` names, dbt-duckdb's). */
const SYNONYMS: Readonly<Record<string, string>> = {
  memory: 'memory_limit',
  max_memory: 'memory_limit',
  memory_limit_bytes: 'memory_limit',
  worker_threads: 'threads',
  temp_dir: 'temp_directory',
  spill_directory: 'temp_directory',
  spill: 'temp_directory',
};

/**
 * The `duckdb:` section of `dir`'s sluice.yml as DuckOptions (a relative temp directory is the
 * repository's); undefined without the file or the section. InvalidConfigError, at the line, for
 * an unknown key or a value that cannot be used.
 */
export function loadDuckSettings(dir: string): DuckOptions | undefined {
  const name = sluiceYmlOf(dir);
  if (!name) return undefined;
  const fail = configFailAt(name);
  const y = readYamlText(readFileSync(join(dir, name), 'utf8'), name, fail);
  checkSluiceYmlSections(y, fail);
  const raw = (y.value as { duckdb?: unknown } | undefined)?.duckdb;
  if (raw === undefined || raw === null) return undefined;
  const s = parseConfig(DuckSettingsSchema, y, raw, ['duckdb'], fail, { synonyms: SYNONYMS });
  return {
    ...(s.memory_limit !== undefined ? { memoryLimit: s.memory_limit } : {}),
    ...(s.threads !== undefined ? { threads: s.threads } : {}),
    ...(s.temp_directory !== undefined ? { tempDir: resolve(dir, s.temp_directory) } : {}),
  };
}
