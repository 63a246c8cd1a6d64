// The Great Expectations expectation table: how each GX expectation maps to one Sluice check,
// keeping `mostly`, `strict_min` / `strict_max` and, when it is SQL, the `row_condition` (as
// `where`). An expectation without a Sluice equivalent, an argument that would change the verdict
// and cannot be carried over (a pandas `row_condition`, a suite parameter, a Python-only regex
// feature), or a malformed expectation is a Refusal naming why (gx.ts collects them).
import { CHECKS, type CheckType } from './checks.js';

export type Args = Record<string, unknown>;

/** One expectation, translated. */
export interface Mapped {
  /** Column tests go under `columns:`; table tests under the model's `tests:`. */
  column?: string;
  type: CheckType;
  params: Args;
  /** A caveat written next to the test in the YAML. */
  note?: string;
}

/** Why one expectation cannot be imported. */
export class Refusal extends Error {}
const refuse = (reason: string): never => {
  throw new Refusal(reason);
};

/**
 * How an expectation is evaluated, which decides what `mostly` means: per value (`column` and
 * `multicolumn` map expectations take `mostly`), or once (`table`, `aggregate`).
 */
type Kind = 'column' | 'multicolumn' | 'table' | 'aggregate';

interface Mapper {
  kind: Kind;
  /** The arguments it reads (besides the common ones). */
  args: readonly string[];
  map(a: Args): Mapped;
}

/** Arguments that never change a verdict: output shape, error handling, metadata. */
const IGNORED = new Set([
  'result_format',
  'include_config',
  'catch_exceptions',
  'meta',
  'notes',
  'description',
  'batch_id',
  'rendered_content',
  'id',
  'ge_cloud_id',
]);

/** Arguments every expectation may carry; handled for all of them. */
const COMMON = new Set(['mostly', 'row_condition', 'condition_parser', 'severity']);

/** The keys of a 1.x expectation that are not its arguments. */
const ENVELOPE = new Set([
  'type',
  'expectation_type',
  'kwargs',
  'meta',
  'notes',
  'id',
  'ge_cloud_id',
  'description',
  'rendered_content',
  'expectation_context',
  'success_on_last_run',
]);

/** `condition_parser`s whose `row_condition` is a SQL boolean expression (Spark SQL's `F.expr`). */
const SQL_PARSERS = new Set(['spark', 'spark_sql', 'sql']);

const BOUNDS = ['min_value', 'max_value', 'strict_min', 'strict_max'] as const;
/** 0.x arguments of bounded expectations that shape output or pandas parsing only. */
const BOUND_EXTRAS = ['parse_strings_as_datetimes', 'output_strftime_format'] as const;

const present = (v: unknown): boolean => v !== undefined && v !== null;

function columnArg(a: Args, key = 'column'): string {
  const c = a[key];
  if (!present(c)) refuse(`missing ${key}`);
  if (typeof c !== 'string' || c === '') refuse(`${key} must be a column name`);
  return c as string;
}

function columnList(a: Args, key = 'column_list'): string[] {
  const list = a[key];
  if (!present(list)) refuse(`missing ${key}`);
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((c) => typeof c === 'string' && c !== '')
  )
    refuse(`${key} must be a non-empty list of column names`);
  return list as string[];
}

function bool(a: Args, key: string): boolean | undefined {
  const v = a[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'boolean') refuse(`${key} must be true or false, not ${JSON.stringify(v)}`);
  return v as boolean;
}

/** A bound: a number, or a string (a date or timestamp, compared by SQL as one). */
function boundArg(a: Args, key: string): number | string | undefined {
  const v = a[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'number' && typeof v !== 'string')
    refuse(`${key} must be a number or a date, not ${JSON.stringify(v)}`);
  return v as number | string;
}

/** min_value / max_value / strict_min / strict_max → Sluice's min / max / strict_min / strict_max. */
function bounds(a: Args): Args {
  const min = boundArg(a, 'min_value');
  const max = boundArg(a, 'max_value');
  if (min === undefined && max === undefined) refuse('give min_value, max_value or both');
  const out: Args = {};
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  if (min !== undefined && bool(a, 'strict_min')) out.strict_min = true;
  if (max !== undefined && bool(a, 'strict_max')) out.strict_max = true;
  return out;
}

