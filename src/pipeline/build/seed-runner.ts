// The seed runner: a seed's CSV ingested as its table on the run branch, or, when the same seed
// was loaded before (same name, same text), its earlier output staged again.
import { join } from 'node:path';
import { errorLine } from '../../common/error-line.js';
import { ingest } from '../../tables/ingest.js';
import type { GraphNode } from '../types.js';
import type { Built, Execution } from './context.js';
import { seedFingerprint } from './fingerprint.js';
import { bytesOf, rememberWritten, reuseMemo } from './memo.js';

/** Loads one seed; a failure is an `error` result naming the file, not a throw. */
export async function buildSeed(x: Execution, node: GraphNode): Promise<Built> {
  const base = {
    uniqueId: node.uniqueId,
    kind: 'seed' as const,
    name: node.name,
    relation: node.name,
  };
  const text = x.project.files.get(node.path as string) ?? '';
  const fingerprint = seedFingerprint(node.name, text);
  try {
    const current = await x.tables.at(node.name);
    if (!x.opts.fullRefresh) {
      const reused = await reuseMemo(x, node.name, fingerprint, current);
      if (reused) {
        const { memo, t } = reused;
        return {
          ...base,
          status: 'reused',
          rows: memo.rows ?? 0,
          columns: memo.columns,
          bytes: bytesOf(t),
          fingerprint,
          message: 'reused: unchanged seed',
        };
      }
    }
    const res = await ingest(x.repo, join(x.project.dir, node.path as string), {
      table: node.name,
      branch: x.runBranch,
      mode: 'overwrite',
      session: x.session.duck,
    });
    const t = await rememberWritten(x, node.name, fingerprint, res.rowsWritten);
    return {
      ...base,
      status: 'success',
      rows: res.rowsWritten,
      columns: t.manifest.columns,
      bytes: bytesOf(t),
      fingerprint,
    };
  } catch (err) {
    return { ...base, status: 'error', message: `${node.path}: ${errorLine(err)}` };
  }
}
