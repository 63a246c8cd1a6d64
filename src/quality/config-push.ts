// `config push`: publishes a working directory's rules — the repository-wide sections of its
// sluice.yml and the check files under checks/ and models/ — as the files under `_sluice/config/`
// on the default branch, where every client reads them (published-config.ts). In phases:
//
//   1. collect — read and validate the directory's files (configFilesOf): a file that does not
//      parse is refused with its line, before anything is written;
//   2. compare — with what the default branch's head publishes: the same files write nothing;
//   3. write — on a branch of its own (`config/<id>`) from that head: the changed files, the
//      removed ones, one commit with the attested metadata of a rules change;
//   4. publish — merged into the default branch through its gate, so a protected default
//      branch's own rules (its webhooks; approvals later) govern the change, as a fast-forward of
//      the head it was made from. A default branch that moved meanwhile is tried again from its
//      new head (the push's branch is removed after each attempt).
//
// Recording the change (a `config` event with its actor) is the workflow layer's
// (workflow/config-publish.ts): it is the one caller.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConcurrentUpdateError, FileNotFoundError } from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import { sluiceYmlOf } from '../common/sluice-yml.js';
import type { Commit } from '../core/commit-codec.js';
import { hashBody } from '../core/object-io.js';
import type { Repository } from '../core/repository.js';
import { parseGatesConfig, repositorySectionsOf } from './gate-config.js';
import { type GateReport, Gates, gatesOf } from './gates.js';
import {
  CONFIG_DIR,
  CONFIG_YML,
  publishedFiles,
  publishedName,
  readPublished,
} from './published-config.js';
import { parseSpecFiles, specFilesOf } from './spec.js';

/** A file under `_sluice/config/` a push adds, changes or removes. */
export interface ConfigFileChange {
  /** Relative to `_sluice/config/`. */
  path: string;
  change: 'added' | 'changed' | 'removed';
}

/** The gate rules (by branch pattern) a push adds, changes or removes. */
export interface RuleChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What a push did. */
export interface ConfigPush {
  /** The default branch, where the rules live. */
  branch: string;
  /** The head the push was made from (of its last attempt). */
  from: CommitId;
  files: ConfigFileChange[];
  gates: RuleChanges;
  /** The commit that published the files — the default branch's new head; absent: no change. */
  commit?: Commit;
  /** The default branch's gate, when it is protected. */
  gate?: GateReport;
}

export interface PushOptions {
  /** The push's id (its branch is `config/<id>`, its commit records it). */
  id: string;
  /** Who pushes (recorded in the commit's metadata). */
  actor: string;
  /** The commit's message (default: what changed). */
  message?: string;
  /** How often to try again when the default branch moves meanwhile (default 5). */
  attempts?: number;
  /** Told what each attempt is about to publish (a refused push's record says what it was). */
  onAttempt?: (push: ConfigPush) => void;
}

/**
 * The files a working directory publishes, relative to `_sluice/config/`: `sluice.yml` with its
 * repository-wide sections (none when it has no such section), and every check file that
 * defines a check. Everything is validated here; a directory without sluice.yml has nothing to
 * publish (FileNotFoundError — to remove every rule, push `gates: []`).
 */
