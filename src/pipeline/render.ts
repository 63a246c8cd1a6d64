// Models are Jinja templates, rendered with nunjucks (Jinja's JavaScript sibling) and dbt's
// context: `ref`, `source`, `config(...)`, `var`, `env_var`, `is_incremental()`, `this`, `target`,
// `run_started_at`, `exceptions.raise_compiler_error`. `set`, `for` / `if`, `loop.last`, filters
// and whitespace control are the template language's own.
//
// A relation renders as the table's quoted name (`"stg_orders"`): DuckDB resolves it in the
// schema of the ref a query or stored view runs against. An ephemeral model renders as the name
// of a CTE (`__dbt__cte__name`) that `withEphemerals` puts in front of the query.
import nunjucks from 'nunjucks';
import { ProjectError } from '../common/errors.js';
import { sqlIdent } from '../engine/duckdb.js';
import type { ModelConfig, ModelFile, Project, Reference } from './project.js';

export interface RenderContext {
  /** How a reference renders (and whether it exists): throws for an unknown model or source. */
  relation: (ref: Reference) => string;
  isIncremental: boolean;
  /** The model's own relation (`{{ this }}`). */
  self: string;
  target: { name: string; schema: string; type: 'duckdb'; threads: number };
  runStartedAt: Date;
}

export interface Rendered {
  sql: string;
  refs: string[];
  sources: { source: string; table: string }[];
  /** What `{{ config(...) }}` set. */
  config: Partial<ModelConfig>;
  /** What `config()` was given, as written (a singular test's `severity`, `warn_if` …). */
  given: Record<string, unknown>;
}

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
// Jinja's `is none` (nunjucks has `is null`); the typings lack addTest.
(env as unknown as { addTest(name: string, fn: (v: unknown) => boolean): void }).addTest(
  'none',
  (v) => v === null || v === undefined,
);
env.addFilter('as_bool', (v: unknown) => v === true || v === 'true' || v === 'True');
env.addFilter('as_number', (v: unknown) => Number(v));
env.addFilter('as_text', (v: unknown) => String(v));

