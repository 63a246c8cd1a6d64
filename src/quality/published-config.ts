// The rules a repository publishes: committed files under `_sluice/config/` on its default branch
// (as lakeFS keeps `_lakefs_actions/` on the branch) — `sluice.yml` with the repository-wide
// sections (`gates:`), and the check files those gates run under `checks/` and `models/`, at the
// paths they have in a project. Every client of the same stores reads the same files, so every
// client enforces the same rules; they are versioned, diffable and revertible like the data, and
// a change to them is a commit on the default branch (made by `config push` only: gates.ts).
//
// Read from the default branch's head commit (its committed tree, never its staging area). The
// parsed rules are kept per file content: a new head whose files did not change costs a lookup,
// not a re-parse. Parsers (yaml, zod, the check specs) load only when a file exists.
import type { CommitId } from '../common/ids.js';
import type { TreeEntry } from '../core/entry.js';
import { readVerified } from '../core/object-io.js';
import type { Repository } from '../core/repository.js';
import { scan } from '../core/tree-reader.js';
import type { GateRule } from './gate-config.js';
import type { CheckSpec } from './spec.js';

/** Where the published rules live on the default branch: only `config push` writes here. */
export const CONFIG_DIR = '_sluice/config/';
/** The published sluice.yml (its repository-wide sections), relative to CONFIG_DIR. */
export const CONFIG_YML = 'sluice.yml';
/** The folders of check files, relative to CONFIG_DIR as in a project directory (loadSpecs). */
export const CHECK_FOLDERS = ['checks/', 'models/'] as const;

/**
 * Does a write of `path` touch the published rules: a path under `_sluice/config/` (or the folder
 * itself), or — `recursive`, a delete of everything under it — a folder that holds it?
 */
export function isReservedPath(path: string, recursive = false): boolean {
  const dir = CONFIG_DIR.slice(0, -1);
  return path === dir || path.startsWith(CONFIG_DIR) || (recursive && dir.startsWith(`${path}/`));
}

/** Is `name` (relative to CONFIG_DIR) a check file? */
export function isCheckFile(name: string): boolean {
  return CHECK_FOLDERS.some((f) => name.startsWith(f)) && /\.ya?ml$/i.test(name);
}

/** The rules a repository publishes, as read at one commit of its default branch. */
export interface PublishedConfig {
  /** The default branch, and the head commit the files were read at. */
  branch: string;
  head: CommitId;
  /** The files under CONFIG_DIR, by path relative to it, in key order. */
  files: ReadonlyMap<string, TreeEntry>;
  /** The published gates (none when no sluice.yml is published). */
  gates: GateRule[];
  /** The published check files' specs, parsed on first use. */
  specs(): Promise<CheckSpec[]>;
}

/** How messages name a published file: `main:_sluice/config/checks/orders.yml`. */
export const publishedName = (branch: string, name: string): string =>
  `${branch}:${CONFIG_DIR}${name}`;

/** The files under CONFIG_DIR at a commit, by path relative to it. */
export async function publishedFiles(
  repo: Repository,
  commit: CommitId,
): Promise<Map<string, TreeEntry>> {
  const { tree } = await repo.ctx.commits.get(commit);
  const files = new Map<string, TreeEntry>();
  for await (const e of scan(repo.ctx.nodes, tree, { prefix: CONFIG_DIR }))
    files.set(e.path.slice(CONFIG_DIR.length), e);
  return files;
}

/** A published file's text (its bytes verified against its address). */
export async function publishedText(repo: Repository, entry: TreeEntry): Promise<string> {
  return Buffer.from(await readVerified(repo.store, entry)).toString('utf8');
}

/** The same files, with the same contents? */
const sameFiles = (a: ReadonlyMap<string, TreeEntry>, b: ReadonlyMap<string, TreeEntry>): boolean =>
  a.size === b.size && [...a].every(([k, e]) => b.get(k)?.address === e.address);

/**
 * The rules published at `head` of the default branch `branch`. `previous` (read at an earlier
 * head) is reused when the files are the same: a new head costs a tree lookup, not a re-parse.
 * A published file that does not parse throws (InvalidConfigError, CheckSpecError) — writes are
 * then refused rather than let through unchecked.
 */
export async function readPublished(
  repo: Repository,
  branch: string,
  head: CommitId,
  previous?: PublishedConfig,
): Promise<PublishedConfig> {
  const files = await publishedFiles(repo, head);
  if (previous && sameFiles(previous.files, files)) return { ...previous, head };
  const yml = files.get(CONFIG_YML);
  let gates: GateRule[] = [];
  if (yml) {
    const { parseGatesConfig } = await import('./gate-config.js');
    gates = parseGatesConfig(
      await publishedText(repo, yml),
      publishedName(branch, CONFIG_YML),
    ).gates;
  }
  let specs: Promise<CheckSpec[]> | undefined;
  return {
    branch,
    head,
    files,
    gates,
    specs() {
      specs ??= parsePublishedSpecs(repo, branch, files);
      return specs;
    },
  };
}

async function parsePublishedSpecs(
  repo: Repository,
  branch: string,
  files: ReadonlyMap<string, TreeEntry>,
): Promise<CheckSpec[]> {
  const checkFiles = [...files].filter(([name]) => isCheckFile(name));
  if (checkFiles.length === 0) return [];
  const { parseSpecFiles } = await import('./spec.js');
  const texts = await Promise.all(
    checkFiles.map(async ([name, e]) => ({
      file: publishedName(branch, name),
      text: await publishedText(repo, e),
    })),
  );
  return parseSpecFiles(texts);
}
