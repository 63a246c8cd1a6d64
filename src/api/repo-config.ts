// The repository's config file, `.sluice/config.json`: which ObjectStore and MetaStore hold the
// repository. Validated once here (zod); everything past this trusts it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import { InvalidConfigError, RepositoryNotFoundError } from '../common/errors.js';

export const SLUICE_DIR = '.sluice';
export const CONFIG_FILE = 'config.json';

export const RepoConfigSchema = z.object({
  version: z.literal(1),
  /** Repository name inside the MetaStore (a PostgreSQL database may hold several). */
  repository: z.string().min(1),
  /** `objects` (a folder inside .sluice), an absolute path, or `s3://bucket/prefix`. */
  storage: z.string().min(1),
  /** `sqlite` (meta.db inside .sluice) or a `postgres://` URL. */
  meta: z.string().min(1),
  /** S3-compatible endpoint, when not AWS itself. */
  s3Endpoint: z.string().url().optional(),
});

export type RepoConfig = z.infer<typeof RepoConfigSchema>;

export function configPath(repoDir: string): string {
  return join(repoDir, SLUICE_DIR, CONFIG_FILE);
}

export function readConfig(repoDir: string): RepoConfig {
  const file = configPath(repoDir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidConfigError(`cannot read ${file}: ${(err as Error).message}`, {
      file,
      reason: 'unreadable',
    });
  }
  const parsed = RepoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new InvalidConfigError(`${file}: ${where}: ${issue?.message}`, {
      file,
      reason: `${where}: ${issue?.message}`,
    });
  }
  return parsed.data;
}

/** The repository directory: `explicit`, else $SLUICE_REPO, else the nearest parent with `.sluice/`. */
export function findRepoDir(explicit: string | undefined, cwd = process.cwd()): string {
  const given = explicit ?? process.env.SLUICE_REPO;
  if (given) {
    const dir = resolve(cwd, given);
    if (!existsSync(configPath(dir))) {
      throw new RepositoryNotFoundError(
        `${dir} is not a sluice repository (no ${SLUICE_DIR}/${CONFIG_FILE})`,
        {
          repository: dir,
        },
      );
    }
    return dir;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(configPath(dir))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new RepositoryNotFoundError(
    `not inside a sluice repository (searched ${resolve(cwd)} and its parents); run \`sluice init\` or pass --repo`,
    { repository: resolve(cwd) },
  );
}
