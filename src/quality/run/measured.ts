// Verdicts that can be reused (reuse.ts decides which): runChecks records what it measured per
// run it returned, and a later run on the same commit (a gate after a load's audit) takes the
// verdicts that provably come out the same instead of measuring them again.
import { readsExactly } from '../data-at-ref.js';
import { definitionDigest, verdictReusable } from '../reuse.js';
import type { CheckResult, CheckRun } from '../run.js';
import type { CheckSpec } from '../spec.js';
import type { RunState } from './state.js';

/**
 * The verdicts runChecks measured, per run it returned — recorded only when the data it read was
 * exactly one commit's (see `readsExactly`, data-at-ref.ts) — as they were then: a copy, so neither a caller's
 * later edits of the run nor a run object built by hand can stand in for a measurement.
 */
const measured = new WeakMap<
  CheckRun,
  { commit: string; results: Map<string, { definition: string; result: CheckResult }> }
>();

/**
 * The results of `run` that hold for `specs` at `commit` without measuring again: `run` was
 * measured by runChecks on exactly that commit's data (same commit id ⇒ same files ⇒ same
 * rows), the spec is defined exactly as it was then (same id and definition digest), its
 * verdict depends on the data alone (`verdictReusable`, reuse.ts), and it did not error (an error
 * may be transient). Anything else must run again. A result taken carries the
 * spec's current name and source (file and line).
 */
export function reusableResults(
  run: CheckRun | undefined,
  specs: CheckSpec[],
  commit: string,
): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>();
  const m = run ? measured.get(run) : undefined;
  if (!m || m.commit !== commit) return out;
  for (const s of specs) {
    const was = m.results.get(s.id);
    if (
      was &&
      was.result.status !== 'error' &&
      verdictReusable(s) &&
      was.definition === definitionDigest(s)
    )
      out.set(s.id, { ...structuredClone(was.result), name: s.name, source: s.source });
  }
  return out;
}

/** Records the verdicts of `run` as measured on its commit, if its data was exactly that commit's. */
export async function recordMeasured(s: RunState, run: CheckRun): Promise<void> {
  // Recorded only if nothing moved under the run: the same commit, still nothing uncommitted.
  if (s.pinned && (await readsExactly(s.repo, s.ref, s.commit)))
    measured.set(run, {
      commit: s.commit,
      results: new Map(
        s.wanted.map((spec) => [
          spec.id,
          {
            definition: definitionDigest(spec),
            result: structuredClone(s.results.get(spec.id) as CheckResult),
          },
        ]),
      ),
    });
}
