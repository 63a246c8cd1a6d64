// What a build records in its commit besides the outputs: the project files it used (a snapshot
// under `_sluice/project/`) and its build state (`_sluice/build/state.json`: per model the
// digests of its SQL and config, its fingerprint and table — what `state:modified` and `impact`
// compare), committed on the run branch with the run's metadata.
import { execFileSync } from 'node:child_process';
import { EmptyCommitError } from '../../common/errors.js';
import { sha256Hex as sha } from '../../common/hash.js';
import type { Commit } from '../../core/commit-codec.js';
import type { Repository } from '../../core/repository.js';
import type { CompiledModel, CompiledProject } from '../graph.js';
import { idOf } from '../graph.js';
import type { BuildContext } from './context.js';
import { codeFingerprint, configDigest } from './fingerprint.js';

/** The build state recorded in each build commit (what `state:modified` compares with). */
export interface BuildState {
  models: Record<string, { sql: string; config: string; fingerprint?: string; table: string }>;
}

export const STATE_PATH = '_sluice/build/state.json';
export const SNAPSHOT_PREFIX = '_sluice/project/';

/** The build state recorded on a ref, if a build ever landed there. */
export async function readBuildState(
  repo: Repository,
  ref: string,
): Promise<BuildState | undefined> {
  try {
    return JSON.parse(
      Buffer.from(await repo.getObject(ref, STATE_PATH)).toString('utf8'),
    ) as BuildState;
  } catch (err) {
    if ((err as { code?: string }).code === 'PathNotFoundError') return undefined;
    throw err;
  }
}

/** Models whose compiled SQL or config differ from the state ref's last build, or are new. */
export async function modifiedSince(
  repo: Repository,
  compiled: CompiledProject,
  state: string,
): Promise<Set<string>> {
  const recorded = (await readBuildState(repo, state))?.models ?? {};
  const out = new Set<string>();
  for (const [name, m] of compiled.models) {
    const r = recorded[name];
    if (!r || r.sql !== sha(m.sql) || r.config !== configDigest(m))
      out.add(idOf.model(compiled.graph.project, name));
  }
  return out;
}

/** A built model's entry in the build state. */
export function stateEntry(
  m: CompiledModel,
  fingerprint: string | undefined,
): BuildState['models'][string] {
  return {
    sql: sha(m.sql),
    config: configDigest(m),
    ...(fingerprint ? { fingerprint } : {}),
    table: m.table,
  };
}

/** The git commit of the project directory, when it is in a git work tree. */
function gitCommitOf(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * Writes the project snapshot (files no longer in the project removed) and the build state next
 * to the outputs on the run branch, and commits it all. Undefined when nothing changed.
 */
export async function commitRun(ctx: BuildContext, failed: boolean): Promise<Commit | undefined> {
  const { repo, project, runBranch, opts, command } = ctx;
  const snapshot = [...project.files.entries()].map(([path, text]) => ({
    path: `${SNAPSHOT_PREFIX}${path}`,
    body: Buffer.from(text),
  }));
  const stale: string[] = [];
  for await (const item of repo.list(runBranch, { prefix: SNAPSHOT_PREFIX })) {
    if (item.type === 'object' && !project.files.has(item.entry.path.slice(SNAPSHOT_PREFIX.length)))
      stale.push(item.entry.path);
  }
  await repo.putObjects(
    runBranch,
    [
      ...snapshot,
      { path: STATE_PATH, body: Buffer.from(`${JSON.stringify(ctx.state, null, 2)}\n`) },
    ],
    { remove: stale },
  );
  const counts = (kind: string) => ctx.results.filter((r) => r.kind === kind).length;
  const codeFp = codeFingerprint(project);
  const gitCommit = gitCommitOf(project.dir);
  const message =
    opts.message ??
    `${command} ${ctx.compiled.graph.project}: ${counts('seed')} seed(s), ${counts('model')} model(s), ${counts('test')} test(s)${failed ? ' — FAILED' : ''}`;
  try {
    return await repo.commit(runBranch, {
      message,
      metadata: {
        'sluice.run_id': ctx.runId,
        'sluice.command': command,
        'sluice.select': (opts.select ?? []).join(' '),
        'sluice.exclude': (opts.exclude ?? []).join(' '),
        'sluice.status': failed ? 'error' : 'success',
        'sluice.code_fingerprint': codeFp,
        ...(gitCommit ? { 'sluice.git_commit': gitCommit } : {}),
      },
    });
  } catch (err) {
    if (!(err instanceof EmptyCommitError)) throw err;
  }
  return undefined;
}