export function configFilesOf(dir: string): Map<string, Uint8Array> {
  const yml = sluiceYmlOf(dir);
  if (yml === undefined) {
    throw new FileNotFoundError(
      `${join(dir, 'sluice.yml')}: no such file — nothing to publish (to remove every rule, push a sluice.yml with gates: [])`,
      { file: join(dir, 'sluice.yml') },
    );
  }
  const files = new Map<string, Uint8Array>();
  const text = repositorySectionsOf(readFileSync(join(dir, yml), 'utf8'), yml);
  if (text !== '') files.set(CONFIG_YML, Buffer.from(text));
  for (const f of specFilesOf(dir)) {
    if (parseSpecFiles([{ file: f.name, text: f.text }]).length > 0)
      files.set(f.name, Buffer.from(f.text));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** How the files differ from those published at `head`. */
async function compare(
  repo: Repository,
  head: CommitId,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<ConfigFileChange[]> {
  const current = await publishedFiles(repo, head);
  const changes: ConfigFileChange[] = [];
  for (const [path, bytes] of files) {
    const e = current.get(path);
    if (!e) changes.push({ path, change: 'added' });
    else if ((await hashBody(bytes)).address !== e.address)
      changes.push({ path, change: 'changed' });
  }
  for (const path of current.keys())
    if (!files.has(path)) changes.push({ path, change: 'removed' });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The gate rules a push adds, changes or removes, by pattern. */
async function ruleChanges(
  repo: Repository,
  branch: string,
  head: CommitId,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<RuleChanges> {
  const before = (await readPublished(repo, branch, head)).gates;
  const yml = files.get(CONFIG_YML);
  const after = yml
    ? parseGatesConfig(Buffer.from(yml).toString('utf8'), publishedName(branch, CONFIG_YML)).gates
    : [];
  const key = (r: unknown): string => JSON.stringify(r);
  return {
    added: after.filter((r) => !before.some((b) => b.branch === r.branch)).map((r) => r.branch),
    changed: after
      .filter((r) => before.some((b) => b.branch === r.branch && key(b) !== key(r)))
      .map((r) => r.branch),
    removed: before.filter((b) => !after.some((r) => r.branch === b.branch)).map((b) => b.branch),
  };
}

/** `+gate main, ~checks/orders.yml`: what a push changes, in one line. */
export function describePush(files: readonly ConfigFileChange[], gates: RuleChanges): string {
  const mark = { added: '+', changed: '~', removed: '-' } as const;
  const parts = [
    ...gates.added.map((b) => `+gate ${b}`),
    ...gates.changed.map((b) => `~gate ${b}`),
    ...gates.removed.map((b) => `-gate ${b}`),
    ...files.filter((f) => f.path !== CONFIG_YML).map((f) => `${mark[f.change]}${f.path}`),
  ];
  return parts.length > 0
    ? parts.join(', ')
    : files.map((f) => `${mark[f.change]}${f.path}`).join(', ');
}

/**
 * Publishes `files` (configFilesOf) on the default branch; see the top of this file. Returns
 * without writing anything when they are what the default branch already publishes.
 */
export async function pushConfig(
  repo: Repository,
  files: ReadonlyMap<string, Uint8Array>,
  opts: PushOptions,
): Promise<ConfigPush> {
  const gates = gatesOf(repo) ?? Gates.install(repo);
  const branch = repo.defaultBranch;
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const from = (await repo.getBranch(branch)).head as CommitId;
    const changes = await compare(repo, from, files);
    const rules = await ruleChanges(repo, branch, from, files);
    const push: ConfigPush = { branch, from, files: changes, gates: rules };
    if (changes.length === 0) return push;
    opts.onAttempt?.(push);
    try {
      return await attemptPush(repo, gates, push, files, opts);
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt * Math.random()));
    }
  }
}

/** One attempt: the push's branch from `push.from`, its commit, the gated fast-forward. */
async function attemptPush(
  repo: Repository,
  gates: Gates,
  push: ConfigPush,
  files: ReadonlyMap<string, Uint8Array>,
  opts: PushOptions,
): Promise<ConfigPush> {
  const token = gates.beginConfigChange();
  const temp = `config/${opts.id}`;
  await repo.createBranch(temp, { from: push.from });
  try {
    const put = push.files.filter((f) => f.change !== 'removed');
    const removed = push.files.filter((f) => f.change === 'removed');
    if (put.length > 0)
      await repo.putObjects(
        temp,
        put.map((f) => ({ path: CONFIG_DIR + f.path, body: files.get(f.path) as Uint8Array })),
        { authorization: token },
      );
    if (removed.length > 0)
      await repo.deleteObjects(
        temp,
        removed.map((f) => CONFIG_DIR + f.path),
        { authorization: token },
      );
    const summary = describePush(push.files, push.gates);
    await repo.commit(temp, {
      message: opts.message ?? `config push: ${summary}`,
      metadata: { 'sluice.config.push': opts.id, 'sluice.config.actor': opts.actor },
      authorization: token,
    });
    const { result, gate } = await gates.merge(temp, push.branch, {
      configChange: token,
      fastForwardOnly: true,
    });
    return {
      ...push,
      ...(result.commit ? { commit: result.commit } : {}),
      ...(gate ? { gate } : {}),
    };
  } finally {
    await repo.deleteBranch(temp, { authorization: token }).catch(() => {});
    gates.endConfigChange(token);
  }
}
