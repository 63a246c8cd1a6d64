// Memory limits for DuckDB: a size (`4GB`, `512MiB`) or a share of the machine's memory (`50%`),
// and the default — a share of what this machine (or its container) has — instead of a fixed cap.
// No dependencies: duckdb.ts reads the default on every session.
import { totalmem } from 'node:os';
import { InvalidArgumentError } from '../common/errors.js';

/** The share of the machine's memory DuckDB may use when nothing says otherwise. */
export const DEFAULT_MEMORY_SHARE = 0.5;
/** Less than this and DuckDB cannot run a query of any size. */
const MIN_MEMORY_BYTES = 64 * 2 ** 20;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Memory this process may use: the machine's, or its container's (cgroup) limit when lower. */
export function machineMemory(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

export const SIZE_HINT = 'a size such as 4GB, 512MB or 2GiB, or a share of the memory such as 50%';

/**
 * A memory limit as bytes: a size (`4GB`, `512MiB`) or a share of the machine's memory (`50%`).
 * The reason it cannot be read otherwise.
 */
export function parseMemoryLimit(text: string): { bytes: number } | { reason: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|[kmgt]?i?b)\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase();
  if (!m || unit === undefined || (unit !== '%' && UNITS[unit] === undefined))
    return { reason: `expected ${SIZE_HINT}` };
  const n = Number(m[1]);
  if (unit === '%') {
    if (!(n > 0 && n <= 100)) return { reason: 'a share of the memory is between 0 and 100 %' };
    return { bytes: Math.max(MIN_MEMORY_BYTES, Math.floor((machineMemory() * n) / 100)) };
  }
  const bytes = Math.floor(n * (UNITS[unit] as number));
  if (bytes < MIN_MEMORY_BYTES) return { reason: 'at least 64MiB: DuckDB cannot work in less' };
  return { bytes };
}

/**
 * DuckDB's `memory_limit` for `given` (a size or a share, see parseMemoryLimit), by default
 * DEFAULT_MEMORY_SHARE of the machine's memory. InvalidArgumentError for a value it cannot read.
 */
export function duckMemoryLimit(given: string | undefined): string {
  let bytes = Math.max(MIN_MEMORY_BYTES, machineMemory() * DEFAULT_MEMORY_SHARE);
  if (given !== undefined) {
    const r = parseMemoryLimit(given);
    if ('reason' in r)
      throw new InvalidArgumentError(`memory limit ${JSON.stringify(given)}: ${r.reason}`, {
        argument: 'memory_limit',
        reason: r.reason,
      });
    bytes = r.bytes;
  }
  return `${Math.floor(bytes / 2 ** 20)}MiB`;
}
