// A model's enforced contract (`contract: {enforced: true}`): the columns its properties declare,
// names and types, exactly — checked on the query's columns before anything is written.

import type { SqlSession } from '../../engine/session.js';
import type { Column } from '../../engine/tables.js';
import type { CompiledModel, CompiledProject } from '../graph.js';
import { modelError } from '../render.js';

/** Throws a ProjectError naming every difference (and where the contract is declared). */
export async function checkContract(
  compiled: CompiledProject,
  m: CompiledModel,
  columns: Column[],
  session: SqlSession,
): Promise<void> {
  const declared = compiled.project.properties.get(m.file.name)?.columns ?? [];
  const where = compiled.project.properties.get(m.file.name);
  const fail = (reason: string): never => {
    throw modelError(
      m.file,
      `contract: ${reason}${where ? ` (declared in ${where.file}:${where.line})` : ''}`,
    );
  };
  if (declared.length === 0) fail('contract enforced but no columns declared');
  const untyped = declared.find((c) => !c.dataType);
  if (untyped) fail(`column ${untyped.name} has no data_type`);
  const canon = async (type: string): Promise<string> => {
    try {
      return String(
        (await session.duck.query(`SELECT typeof(CAST(NULL AS ${type})) AS t`)).rows[0]?.t,
      );
    } catch {
      return fail(`data_type ${JSON.stringify(type)} is not a DuckDB type`);
    }
  };
  const got = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const problems: string[] = [];
  for (const d of declared) {
    const c = got.get(d.name.toLowerCase());
    if (!c) {
      problems.push(`missing column ${d.name}`);
      continue;
    }
    const want = await canon(d.dataType as string);
    if (want !== c.type) problems.push(`column ${d.name} is ${c.type}, the contract says ${want}`);
  }
  const names = new Set(declared.map((d) => d.name.toLowerCase()));
  for (const c of columns)
    if (!names.has(c.name.toLowerCase())) problems.push(`column ${c.name} is not in the contract`);
  if (problems.length > 0) fail(problems.join('; '));
}
