// Gates: branch protection and the checks that guard merges. The rules come from two places,
// joined by gate-rules.ts: the repository's published rules — `_sluice/config/` on its default
// branch (published-config.ts), the same for every client of the same stores — and the working
// directory's sluice.yml and check files, which may add to them but never weaken them. Every
// openRepository installs the gates as the engine's write policy; the rules are read when a write
// asks, from the default branch's head, and kept while that head does not move.
//
// The policy also keeps what only Sluice writes: paths under `_sluice/config/` (the published
// rules, written by `config push` alone), the metadata keys that attest something (`sluice.gate.*` of a
// forced merge, `sluice.config.*` of a rules change), and the published rules themselves — no
// merge, revert, cherry-pick or reset of the default branch may change them; a config push does,
// through the default branch's own gate.
//
// A gated merge never moves the branch before the checks pass: it merges on a temporary branch
// made from the destination's head, runs the checks of the tables the merge changes there (and
// asks the webhooks), and only then fast-forwards the destination to that very commit — by
// compare-and-swap, so a destination that moved meanwhile is not overwritten with an unchecked
// result. A refused merge leaves the destination exactly as it was. When the caller already ran
// checks on the source (`audited`: a load's audit) and the merge result is that very commit (a
// fast-forward), the verdicts that cannot differ on the same data are taken from that run
// instead of measured twice (runChecks' `reuse`); every other check still runs here.
import { randomBytes } from 'node:crypto';
import {
  ConfigChangeError,
  GateFailedError,
  InvalidArgumentError,
  ProtectedBranchError,
  ReservedMetadataError,
  ReservedPathError,
} from '../common/errors.js';
import type { CommitId } from '../common/ids.js';
import type {
  HeadMove,
  MergeOptions,
  MergeResult,
  Repository,
  WriteDetail,
  WriteOp,
  WritePolicy,
} from '../core/repository.js';
import { diffTrees } from '../core/tree-diff.js';
import type { GateRule, ProjectConfig } from './gate-config.js';
import { type EffectiveRule, effectiveRule, type RuleSource } from './gate-rules.js';
import {
  CONFIG_DIR,
  isReservedPath,
  type PublishedConfig,
  readPublished,
} from './published-config.js';
// run.js (DuckDB and the whole check engine) and gate-checks.js are loaded by the merges and
// commits that run checks, not by every openRepository that installs the gates.
import type { CheckRun } from './run.js';
import type { CheckSpec } from './spec.js';

export type { GateRule, ProjectConfig } from './gate-config.js';

/** Metadata keys that attest something: only the gate (forced) and config push write them. */
export const ATTESTED_METADATA_PREFIXES = ['sluice.gate.', 'sluice.config.'] as const;

/** The keys of `metadata` that attest something (ATTESTED_METADATA_PREFIXES). */
export function attestedKeys(metadata: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(metadata ?? {}).filter((k) =>
    ATTESTED_METADATA_PREFIXES.some((p) => k.startsWith(p)),
  );
}

export interface GateReport {
  branch: string;
  source: string;
  /** The merge commit the checks ran on (the destination's new head when the merge landed). */
  commit?: string;
  changedTables: string[];
  /** The published rules' files the merge changes (a config push), relative to `_sluice/config/`. */
  changedConfig?: string[];
  checks?: CheckRun;
  webhooks: { url: string; ok: boolean; status?: number; reason?: string }[];
  passed: boolean;
  forced: boolean;
}

/** The working directory's side of the rules. */
export interface LocalRules {
  /** The working directory: its check files (checks/, models/) add to the published ones. */
  dir?: string;
  /** Its sluice.yml's gates, when it has one. */
  config?: ProjectConfig & { file?: string };
}

/** What merge() takes besides a plain merge's options. */
export interface GatedMergeOptions extends MergeOptions {
  /** Merge past a refusing gate (only where the rule has allow_force; recorded). */
  force?: boolean;
  /** A check run on the source whose verdicts stand when the result is the commit it measured. */
  audited?: CheckRun;
  /** The token of a rules change (beginConfigChange): the merge may change `_sluice/config/`. */
  configChange?: object;
}