/** Length bounds as whole numbers: lengths are integers, so a strict bound is the next one in. */
function lengthBounds(a: Args): Args {
  const num = (key: string): number | undefined => {
    const v = a[key];
    if (!present(v)) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      refuse(`${key} must be a number, not ${JSON.stringify(v)}`);
    return v as number;
  };
  const min = num('min_value');
  const max = num('max_value');
  if (min === undefined && max === undefined) refuse('give min_value, max_value or both');
  const out: Args = {};
  if (min !== undefined)
    out.min = Math.max(0, bool(a, 'strict_min') ? Math.floor(min) + 1 : Math.ceil(min));
  if (max !== undefined) {
    const m = bool(a, 'strict_max') ? Math.ceil(max) - 1 : Math.floor(max);
    if (m < 0) refuse(`no length is ${bool(a, 'strict_max') ? 'below' : 'at most'} ${max}`);
    out.max = m;
  }
  return out;
}

/**
 * A Python `re` pattern as RE2 (DuckDB's regexp_matches). Both search (GX's pandas backend uses
 * `str.contains`, its SQL backends `~`/`REGEXP`), and the common syntax is the same; what RE2
 * lacks — lookaround, backreferences, atomic groups, conditionals, verbose mode — is refused
 * rather than left to fail at run time. Python's `\Z` (end of text) is RE2's `\z`.
 */
export function pythonRegexToRe2(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next))
        refuse(`regex ${JSON.stringify(pattern)}: backreferences (\\${next}) are not supported`);
      out += next === 'Z' && !inClass ? '\\z' : `\\${next}`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // `[]…]` and `[^]…]`: a leading `]` is a literal.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      const what = /^(=|!|<=|<!)/.test(rest)
        ? 'lookarounds'
        : rest.startsWith('P=')
          ? 'named backreferences'
          : rest.startsWith('>')
            ? 'atomic groups'
            : rest.startsWith('(')
              ? 'conditional groups'
              : rest.startsWith('#')
                ? 'comment groups'
                : undefined;
      if (what)
        refuse(`regex ${JSON.stringify(pattern)}: ${what} are not supported by SQL regexes`);
      const flags = /^([a-zA-Z-]+)[):]/.exec(rest)?.[1];
      if (flags && /[^ims-]/.test(flags))
        refuse(`regex ${JSON.stringify(pattern)}: inline flags (?${flags}) are not supported`);
    }
    out += ch;
  }
  return out;
}

/** Shared by the six column aggregates. */
const aggregate = (type: CheckType): Mapper => ({
  kind: 'aggregate',
  args: ['column', ...BOUNDS, ...BOUND_EXTRAS],
  map: (a) => ({ column: columnArg(a), type, params: bounds(a) }),
});

