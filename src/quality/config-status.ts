// What a repository enforces (`sluice config show`): the rules it publishes on its default branch
// — their files, gates and checks, and the commit that published them — and what the working
// directory adds to them: its own gates (joined with the published ones, never weakening them:
// the local fields that would are listed, as ignored) and its check files' checks that the
// published ones do not hold. Whether `config push` would change anything is said too.
import { sluiceYmlOf } from '../common/sluice-yml.js';
import type { Commit } from '../core/commit-codec.js';
import { hashBody } from '../core/object-io.js';
import type { Repository } from '../core/repository.js';
import { configFilesOf } from './config-push.js';
import { joinSpecs } from './gate-checks.js';
import { type GateRule, loadProjectConfig } from './gate-config.js';
import { type Weakening, weakenings } from './gate-rules.js';
import { Gates, gatesOf } from './gates.js';
import { CONFIG_DIR } from './published-config.js';
import { loadSpecs } from './spec.js';

/** A check, as config show names it. */
export interface CheckRef {
  id: string;
  name: string;
  table: string;
  file: string;
}

export interface ConfigStatus {
  /** The default branch, and the head the published rules were read at. */
  branch: string;
  head: string;
  published: {
    /** The commit that last changed `_sluice/config/` (absent: nothing was ever published). */
    commit?: { id: string; message: string; committer: string; createdAt: string; actor?: string };
    /** The published files, relative to `_sluice/config/`. */
    files: string[];
    gates: GateRule[];
    checks: CheckRef[];
  };
  /** What the working directory adds (absent: no working directory was given). */
  local?: {
    /** Its sluice.yml, when it has one. */
    file?: string;
    gates: GateRule[];
    /** Its gates that are not published as they are (joined with the published ones). */
    addedGates: GateRule[];
    /** Its checks that the published ones do not hold: they run in its gates too. */
    addedChecks: CheckRef[];
    /** Where its sluice.yml says less than the published rules (ignored). */
    weakenings: Weakening[];
    /** Would `config push` from it change what is published? (undefined: it has no sluice.yml) */
    differs?: boolean;
  };
}

const checkRef = (s: {
  id: string;
  name: string;
  table: string;
  source: { file: string };
}): CheckRef => ({ id: s.id, name: s.name, table: s.table, file: s.source.file });

/** The commit that last changed `_sluice/config/` on the default branch (first parents). */
async function publishingCommit(repo: Repository, head: string): Promise<Commit | undefined> {
  for await (const c of repo.log(head, { path: CONFIG_DIR, limit: 1, firstParent: true })) return c;
  return undefined;
}

/** What `repo` enforces, and (with `dir`) what that working directory adds. */
export async function configStatus(repo: Repository, dir?: string): Promise<ConfigStatus> {
  const gates = gatesOf(repo) ?? Gates.install(repo);
  const published = await gates.published();
  const publishedSpecs = await published.specs();
  const commit =
    published.files.size > 0 ? await publishingCommit(repo, published.head) : undefined;
  const status: ConfigStatus = {
    branch: published.branch,
    head: published.head,
    published: {
      ...(commit
        ? {
            commit: {
              id: commit.id,
              message: commit.message,
              committer: commit.committer,
              createdAt: commit.createdAt.toISOString(),
              ...(commit.metadata['sluice.config.actor']
                ? { actor: commit.metadata['sluice.config.actor'] }
                : {}),
            },
          }
        : {}),
      files: [...published.files.keys()],
      gates: published.gates,
      checks: publishedSpecs.map(checkRef),
    },
  };
  if (dir === undefined) return status;
  const config = sluiceYmlOf(dir) === undefined ? undefined : loadProjectConfig(dir);
  const joined = joinSpecs(publishedSpecs, loadSpecs(dir));
  const localGates = config?.gates ?? [];
  status.local = {
    ...(config?.file ? { file: config.file } : {}),
    gates: localGates,
    addedGates: localGates.filter(
      (g) => !published.gates.some((p) => JSON.stringify(p) === JSON.stringify(g)),
    ),
    addedChecks: joined.slice(publishedSpecs.length).map(checkRef),
    weakenings: weakenings(
      { where: 'published', gates: published.gates },
      { where: 'sluice.yml', gates: localGates },
    ),
  };
  if (config) {
    const files = configFilesOf(dir);
    let differs = files.size !== published.files.size;
    for (const [name, bytes] of files) {
      const e = published.files.get(name);
      if (!e || (await hashBody(bytes)).address !== e.address) differs = true;
    }
    status.local.differs = differs;
  }
  return status;
}
