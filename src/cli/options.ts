// Validation of option values that commander passes as strings. Failures are InvalidArgumentError
// (exit 1) naming the option (ReservedMetadataError for a reserved `--meta` key), raised before
// the command touches anything.
import * as z from 'zod';
import { InvalidArgumentError, ReservedMetadataError } from '../index.js';
import { parseMemoryLimit } from '../internal.js';

function parseWith<T>(schema: z.ZodType<T>, value: unknown, argument: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const reason = r.error.issues[0]?.message ?? 'invalid value';
  throw new InvalidArgumentError(`${argument}: ${reason} (got ${JSON.stringify(value)})`, {
    argument,
    reason,
  });
}

const integer = z
  .string()
  .regex(/^\d+$/, 'expected a whole number')
  .transform((s) => Number(s));

export function positiveInt(value: string | undefined, argument: string): number | undefined {
  if (value === undefined) return undefined;
  return parseWith(
    integer.pipe(z.number().int().min(1, 'must be at least 1').max(Number.MAX_SAFE_INTEGER)),
    value,
    argument,
  );
}

/** A count that may be 0 (`--sample 0`). */
export function nonNegativeInt(value: string | undefined, argument: string): number | undefined {
  if (value === undefined) return undefined;
  return parseWith(integer.pipe(z.number().int().max(Number.MAX_SAFE_INTEGER)), value, argument);
}

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a number ≥ 0')
  .transform((s) => Number(s));

export function nonNegativeNumber(value: string | undefined, argument: string): number | undefined {
  if (value === undefined) return undefined;
  return parseWith(decimal, value, argument);
}

const metaPair = z.string().regex(/^[^=]+=/, 'expected key=value with a non-empty key');

/**
 * Repeated `--meta k=v` values as a record; a key given twice is an error, and so is a key under
 * `sluice.` — Sluice records those itself (a forced gate, a rules change, a run's id, a file's
 * row count), and some attest what it did (docs/quality.md, "Reserved metadata").
 */
export function metadata(
  values: string[] | undefined,
  argument = '--meta',
): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const pair = parseWith(metaPair, v, argument);
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (key === '')
      throw new InvalidArgumentError(`${argument}: empty key in ${JSON.stringify(v)}`, {
        argument,
        reason: 'empty key',
      });
    if (key.startsWith('sluice.')) {
      throw new ReservedMetadataError(
        `${argument}: ${JSON.stringify(key)}: keys under sluice. are recorded by Sluice itself`,
        { keys: [key], reason: 'the sluice. prefix is reserved' },
      );
    }
    if (key in out) {
      throw new InvalidArgumentError(`${argument}: key ${JSON.stringify(key)} given twice`, {
        argument,
        reason: 'duplicate key',
      });
    }
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  argument: string,
): T | undefined {
  if (value === undefined) return undefined;
  return parseWith(z.enum(allowed as unknown as [T, ...T[]]), value, argument) as T;
}

export function nonEmpty(value: string, argument: string): string {
  return parseWith(z.string().trim().min(1, 'must not be empty'), value, argument) && value;
}

/** `a,b` → ['a', 'b']: a comma-separated list of non-empty names (e.g. `--key id,day`). */
export function commaList(value: string | undefined, argument: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new InvalidArgumentError(`${argument}: empty name in ${JSON.stringify(value)}`, {
      argument,
      reason: 'empty name',
    });
  }
  return items;
}

/** One character, as for a CSV delimiter or quote; `\t` and `tab` mean a tab. */
export function singleChar(value: string | undefined, argument: string): string | undefined {
  if (value === undefined) return undefined;
  const v = value === '\\t' || value.toLowerCase() === 'tab' ? '\t' : value;
  return parseWith(
    z.string().refine((s) => [...s].length === 1, 'expected one character'),
    v,
    argument,
  );
}

/**
 * The destination of `merge` and `load`: `--branch`, or `--into`, its synonym kept from before
 * every write took `-b`. Both at once must name the same branch.
 */
export function destinationBranch(opts: { branch?: string; into?: string }): string | undefined {
  if (opts.branch !== undefined && opts.into !== undefined && opts.branch !== opts.into) {
    throw new InvalidArgumentError(
      `--branch ${opts.branch} and --into ${opts.into} name different branches: give one of them`,
      { argument: '--into', reason: 'conflicts with --branch' },
    );
  }
  return opts.branch ?? opts.into;
}

/** `--memory-limit`: a size (`4GB`) or a share of the machine's memory (`50%`), as DuckDB takes it. */
export function memoryLimit(value: string | undefined, argument: string): string | undefined {
  if (value === undefined) return undefined;
  const r = parseMemoryLimit(value);
  if ('reason' in r)
    throw new InvalidArgumentError(`${argument}: ${r.reason} (got ${JSON.stringify(value)})`, {
      argument,
      reason: r.reason,
    });
  return value;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
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

/** A size in bytes: `1048576`, `100MB`, `5GiB`. */
export function byteSize(value: string | undefined, argument: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b)?\s*$/i.exec(value);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : Number.NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    const reason = 'expected a size such as 100MB, 5GiB or a number of bytes';
    throw new InvalidArgumentError(`${argument}: ${reason} (got ${JSON.stringify(value)})`, {
      argument,
      reason,
    });
  }
  return bytes;
}