const gatesByRepo = new WeakMap<Repository, Gates>();

/** The gates installed on a repository handle (by openRepository, for every repository). */
export function gatesOf(repo: Repository): Gates | undefined {
  return gatesByRepo.get(repo);
}

const tokenOf = (a: unknown): object | undefined =>
  typeof a === 'object' && a !== null ? a : undefined;

export class Gates implements WritePolicy {
  /** Tokens of the writes this instance has approved (only it can make them). */
  private readonly approved = new WeakSet<object>();
  /** The destination each gated merge's temporary branch stands for (`gate/<dest>/<id>`). */
  private readonly trials = new Map<string, string>();
  /** Approved tokens that may also change the published rules (a config push's). */
  private readonly configTokens = new WeakSet<object>();
  /** The published rules as last read (reused while the default branch's head stays). */
  private last: PublishedConfig | undefined;

  constructor(
    private readonly repo: Repository,
    readonly local: LocalRules = {},
  ) {}

  /** Installs the gates as the repository's write policy. */
  static install(repo: Repository, local: LocalRules = {}): Gates {
    const g = new Gates(repo, local);
    repo.setWritePolicy(g);
    gatesByRepo.set(repo, g);
    return g;
  }

  /** The rules the repository publishes, read at its default branch's head. */
  async published(): Promise<PublishedConfig> {
    const branch = this.repo.defaultBranch;
    const rec = await this.repo.meta.getBranch(this.repo.name, branch);
    const head = (rec?.head ?? (await this.repo.getBranch(branch)).head) as CommitId;
    const last = this.last;
    if (last?.head === head) return last;
    const read = await readPublished(this.repo, branch, head, last);
    this.last = read;
    return read;
  }

  /** The two sources of rules as they stand: the published ones and the local sluice.yml's. */
  async sources(): Promise<{ published?: RuleSource; local?: RuleSource }> {
    const p = await this.published();
    const file = this.local.config?.file;
    return {
      ...(p.gates.length > 0
        ? { published: { where: `published on ${p.branch}`, gates: p.gates } }
        : {}),
      ...(this.local.config && this.local.config.gates.length > 0
        ? {
            local: {
              where: file ? (file.split(/[\\/]/).pop() as string) : 'sluice.yml',
              gates: this.local.config.gates,
            },
          }
        : {}),
    };
  }

  /** The rule that holds for `branch` (published and local joined), if any. */
  async ruleFor(branch: string): Promise<EffectiveRule | undefined> {
    const { published, local } = await this.sources();
    return effectiveRule(published, local, branch);
  }

  /** The checks a gate runs: the published check files', then the working directory's. */
  async specs(): Promise<CheckSpec[]> {
    const [{ loadSpecs }, { joinSpecs }] = await Promise.all([
      import('./spec.js'),
      import('./gate-checks.js'),
    ]);
    const published = await (await this.published()).specs();
    return joinSpecs(published, this.local.dir ? loadSpecs(this.local.dir) : []);
  }

  /**
   * Opens a change of the published rules (config push). The token authorizes writes under
   * `_sluice/config/` and the `sluice.config.*` metadata on the push's own branch, and — given to
   * merge() as `configChange` — the move of the default branch that publishes them, through its
   * gate. Close it with endConfigChange.
   */
  beginConfigChange(): object {
    const token = {};
    this.approved.add(token);
    this.configTokens.add(token);
    return token;
  }

  endConfigChange(token: object): void {
    this.approved.delete(token);
    this.configTokens.delete(token);
  }

  async check(
    op: WriteOp,
    branch: string,
    authorization?: unknown,
    detail: WriteDetail = {},
  ): Promise<void> {
    const token = tokenOf(authorization);
    this.refuseReserved(detail, token);
    if (token && this.approved.has(token)) return;
    const rule = await this.ruleFor(branch);
    if (!rule) return;
    if (rule.protected) {
      const how =
        op === 'merge'
          ? 'merges into it go through its gate (sluice merge runs it)'
          : 'change it by merging a branch into it';
      throw new ProtectedBranchError(`${branch} is protected (${rule.origin}): ${how}`, {
        branch,
        operation: op,
        rule: rule.branch,
      });
    }
    if (op === 'commit' && rule.pre_commit) await this.preCommit(branch);
  }

