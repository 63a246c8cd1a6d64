// What every role's conformance cases share: the fixture (a fresh store per test, with
// repository R created), the fixed time and repository name, and small helpers.
import type { BranchRecord, MetaStore, StagedChange, StagedValue } from '../meta-store.js';

export interface ConformanceSubject {
  meta: MetaStore;
  cleanup(): Promise<void>;
}

/** The running test's store (valid inside tests and hooks only), and a branch maker on it. */
export interface ConformanceFixture {
  readonly meta: MetaStore;
  /** Creates branch `name` of R on commit `c0` with staging token `stagingToken`. */
  branch(name: string, stagingToken?: string): Promise<BranchRecord>;
}

export const T0 = new Date('2024-05-01T12:34:56.789Z');
export const R = 'repo1';

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Byte order, computed independently of the implementation. */
export function byteSort(paths: string[]): string[] {
  return [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function value(address: string, metadata: Record<string, string> = {}): StagedValue {
  return {
    address,
    size: address.length,
    checksum: `c-${address}`,
    contentType: 'text/plain',
    metadata,
  };
}

export function put(path: string, address = `addr-${path}`): StagedChange {
  return { path, value: value(address) };
}
