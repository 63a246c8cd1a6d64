// One line for humans per event — what `sluice events` prints and an alert's text may quote.
import type { StoredEvent } from './types.js';

/** One line for humans: what the event is about, without its time, type, outcome and actor. */
export function describeEvent(e: StoredEvent): string {
  const short = (id: string | undefined): string => (id ? id.slice(0, 12) : '?');
  const why = e.reason ? ` — ${e.reason}` : '';
  switch (e.type) {
    case 'load':
      return `${e.ingestor} run ${e.runId} → ${e.target}${e.rows === undefined ? '' : `, ${e.rows} rows`}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.failedChecks?.length ? `, failed: ${e.failedChecks.join(', ')}` : ''}${why}`;
    case 'check': {
      const s = e.summary;
      return `${e.ref} @ ${short(e.commit)}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error${why}`;
    }
    case 'merge':
      return `${e.source} → ${e.destination}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.forced ? ' (forced)' : ''}${e.failedChecks?.length ? `, failed: ${e.failedChecks.join(', ')}` : ''}${why}`;
    case 'build':
      return `${e.command && e.command !== 'build' ? `${e.command} ` : ''}${e.branch}${e.commit ? ` @ ${short(e.commit)}` : ''}${e.models ? `: ${e.models.built} built, ${e.models.reused} reused, ${e.models.failed} failed` : ''}${e.tests ? `${e.models ? ',' : ':'} ${e.tests.pass} test(s) passed, ${e.tests.fail + e.tests.error} failed` : ''}${why}`;
    case 'promote':
      return `${e.source} @ ${short(e.commit)} → ${e.environment}${why}`;
    case 'deploy':
      return `${e.environment} ${e.deployId} (${e.colour}) @ ${short(e.commit)}, smoke ${e.smoke}${e.loads ? `, ${e.loads.length} new load(s)` : ''}${why}`;
    case 'rollback':
      return `${e.environment} → ${e.deployId} @ ${short(e.commit)}${e.fromDeployId ? ` (undoing ${e.fromDeployId})` : ''}${why}`;
    case 'config': {
      const mark = { added: '+', changed: '~', removed: '-' } as const;
      const what = e.files.map((f) => `${mark[f.change]}${f.path}`).join(', ');
      return `${e.branch}${e.commit ? ` @ ${short(e.commit)}` : ''}: ${what || 'no file'}${why}`;
    }
    case 'request':
      return `${e.method} ${e.path} → ${e.status} from ${e.sourceAddress} (request ${e.requestId})${e.errorCode ? ` ${e.errorCode}` : ''}${e.suppressed ? `, ${e.suppressed} more suppressed` : ''}${why}`;
    case 'alert':
      return `${e.sink}${e.alertType ? ` ${e.alertType}` : ''} attempt ${e.attempt}${e.status === undefined ? '' : ` (HTTP ${e.status})`}${why}`;
  }
}