  /**
   * Refuses a write under `_sluice/config/` and attested metadata keys, unless this instance
   * issued the write's token for it: `sluice.gate.*` a gated merge's, `_sluice/config/` and
   * `sluice.config.*` a config push's.
   */
  private refuseReserved(detail: WriteDetail, token: object | undefined): void {
    const mayConfig = token !== undefined && this.configTokens.has(token);
    const path = detail.paths?.find((p) => isReservedPath(p, detail.recursive === true));
    if (path !== undefined && !mayConfig) {
      throw new ReservedPathError(
        `${path}: ${CONFIG_DIR} holds the rules the repository publishes; sluice config push writes them`,
        { path },
      );
    }
    const may = (k: string): boolean =>
      token !== undefined &&
      (k.startsWith('sluice.config.') ? mayConfig : this.approved.has(token) && !mayConfig);
    const keys = attestedKeys(detail.metadata).filter((k) => !may(k));
    if (keys.length > 0) {
      throw new ReservedMetadataError(
        `metadata ${keys.join(', ')}: keys under ${ATTESTED_METADATA_PREFIXES.join(' and ')} attest what Sluice did and are recorded only by it`,
        { keys, reason: 'attested by Sluice' },
      );
    }
  }

  /**
   * A move that would leave two tables whose names differ only in case is refused (named for the
   * branch a gated merge's trial stands for). A move of the default branch that changes its
   * `_sluice/config/` is refused unless a config push makes it: the published rules change only
   * that way (recorded, through the gate).
   */
  async checkMove(move: HeadMove): Promise<void> {
    const { checkMoveTableNames } = await import('./table-name-move.js');
    await checkMoveTableNames(this.repo, {
      ...move,
      branch: this.trials.get(move.branch) ?? move.branch,
    });
    if (move.branch !== this.repo.defaultBranch) return;
    const token = tokenOf(move.authorization);
    if (token && this.configTokens.has(token)) return;
    const paths = await configChanges(this.repo, move.from, move.to);
    if (paths.length === 0) return;
    throw new ConfigChangeError(
      `${move.op} would change the rules ${move.branch} publishes (${paths.map((p) => CONFIG_DIR + p).join(', ')}): they change only by sluice config push`,
      { branch: move.branch, operation: move.op, paths },
    );
  }

  /** Runs the checks of the tables a branch's uncommitted changes touch; refuses on failure. */
  private async preCommit(branch: string): Promise<void> {
    const { TABLES_PREFIX, tableNameOf } = await import('../engine/tables.js');
    const tables = new Set<string>();
    for await (const c of this.repo.status(branch, { prefix: TABLES_PREFIX })) {
      const name = tableNameOf(c.path);
      if (name) tables.add(name);
    }
    if (tables.size === 0) return;
    const { specsFor, blocking, describeFailures } = await import('./gate-checks.js');
    const specs = specsFor(await this.specs(), tables);
    if (specs.length === 0) return;
    const { runChecks } = await import('./run.js');
    const run = await runChecks(this.repo, specs, { ref: branch, store: true });
    const failed = blocking(run);
    if (failed.length > 0) {
      throw new GateFailedError(`commit to ${branch} refused: ${describeFailures(failed)}`, {
        branch,
        failed,
        webhooks: [],
      });
    }
  }

