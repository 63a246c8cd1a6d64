// Gates: branch protection and the checks that guard merges, declared in `sluice.yml`:
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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { configFailAt, parseConfig } from '../common/config-schema.js';
import { GateFailedError, InvalidArgumentError, ProtectedBranchError } from '../common/errors.js';
import { checkSluiceYmlSections, sluiceYmlOf } from '../common/sluice-yml.js';
import { readYamlText } from '../common/yaml-file.js';
import type {
  MergeOptions,
  MergeResult,
  Repository,
  WriteOp,
  WritePolicy,
} from '../core/repository.js';
import { TABLES_PREFIX, tableNameOf } from '../engine/tables.js';
import { refTable } from './checks.js';
// run.js (DuckDB and the whole check engine) is loaded by the merges and commits that run checks,
// not by every openRepository that installs the gates.
import type { CheckRun } from './run.js';
import { type CheckSpec, loadSpecs } from './spec.js';

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
            url: z.url(),
            timeout: duration.default(10_000),
            headers: z.record(z.string(), z.string()).optional(),
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
 * Reads `gates:` of `sluice.yml` (or `.yaml`) in a project directory; none is an empty config.
 * The file's top level is checked against every layer's sections first (sluice-yml.ts).
 */
export function loadProjectConfig(dir: string): ProjectConfig & { file?: string } {
  const name = sluiceYmlOf(dir);
  if (!name) return { gates: [] };
  const fail = configFailAt(name);
  const y = readYamlText(readFileSync(join(dir, name), 'utf8'), name, fail);
  checkSluiceYmlSections(y, fail);
  const raw = (y.value as { gates?: unknown } | undefined)?.gates ?? undefined;
  const gates = parseConfig(GatesSchema, y, raw === null ? undefined : raw, ['gates'], fail);
  return { gates, file: join(dir, name) };
}

/** Does `pattern` (`*` = any characters) name `branch`? */
export function branchMatches(pattern: string, branch: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  );
  return re.test(branch);
}

export interface GateReport {
  branch: string;
  source: string;
  /** The merge commit the checks ran on (the destination's new head when the merge landed). */
  commit?: string;
  changedTables: string[];
  checks?: CheckRun;
  webhooks: { url: string; ok: boolean; status?: number; reason?: string }[];
  passed: boolean;
  forced: boolean;
}

const gatesByRepo = new WeakMap<Repository, Gates>();

/** The gates installed on a repository handle (by openRepository, from sluice.yml). */
export function gatesOf(repo: Repository): Gates | undefined {
  return gatesByRepo.get(repo);
}

export class Gates implements WritePolicy {
  /** Tokens of the merges this instance has approved (only it can make them). */
  private readonly approved = new WeakSet<object>();

  constructor(
    private readonly repo: Repository,
    readonly config: ProjectConfig,
    /** Where the check specs (checks/, models/) are. */
    readonly projectDir: string,
  ) {}

  /** Installs the gates as the repository's write policy. */
  static install(repo: Repository, config: ProjectConfig, projectDir: string): Gates | undefined {
    if (config.gates.length === 0) return undefined;
    const g = new Gates(repo, config, projectDir);
    repo.setWritePolicy(g);
    gatesByRepo.set(repo, g);
    return g;
  }

  ruleFor(branch: string): GateRule | undefined {
    return this.config.gates.find((r) => branchMatches(r.branch, branch));
  }

  async check(op: WriteOp, branch: string, authorization?: unknown): Promise<void> {
    if (
      typeof authorization === 'object' &&
      authorization !== null &&
      this.approved.has(authorization)
    )
      return;
    const rule = this.ruleFor(branch);
    if (!rule) return;
    if (rule.protected) {
      const how =
        op === 'merge'
          ? 'merges into it go through its gate (sluice merge runs it)'
          : 'change it by merging a branch into it';
      throw new ProtectedBranchError(
        `${branch} is protected (sluice.yml gate ${JSON.stringify(rule.branch)}): ${how}`,
        {
          branch,
          operation: op,
          rule: rule.branch,
        },
      );
    }
    if (op === 'commit' && rule.pre_commit) await this.preCommit(branch);
  }

