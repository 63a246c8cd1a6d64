// `sluice env status [--json]`: each environment — staging's branch, production's alias and live
// colour — with its commit, the commit's age, and the last promotion, deploy, smoke checks and
// rollback from the event log.
import { type EnvStatus, envStatus, findRepoDir, loadWorkflowConfig } from '../../index.js';
import type { CommandContext } from '../runner.js';

/** `3d 4h`, `12m`, `40s`: an age for humans. */
function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const config = loadWorkflowConfig(dir);
  const repo = await ctx.repo();
  const s: EnvStatus = await envStatus(repo, config);
  printEnvStatus(ctx, s);
  return 0;
}

/** Prints the run's document (`--json`: as it is): the local and the remote command's. */
export function printEnvStatus(ctx: CommandContext, s: EnvStatus): void {
  ctx.out.result(s, () => {
    const st = s.staging;
    const p = s.production;
    const rows: string[][] = [['ENVIRONMENT', 'REF', 'COMMIT', 'AGE', 'LAST', 'CHECKS']];
    const checks = (c?: { pass: number; warn: number; fail: number; error: number }) =>
      c ? `${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.error} error` : '-';
    rows.push([
      'staging',
      st.branch,
      st.head ? st.head.commit.slice(0, 12) : '-',
      st.head ? age(st.head.ageMs) : '-',
      st.lastPromote ? `promote #${st.lastPromote.event} ${st.lastPromote.outcome}` : '-',
      checks(st.lastPromote?.checks),
    ]);
    rows.push([
      'production',
      p.live ? `${p.alias} → ${p.live.branch} (${p.live.colour})` : `${p.alias} (not deployed)`,
      p.live ? p.live.commit.slice(0, 12) : '-',
      p.live ? age(p.live.ageMs) : '-',
      p.lastDeploy ? `deploy ${p.lastDeploy.deployId} ${p.lastDeploy.outcome}` : '-',
      p.lastDeploy
        ? `smoke ${p.lastDeploy.smoke}${p.lastSmoke ? `: ${checks(p.lastSmoke.summary)}` : ''}`
        : '-',
    ]);
    ctx.out.table(rows);
    if (st.behind) ctx.out.note(`staging is behind ${st.from}: sluice promote staging`);
    if (p.liveDeployId) ctx.out.note(`live deploy: ${p.liveDeployId}`);
    if (p.lastRollback)
      ctx.out.note(
        `last rollback: to ${p.lastRollback.deployId} at ${p.lastRollback.time} (${p.lastRollback.outcome})`,
      );
    if (!st.configured && !p.configured)
      ctx.out.note('no environments: in sluice.yml; showing the defaults');
  });
}