/** The line (1-based) of the first occurrence of `needle` in `text`, if any. */
function lineOf(text: string, needle: RegExp): number | undefined {
  const m = needle.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The error for a model: `models/x.sql:3: reason`. */
export function modelError(model: ModelFile, reason: string, line?: number): ProjectError {
  return new ProjectError(`${model.path}${line ? `:${line}` : ''}: ${reason}`, {
    file: model.path,
    ...(line ? { line } : {}),
    reason,
  });
}

/** Keyword arguments of a nunjucks call (`config(materialized='table')`). */
function kwargs(args: unknown[]): Record<string, unknown> {
  const last = args.at(-1);
  if (last && typeof last === 'object' && (last as { __keywords?: boolean }).__keywords) {
    const { __keywords: _, ...rest } = last as Record<string, unknown>;
    return rest;
  }
  return {};
}

function configFromCall(model: ModelFile, kw: Record<string, unknown>): Partial<ModelConfig> {
  const out: Partial<ModelConfig> = {};
  const bad = (key: string, want: string): never => {
    throw modelError(model, `config(${key}=…): ${want}`, lineOf(model.sql, /config\s*\(/));
  };
  const list = (key: string, v: unknown): string[] => {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    return bad(key, 'a string or a list of strings');
  };
  for (const [k, v] of Object.entries(kw)) {
    if (k === 'materialized') {
      if (v !== 'table' && v !== 'view' && v !== 'incremental' && v !== 'ephemeral')
        bad(k, 'one of table, view, incremental, ephemeral');
      out.materialized = v as ModelConfig['materialized'];
    } else if (k === 'tags') out.tags = list(k, v);
    else if (k === 'unique_key') out.uniqueKey = list(k, v);
    else if (k === 'alias') {
      if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) bad(k, 'a name');
      out.alias = v as string;
    } else if (k === 'enabled') out.enabled = v !== false;
    else if (k === 'contract') {
      const enforced = (v as { enforced?: unknown } | null)?.enforced;
      out.contractEnforced = enforced === true;
    }
    // Other keys (dbt adapter settings: schema, database, incremental_strategy …) are accepted.
  }
  return out;
}

/** What a render gathers from the template's calls; `thrown`: the first call that failed. */
interface Calls {
  refs: string[];
  sources: { source: string; table: string }[];
  config: Partial<ModelConfig>;
  /** What `config()` was given, under dbt's own names (`unique_key`): what `config.get` reads. */
  given: Record<string, unknown>;
  thrown?: unknown;
}

/** Renders a model's template. Jinja syntax errors and failed calls are ProjectErrors with a line. */
export function renderModel(project: Project, model: ModelFile, ctx: RenderContext): Rendered {
  const calls: Calls = { refs: [], sources: [], config: {}, given: {} };
  const context = dbtContext(project, model, ctx, calls);
  const sql = renderTemplate(project, model, context, calls);
  return {
    sql,
    refs: calls.refs,
    sources: calls.sources,
    config: calls.config,
    given: calls.given,
  };
}

/** The template's context: dbt's functions and values, each call recorded in `calls`. */
function dbtContext(
  project: Project,
  model: ModelFile,
  ctx: RenderContext,
  calls: Calls,
): Record<string, unknown> {
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): R => {
      try {
        return fn(...a);
      } catch (err) {
        calls.thrown ??= err;
        throw err;
      }
    };
  const configFn = guard((...args: unknown[]) => {
    const kw = kwargs(args);
    calls.config = { ...calls.config, ...configFromCall(model, kw) };
    calls.given = { ...calls.given, ...kw };
    return '';
  });
  return {
    ref: guard((...args: unknown[]) => refCall(model, ctx, calls, args)),
    source: guard((source: unknown, table: unknown) =>
      sourceCall(model, ctx, calls, source, table),
    ),
    config: Object.assign(configFn, {
      get: (key: string, dflt?: unknown) =>
        (Object.hasOwn(calls.given, key) ? calls.given[key] : undefined) ?? dflt,
    }),
    var: guard((name: unknown, ...rest: unknown[]) => {
      const key = String(name);
      // Own keys only: `var('constructor')` is not Object.prototype's.
      if (Object.hasOwn(project.config.vars, key)) return project.config.vars[key];
      if (rest.length > 0) return rest[0];
      throw modelError(
        model,
        `var ${JSON.stringify(key)} is not defined in ${project.config.file} and has no default`,
        lineOf(model.sql, new RegExp(`var\\s*\\(\\s*['"]${esc(key)}['"]`)),
      );
    }),
    env_var: guard((name: unknown, ...rest: unknown[]) => {
      const v = process.env[String(name)];
      if (v !== undefined) return v;
      if (rest.length > 0) return rest[0];
      throw modelError(
        model,
        `environment variable ${String(name)} is not set and has no default`,
        lineOf(model.sql, new RegExp(`env_var\\s*\\(\\s*['"]${esc(String(name))}['"]`)) ??
          lineOf(model.sql, /env_var\s*\(/),
      );
    }),
    is_incremental: () => ctx.isIncremental,
    this: ctx.self,
    target: ctx.target,
    run_started_at: ctx.runStartedAt.toISOString(),
    exceptions: {
      raise_compiler_error: guard((msg: unknown) => {
        throw modelError(model, String(msg));
      }),
      warn: () => '',
    },
    log: () => '',
    // Jinja spells its constants True / False / None; nunjucks knows only true / false / none,
    // and would render `config(enabled=False)` with an undefined (so: enabled).
    True: true,
    False: false,
    None: null,
  };
}

/** `ref('model')` or `ref('package', 'model')`: packages are not resolved, the name is. */
function refCall(model: ModelFile, ctx: RenderContext, calls: Calls, args: unknown[]): string {
  const pos = args.filter((a) => typeof a === 'string') as string[];
  const name = pos.at(-1);
  if (name === undefined)
    throw modelError(model, 'ref() needs a model name', lineOf(model.sql, /ref\s*\(/));
  calls.refs.push(name);
  try {
    return ctx.relation({ kind: 'ref', name });
  } catch (err) {
    if (err instanceof ProjectError) {
      throw modelError(
        model,
        err.data.reason,
        lineOf(model.sql, new RegExp(`ref\\s*\\([^)]*['"]${esc(name)}['"]`)),
      );
    }
    throw err;
  }
}

/** `source('raw', 'orders')`. */
function sourceCall(
  model: ModelFile,
  ctx: RenderContext,
  calls: Calls,
  source: unknown,
  table: unknown,
): string {
  if (typeof source !== 'string' || typeof table !== 'string')
    throw modelError(model, "source() needs a source and a table: source('raw', 'orders')");
  calls.sources.push({ source, table });
  try {
    return ctx.relation({ kind: 'source', source, table });
  } catch (err) {
    if (err instanceof ProjectError) {
      throw modelError(
        model,
        err.data.reason,
        lineOf(model.sql, new RegExp(`source\\s*\\([^)]*['"]${esc(table)}['"]`)),
      );
    }
    throw err;
  }
}

/**
 * Compiled first, then rendered: nunjucks numbers the lines of parse errors from 1 and those of
 * render errors from 0, so the two are told apart here.
 */
function renderTemplate(
  project: Project,
  model: ModelFile,
  context: Record<string, unknown>,
  calls: Calls,
): string {
  let template: nunjucks.Template;
  try {
    template = new nunjucks.Template(model.sql, env, undefined, true);
  } catch (err) {
    throw jinjaError(model, err, 0);
  }
  try {
    return template.render(context);
  } catch (err) {
    const thrown = calls.thrown;
    if (thrown !== undefined) {
      // A failed call (ref, var, raise_compiler_error …): its own error, with the line of the
      // call when the error could not tell it.
      const line = jinjaLine(err, 1);
      if (thrown instanceof ProjectError && thrown.data.line === undefined && line !== undefined)
        throw modelError(model, thrown.data.reason, line);
      throw thrown;
    }
    throw unsupportedCall(project, model, err, Object.keys(context)) ?? jinjaError(model, err, 1);
  }
}

/**
 * A call of something the context lacks — a project macro, a package's (`dbt_utils.…`), dbt's
 * own (`dbt.…`, `adapter.…`) — as an error that says what is not supported, on the call's line.
 */
function unsupportedCall(
  project: Project,
  model: ModelFile,
  err: unknown,
  known: string[],
): ProjectError | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /Unable to call `([^`]+)`, which is undefined or falsey/.exec(msg);
  if (!m) return undefined;
  // nunjucks names `dbt_utils.star` as dbt_utils["star"].
  const parts = (m[1] as string).split(/\["|"\]\[?"?|\./).filter((x) => x !== '' && x !== ']');
  const root = parts[0] as string;
  const name = parts.join('.');
  const line = jinjaLine(err, 1) ?? lineOf(model.sql, new RegExp(`\\b${esc(root)}\\s*[.(\\[]`));
  const macro = project.macros?.get(root);
  const reason =
    parts.length === 1
      ? macro
        ? `${name}() is a macro (${macro.file}:${macro.line}): macros are not supported yet — put its SQL in the model`
        : `${name}() is not defined (macros are not supported yet; the context has ${known.filter((k) => /^[a-z]/.test(k)).join(', ')})`
      : root === 'dbt'
        ? `${name}() is not supported (dbt's built-in macros are not available)`
        : root === 'adapter' || root === 'api' || known.includes(root)
          ? `${name}() is not supported (the context has no ${name})`
          : `${name}(): packages are not supported yet (${root} is not defined)`;
  return modelError(model, reason, line);
}

/** The line (1-based) a nunjucks error names (`[Line n, Column m]`): n + offset, 1 for render errors. */
function jinjaLine(err: unknown, offset: number): number | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /\[Line (\d+), Column \d+\]/.exec(msg);
  return m ? Number(m[1]) + offset : undefined;
}

/** A nunjucks error as a ProjectError on the model's line. */
function jinjaError(model: ModelFile, err: unknown, offset: number): ProjectError {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /\[Line \d+, Column \d+\]\s*([\s\S]*)$/.exec(msg);
  const reason = (m?.[1] ?? msg).replace(/^\s*\(unknown path\)\s*/, '').trim();
  // An unknown filter is reported without a position: the template names it.
  const filter = /filter not found: ([A-Za-z_]\w*)/.exec(reason);
  const line =
    jinjaLine(err, offset) ??
    (filter ? lineOf(model.sql, new RegExp(`\\|\\s*${esc(filter[1] as string)}\\b`)) : undefined);
  return modelError(
    model,
    `Jinja: ${reason
      .split('\n')
      .map((l) => l.trim())
      .join(' ')}`,
    line,
  );
}

/** The quoted relation a table renders as. */
export const relationName = (table: string): string => sqlIdent(table);

/** The CTE name an ephemeral model renders as. */
export const ephemeralName = (model: string): string => `__dbt__cte__${model}`;

/**
 * Puts the CTEs of ephemeral models (`[name, rendered sql]`, dependencies first) in front of a
 * query: into its own WITH when it has one, else as a new WITH.
 */
export function withEphemerals(sql: string, ctes: [string, string][]): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map(
    ([name, body]) => `${sqlIdent(ephemeralName(name))} AS (\n${stripSemicolon(body)}\n)`,
  );
  // Leading comments and blank lines stay where they are.
  const lead = /^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(sql)?.[0] ?? '';
  const rest = sql.slice(lead.length);
  const withKw = /^with\s+(recursive\s+)?/i.exec(rest);
  if (withKw) return `${lead}${withKw[0]}${defs.join(',\n')},\n${rest.slice(withKw[0].length)}`;
  return `${lead}WITH ${defs.join(',\n')}\n${rest}`;
}

/** A model's SQL without a trailing semicolon (dbt models often end with one). */
export function stripSemicolon(sql: string): string {
  // A semicolon followed only by whitespace and comments (`select 1; -- done`): the comments
  // stay (they end at a newline inside the CTE), the semicolon goes. Each alternative matches
  // one way only, so a failed match cannot backtrack exponentially.
  const m = /;((?:\s|--[^\n]*(?:\n|$)|\/\*(?:[^*]|\*(?!\/))*\*\/)*)$/.exec(sql);
  if (!m) return sql;
  const tail = m[1] ?? '';
  return sql.slice(0, m.index) + (tail.trim() === '' ? '' : tail);
}