  /**
   * Merges `source` into `destination` through its gate (a plain merge when no protected rule
   * names the destination). Throws GateFailedError, leaving the destination as it was, when an
   * error-severity check fails or a webhook refuses — unless `force` and the rule allows it.
   * `audited`: a run of checks on the source's head, whose content-only verdicts stand when the
   * merged result is exactly the commit it measured (see runChecks' `reuse`). The caller's
   * metadata may not hold attested keys (ReservedMetadataError, before anything runs).
   */
  async merge(
    source: string,
    destination: string,
    opts: GatedMergeOptions = {},
  ): Promise<{ result: MergeResult; gate?: GateReport }> {
    this.refuseReserved({ metadata: opts.metadata ?? {} }, undefined);
    // The idempotency key goes with the destination's move, not the trial on the temp branch.
    const { force, audited, configChange, idempotency, ...mergeOpts } = opts;
    if (configChange && !this.configTokens.has(configChange))
      throw new InvalidArgumentError('configChange: not a token of these gates', {
        argument: 'configChange',
        reason: 'unknown token',
      });
    const dest = (await this.repo.getBranch(destination)).name;
    const rule = await this.ruleFor(dest);
    if (!rule?.protected) {
      if (force)
        throw new InvalidArgumentError(`--force: ${dest} has no gate to override`, {
          argument: 'force',
          reason: 'no gate',
        });
      return {
        result: await this.repo.merge(source, destination, {
          ...mergeOpts,
          ...(idempotency ? { idempotency } : {}),
          ...(configChange ? { authorization: configChange } : {}),
        }),
      };
    }
    if (force && !rule.allow_force) {
      throw new InvalidArgumentError(
        `--force is not allowed on ${dest} (${rule.origin} has no allow_force)`,
        { argument: 'force', reason: 'not allowed' },
      );
    }
    const m: GatedMerge = {
      source,
      dest,
      rule,
      token: {},
      temp: `gate/${dest}/${randomBytes(6).toString('hex')}`,
      head: (await this.repo.getBranch(dest)).head,
      mergeOpts,
    };
    this.approved.add(m.token);
    // A rules change (config push) may change _sluice/config/ on the default branch.
    if (configChange) this.configTokens.add(m.token);
    await this.repo.createBranch(m.temp, { from: m.head });
    this.trials.set(m.temp, dest).set(`${m.temp}-forced`, dest);
    try {
      return await this.gatedMerge(m, force === true, audited, idempotency);
    } finally {
      this.trials.delete(m.temp);
      this.trials.delete(`${m.temp}-forced`);
      await this.repo.deleteBranch(m.temp, { authorization: m.token }).catch(() => {});
      this.approved.delete(m.token);
      this.configTokens.delete(m.token);
    }
  }

  /** The merge on the temporary branch, its checks and webhooks, then the destination moved. */
  private async gatedMerge(
    m: GatedMerge,
    force: boolean,
    audited: CheckRun | undefined,
    idempotency: MergeOptions['idempotency'],
  ): Promise<{ result: MergeResult; gate?: GateReport }> {
    // The merge, on a temporary branch made from the destination's head.
    const trial = await this.repo.merge(m.source, m.temp, {
      ...m.mergeOpts,
      authorization: m.token,
    });
    if (trial.upToDate) return { result: trial };
    const commit = trial.commit?.id as string;
    // The checks of the tables it changes, then the webhooks.
    const report = await this.reportOn(m, commit);
    const failed = await this.gateChecks(m, report, audited);
    await this.askWebhooks(m, report);
    const hooksRefused = report.webhooks.filter((w) => !w.ok);
    report.passed = failed.length === 0 && hooksRefused.length === 0;
    if (!report.passed && !force) {
      const { describeFailures } = await import('./gate-checks.js');
      const reasons = [
        ...(failed.length ? [describeFailures(failed)] : []),
        ...hooksRefused.map((w) => `webhook ${w.url} refused (${w.reason})`),
      ];
      throw new GateFailedError(
        `merge of ${m.source} into ${m.dest} refused: ${reasons.join('; ')}`,
        { branch: m.dest, source: m.source, failed, webhooks: report.webhooks },
      );
    }
    const landed = report.passed
      ? commit
      : await this.forcedMerge(
          m,
          report,
          failed.map((f) => f.id).join(',') || hooksRefused.map((w) => w.url).join(','),
        );
    // The destination fast-forwards to the very commit checked — by compare-and-swap.
    const result = await this.repo.merge(landed, m.dest, {
      authorization: m.token,
      fastForwardOnly: true,
      ...(idempotency ? { idempotency } : {}),
    });
    if (result.replayed) return { result };
    return { result: { ...trial, commit: result.commit }, gate: { ...report, commit: landed } };
  }

