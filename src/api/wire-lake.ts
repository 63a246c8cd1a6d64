// The JSON shapes of zero-copy import and export-ref (`--json`), one definition for the CLI and,
// later, the server.
import type { ExportResult, ImportResult } from '../core/repository.js';
import { type CommitJson, commitJson } from './wire-core.js';

export interface ImportJson {
  source: string;
  branch: string;
  /** The folder on the branch the objects went under ('' for the root). */
  prefix: string;
  commit: CommitJson;
  objects: number;
  /** What the imported objects hold, where they are. */
  bytes: number;
  /** Always 0: an import records where the objects are and copies none of them. */
  bytesCopied: 0;
}

export function importJson(r: ImportResult, branch: string, prefix: string): ImportJson {
  return {
    source: r.source,
    branch,
    prefix,
    commit: commitJson(r.commit),
    objects: r.objects,
    bytes: r.bytes,
    bytesCopied: 0,
  };
}

export interface ExportJson {
  ref: string;
  commit: string;
  destination: string;
  objects: number;
  bytes: number;
}

export function exportJson(r: ExportResult): ExportJson {
  return {
    ref: r.ref,
    commit: r.commit,
    destination: r.destination,
    objects: r.objects,
    bytes: r.bytes,
  };
}