const MAPPERS: Record<string, Mapper> = {
  expect_column_values_to_not_be_null: {
    kind: 'column',
    args: ['column'],
    map: (a) => ({ column: columnArg(a), type: 'not_null', params: {} }),
  },
  expect_column_values_to_be_unique: {
    kind: 'column',
    args: ['column'],
    map: (a) => ({ column: columnArg(a), type: 'unique', params: {} }),
  },
  expect_column_values_to_be_in_set: {
    kind: 'column',
    args: ['column', 'value_set', 'parse_strings_as_datetimes'],
    map: (a) => {
      const column = columnArg(a);
      const set = a.value_set;
      if (!present(set)) refuse('missing value_set');
      if (!Array.isArray(set)) refuse('value_set must be a list');
      const values = set as unknown[];
      if (values.length === 0) refuse('value_set is empty (every value would fail)');
      for (const v of values)
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
          refuse(`value_set holds ${JSON.stringify(v)}: only strings, numbers and booleans`);
      return { column, type: 'accepted_values', params: { values } };
    },
  },
  expect_column_values_to_be_between: {
    kind: 'column',
    args: ['column', ...BOUNDS, ...BOUND_EXTRAS, 'allow_cross_type_comparisons'],
    map: (a) => ({ column: columnArg(a), type: 'between', params: bounds(a) }),
  },
  expect_column_values_to_match_regex: {
    kind: 'column',
    args: ['column', 'regex'],
    map: (a) => {
      const column = columnArg(a);
      const regex = a.regex;
      if (!present(regex)) refuse('missing regex');
      if (typeof regex !== 'string' || regex === '') refuse('regex must be a non-empty string');
      return { column, type: 'regex', params: { pattern: pythonRegexToRe2(regex as string) } };
    },
  },
  expect_column_values_to_match_regex_list: {
    kind: 'column',
    args: ['column', 'regex_list', 'match_on'],
    map: (a) => {
      const column = columnArg(a);
      const list = a.regex_list;
      if (
        !Array.isArray(list) ||
        list.length === 0 ||
        !list.every((r) => typeof r === 'string' && r !== '')
      )
        refuse('regex_list must be a non-empty list of patterns');
      const on = a.match_on ?? 'any';
      if (on !== 'any')
        refuse(`match_on ${JSON.stringify(on)}: only "any" (one regex with alternatives) maps`);
      const pattern = (list as string[]).map((r) => `(?:${pythonRegexToRe2(r)})`).join('|');
      return { column, type: 'regex', params: { pattern } };
    },
  },
  expect_column_value_lengths_to_be_between: {
    kind: 'column',
    args: ['column', ...BOUNDS],
    map: (a) => ({ column: columnArg(a), type: 'length', params: lengthBounds(a) }),
  },
  expect_column_value_lengths_to_equal: {
    kind: 'column',
    args: ['column', 'value'],
    map: (a) => {
      const column = columnArg(a);
      const v = a.value;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        refuse(`value must be a whole number, not ${JSON.stringify(v)}`);
      return { column, type: 'length', params: { min: v, max: v } };
    },
  },
  expect_compound_columns_to_be_unique: {
    kind: 'multicolumn',
    args: ['column_list', 'ignore_row_if'],
    map: (a) => {
      const columns = columnList(a);
      const ignore = a.ignore_row_if ?? 'all_values_are_missing';
      if (!['all_values_are_missing', 'any_value_is_missing', 'never'].includes(String(ignore)))
        refuse(`unknown ignore_row_if ${JSON.stringify(ignore)}`);
      return {
        type: 'unique',
        params: { columns },
        ...(ignore !== 'any_value_is_missing'
          ? {
              note: `GX ignore_row_if ${ignore}${present(a.ignore_row_if) ? '' : ' (the default)'} also checks rows with some NULLs; Sluice skips every row with a NULL in one of the columns`,
            }
          : {}),
      };
    },
  },
  expect_column_min_to_be_between: aggregate('min'),
  expect_column_max_to_be_between: aggregate('max'),
  expect_column_mean_to_be_between: aggregate('mean'),
  expect_column_median_to_be_between: aggregate('median'),
  expect_column_sum_to_be_between: aggregate('sum'),
  expect_column_stdev_to_be_between: aggregate('stddev'),
  expect_table_row_count_to_be_between: {
    kind: 'table',
    args: [...BOUNDS],
    map: (a) => ({ type: 'row_count', params: bounds(a) }),
  },
  expect_table_row_count_to_equal: {
    kind: 'table',
    args: ['value'],
    map: (a) => {
      const v = a.value;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        refuse(`value must be a whole number, not ${JSON.stringify(v)}`);
      return { type: 'row_count', params: { min: v, max: v } };
    },
  },
  expect_table_columns_to_match_set: {
    kind: 'table',
    args: ['column_set', 'exact_match'],
    map: (a) => {
      const columns = columnList(a, 'column_set');
      // GX: exact_match defaults to true (null counts as the default).
      const exact = bool(a, 'exact_match') ?? true;
      return { type: 'schema', params: { columns, allow_extra: !exact } };
    },
  },
  expect_column_to_exist: {
    kind: 'table',
    args: ['column', 'column_index'],
    map: (a) => {
      const column = columnArg(a);
      if (present(a.column_index))
        refuse('column_index: Sluice checks that a column exists, not where it is');
      return { type: 'schema', params: { columns: [column] } };
    },
  },
};

/** Expectations with no Sluice check, and what to do instead. */
const HINTS: Record<string, string> = {
  expect_column_values_to_be_null: 'no Sluice check requires NULLs; write a sql check',
  expect_column_values_to_not_be_in_set:
    'no Sluice check forbids a set of values; write a sql check',
  expect_column_values_to_not_match_regex:
    'no Sluice check forbids a pattern; write a sql check with regexp_matches',
  expect_table_columns_to_match_ordered_list:
    "Sluice's schema check does not compare column order; use expect_table_columns_to_match_set",
  expect_column_quantile_values_to_be_between:
    'GX quantiles use nearest-rank, Sluice interpolates (quantile_cont); write quantile checks by hand',
  expect_column_values_to_be_of_type:
    "GX type names depend on the backend; write a schema check with Sluice's column types",
  expect_column_values_to_be_in_type_list:
    "GX type names depend on the backend; write a schema check with Sluice's column types",
  expect_select_column_values_to_be_unique_within_record:
    'it compares the columns of each row, which is not a uniqueness of rows; write a sql check',
  expect_multicolumn_values_to_be_unique:
    'it compares the columns of each row, which is not a uniqueness of rows; write a sql check',
};