  /** The report of a gated merge so far: the tables (and published rules) the merge changes. */
  private async reportOn(m: GatedMerge, commit: string): Promise<GateReport> {
    const { TABLES_PREFIX, tableNameOf } = await import('../engine/tables.js');
    const changedTables = new Set<string>();
    for await (const c of this.repo.diff(m.head, commit, { prefix: TABLES_PREFIX })) {
      const name = tableNameOf(c.path);
      if (name) changedTables.add(name);
    }
    const changedConfig =
      m.dest === this.repo.defaultBranch
        ? await configChanges(this.repo, m.head as CommitId, commit as CommitId)
        : [];
    return {
      branch: m.dest,
      source: m.source,
      commit,
      changedTables: [...changedTables].sort(),
      ...(changedConfig.length > 0 ? { changedConfig } : {}),
      webhooks: [],
      passed: true,
      forced: false,
    };
  }

  /** Runs the checks of the changed tables on the temporary branch; returns those that block. */
  private async gateChecks(
    m: GatedMerge,
    report: GateReport,
    audited: CheckRun | undefined,
  ): Promise<GateFailedError['data']['failed']> {
    if (!m.rule.checks || report.changedTables.length === 0) return [];
    const { specsFor, blocking } = await import('./gate-checks.js');
    const specs = specsFor(await this.specs(), new Set(report.changedTables));
    if (specs.length === 0) return [];
    const { runChecks } = await import('./run.js');
    report.checks = await runChecks(this.repo, specs, {
      ref: m.temp,
      store: true,
      ...(audited ? { reuse: audited } : {}),
    });
    return blocking(report.checks);
  }

  /** Asks each webhook of the rule, in order, recording its answer in the report. */
  private async askWebhooks(m: GatedMerge, report: GateReport): Promise<void> {
    if (m.rule.webhooks.length === 0) return;
    const { callWebhook } = await import('./gate-checks.js');
    for (const hook of m.rule.webhooks) {
      report.webhooks.push(
        await callWebhook(hook, {
          event: 'merge',
          repository: this.repo.name,
          branch: m.dest,
          source: m.source,
          base: m.head,
          commit: report.commit,
          changed_tables: report.changedTables,
          ...(report.changedConfig ? { changed_config: report.changedConfig } : {}),
          checks: report.checks?.summary ?? null,
        }),
      );
    }
  }

  /** Forced: the same merge again, recorded as forced in the commit, on the same heads. */
  private async forcedMerge(m: GatedMerge, report: GateReport, failed: string): Promise<string> {
    report.forced = true;
    const again = `${m.temp}-forced`;
    await this.repo.createBranch(again, { from: m.head });
    try {
      const forcedMerge = await this.repo.merge(m.source, again, {
        ...m.mergeOpts,
        noFastForward: true,
        authorization: m.token,
        metadata: {
          ...m.mergeOpts.metadata,
          'sluice.gate.forced': 'true',
          'sluice.gate.failed': failed,
        },
      });
      return forcedMerge.commit?.id as string;
    } finally {
      await this.repo.deleteBranch(again, { authorization: m.token }).catch(() => {});
    }
  }
}

/** One gated merge under way: the branches, the rule, and the token that approves its writes. */
interface GatedMerge {
  source: string;
  dest: string;
  rule: GateRule;
  /** Authorizes this merge's writes to the protected destination (see `check`). */
  token: object;
  /** The temporary branch the merge is tried on, made from the destination's `head`. */
  temp: string;
  head: string;
  mergeOpts: MergeOptions;
}

/** The published rules' files that differ between two commits (relative to `_sluice/config/`). */
export async function configChanges(
  repo: Repository,
  from: CommitId,
  to: CommitId,
): Promise<string[]> {
  if (from === to) return [];
  const [a, b] = await Promise.all([repo.ctx.commits.get(from), repo.ctx.commits.get(to)]);
  const out: string[] = [];
  for await (const c of diffTrees(repo.ctx.nodes, a.tree, b.tree, { prefix: CONFIG_DIR }))
    out.push(c.path.slice(CONFIG_DIR.length));
  return out;
}