  /** Runs the checks of the tables a branch's uncommitted changes touch; refuses on failure. */
  private async preCommit(branch: string): Promise<void> {
    const tables = new Set<string>();
    for await (const c of this.repo.status(branch, { prefix: TABLES_PREFIX })) {
      const name = tableNameOf(c.path);
      if (name) tables.add(name);
    }
    if (tables.size === 0) return;
    const specs = specsFor(loadSpecs(this.projectDir), tables);
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
   * merged result is exactly the commit it measured (see runChecks' `reuse`).
   */
  async merge(
    source: string,
    destination: string,
    opts: MergeOptions & { force?: boolean; audited?: CheckRun } = {},
  ): Promise<{ result: MergeResult; gate?: GateReport }> {
    const dest = (await this.repo.getBranch(destination)).name;
    const rule = this.ruleFor(dest);
    if (!rule?.protected) {
      if (opts.force)
        throw new InvalidArgumentError(`--force: ${dest} has no gate to override`, {
          argument: 'force',
          reason: 'no gate',
        });
      return { result: await this.repo.merge(source, destination, opts) };
    }
    if (opts.force && !rule.allow_force) {
      throw new InvalidArgumentError(
        `--force is not allowed on ${dest} (sluice.yml gate ${JSON.stringify(rule.branch)} has no allow_force)`,
        {
          argument: 'force',
          reason: 'not allowed',
        },
      );
    }
    const { force, audited, ...mergeOpts } = opts;
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
    await this.repo.createBranch(m.temp, { from: m.head });
    try {
      // The merge, on a temporary branch made from the destination's head.
      const trial = await this.repo.merge(source, m.temp, {
        ...mergeOpts,
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
        const reasons = [
          ...(failed.length ? [describeFailures(failed)] : []),
          ...hooksRefused.map((w) => `webhook ${w.url} refused (${w.reason})`),
        ];
        throw new GateFailedError(
          `merge of ${source} into ${dest} refused: ${reasons.join('; ')}`,
          {
            branch: dest,
            source,
            failed,
            webhooks: report.webhooks,
          },
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
      const result = await this.repo.merge(landed, dest, {
        authorization: m.token,
        fastForwardOnly: true,
      });
      return { result: { ...trial, commit: result.commit }, gate: { ...report, commit: landed } };
    } finally {
      this.approved.delete(m.token);
      await this.repo.deleteBranch(m.temp).catch(() => {});
    }
  }

  /** The report of a gated merge so far: the tables the merge changes. */
  private async reportOn(m: GatedMerge, commit: string): Promise<GateReport> {
    const changedTables = new Set<string>();
    for await (const c of this.repo.diff(m.head, commit, { prefix: TABLES_PREFIX })) {
      const name = tableNameOf(c.path);
      if (name) changedTables.add(name);
    }
    return {
      branch: m.dest,
      source: m.source,
      commit,
      changedTables: [...changedTables].sort(),
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
  ): Promise<ReturnType<typeof blocking>> {
    if (!m.rule.checks || report.changedTables.length === 0) return [];
    const specs = specsFor(loadSpecs(this.projectDir), new Set(report.changedTables));
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
      await this.repo.deleteBranch(again).catch(() => {});
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

/** Checks of the given tables, and relationships that point at them. */
export function specsFor(all: CheckSpec[], tables: Set<string>): CheckSpec[] {
  return all.filter(
    (s) =>
      tables.has(s.table) ||
      (s.type === 'relationships' && tables.has(refTable(String(s.params.to)))),
  );
}

/** Results that block: failed error-severity checks, and checks that could not run. */
export function blocking(run: CheckRun): GateFailedError['data']['failed'] {
  return run.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => ({
      id: r.id,
      name: r.name,
      table: r.table,
      status: r.status,
      ...(r.message ? { message: r.message } : {}),
      ...(r.sample ? { sample: r.sample } : {}),
    }));
}

function describeFailures(failed: GateFailedError['data']['failed']): string {
  const names = failed.map(
    (f) => `${f.table}: ${f.name} ${f.status === 'error' ? 'errored' : 'failed'}`,
  );
  return `${failed.length} check(s) did not pass (${names.join(', ')})`;
}

async function callWebhook(
  hook: GateRule['webhooks'][number],
  event: Record<string, unknown>,
): Promise<{ url: string; ok: boolean; status?: number; reason?: string }> {
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...hook.headers },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(hook.timeout),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { url: hook.url, ok: true, status: res.status }
      : { url: hook.url, ok: false, status: res.status, reason: `HTTP ${res.status}` };
  } catch (err) {
    const timedOut =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return {
      url: hook.url,
      ok: false,
      reason: timedOut
        ? `no answer within ${hook.timeout} ms`
        : `unreachable (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}