/** Finds a suite parameter (`{"$PARAMETER": …}`) anywhere in a value. */
function hasSuiteParameter(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasSuiteParameter);
  if (v && typeof v === 'object')
    return Object.entries(v).some(([k, x]) => k === '$PARAMETER' || hasSuiteParameter(x));
  return false;
}

/** An expectation translated, with where it came from (its index and GX type) and its options. */
export interface Translated extends Mapped {
  index: number;
  gxType: string;
  where?: string;
  mostly?: number;
  severity?: 'warn';
}

/** The expectation's type: `type` (1.x) or `expectation_type` (0.x). */
export function typeOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const t = (raw as Args).type ?? (raw as Args).expectation_type;
  return typeof t === 'string' && t !== '' ? t : undefined;
}

/** Its arguments: `kwargs`, or (1.x classes serialised) the keys beside `type`. */
export function argsOf(raw: unknown): Args {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const e = raw as Args;
  if (present(e.kwargs)) {
    if (typeof e.kwargs !== 'object' || Array.isArray(e.kwargs)) refuse('kwargs must be an object');
    const args = { ...(e.kwargs as Args) };
    // A 1.x severity sits beside the kwargs.
    if (present(e.severity) && !present(args.severity)) args.severity = e.severity;
    return args;
  }
  const args: Args = {};
  for (const [k, v] of Object.entries(e)) if (!ENVELOPE.has(k)) args[k] = v;
  return args;
}

/** One expectation as a check, or a Refusal saying why not. */
export function translate(raw: unknown, index: number, gxType: string | undefined): Translated {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    refuse('an expectation must be an object');
  if (gxType === undefined) refuse('no type (or expectation_type)');
  const type = gxType as string;
  const args = argsOf(raw);
  const mapper = MAPPERS[type];
  if (!mapper) refuse(HINTS[type] ?? 'no Sluice check for this expectation');
  const m = mapper as Mapper;
  if (hasSuiteParameter(args))
    refuse('suite parameters ($PARAMETER) are resolved by GX at run time; put the values in');
  const known = new Set(m.args);
  const unknown = Object.keys(args).filter(
    (k) => present(args[k]) && !known.has(k) && !COMMON.has(k) && !IGNORED.has(k),
  );
  if (unknown.length > 0) refuse(`unsupported argument(s): ${unknown.join(', ')}`);

  const out: Translated = { ...m.map(args), index, gxType: type };
  const mostly = args.mostly;
  if (present(mostly)) {
    if (typeof mostly !== 'number' || !(mostly >= 0 && mostly <= 1))
      refuse(`mostly must be a number from 0 to 1, not ${JSON.stringify(mostly)}`);
    if (mostly !== 1) {
      if (m.kind !== 'column' && m.kind !== 'multicolumn')
        refuse(`mostly does not apply to ${type} (it is not a per-row expectation)`);
      if (mostly === 0) refuse('mostly 0 passes whatever the data; leave the expectation out');
      out.mostly = mostly as number;
    }
  }
  const condition = args.row_condition;
  if (present(condition) && condition !== '') {
    const parser = args.condition_parser;
    if (typeof condition !== 'string')
      refuse('a structured row_condition cannot be translated to SQL; add a where by hand');
    if (typeof parser !== 'string' || !SQL_PARSERS.has(parser))
      refuse(
        `row_condition ${JSON.stringify(condition)} (condition_parser ${JSON.stringify(parser ?? null)}) cannot be translated to SQL reliably; give it as SQL with condition_parser "spark", or add a where by hand`,
      );
    out.where = condition as string;
  }
  const severity = args.severity;
  if (present(severity)) {
    const s = String(severity).toLowerCase();
    if (s === 'warning' || s === 'info') out.severity = 'warn';
    else if (s !== 'critical')
      refuse(`severity ${JSON.stringify(severity)}: expected critical, warning or info`);
  }
  // The catalogue's own parameter schemas, so that every problem is listed here with its
  // expectation rather than the first one surfacing from the generated YAML.
  const parsed = CHECKS[out.type].params.safeParse(out.params);
  if (!parsed.success)
    refuse(`bad parameters for ${out.type}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return out;
}
