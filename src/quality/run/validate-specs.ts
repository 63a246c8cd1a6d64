// Every spec is validated against the tables at the ref before any query runs (table, columns,
// referenced table and field): a wrong name is a CheckSpecError with file and line.
import type { CheckSpecError } from '../../common/errors.js';
import type { Column, TableAtRef } from '../../engine/tables.js';
import { refTable } from '../checks.js';
import { type CheckSpec, checkSpecError } from '../spec.js';

function specError(spec: CheckSpec, reason: string): CheckSpecError {
  return checkSpecError(spec.source.file, spec.source.line, reason);
}

/** The column of a table by name, ignoring case (the table's spelling is returned). */
function columnOf(t: TableAtRef, name: string): Column | undefined {
  return t.manifest.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Checks every name a spec uses against the tables at the ref; returns the specs, resolved. */
export function validateSpecs(
  specs: CheckSpec[],
  tables: Map<string, TableAtRef>,
  ref: string,
): CheckSpec[] {
  return specs.map((spec) => {
    const t = tables.get(spec.table);
    if (!t) throw specError(spec, `table ${spec.table} does not exist at ${ref}`);
    const col = (name: string): string => {
      const c = columnOf(t, name);
      if (!c)
        throw specError(
          spec,
          `table ${spec.table} has no column ${name} (columns: ${t.manifest.columns.map((x) => x.name).join(', ')})`,
        );
      return c.name;
    };
    const out: CheckSpec = { ...spec, params: { ...spec.params } };
    if (spec.column !== undefined) out.column = col(spec.column);
    if (spec.type === 'unique' && spec.column === undefined) {
      const cols = (spec.params.columns ?? spec.params.combination_of_columns) as
        | string[]
        | undefined;
      if (!cols) throw specError(spec, 'a table-level unique check needs columns: [...]');
      out.params.columns = cols.map(col);
    }
    if (spec.type === 'relationships') {
      const target = tables.get(refTable(String(spec.params.to)));
      if (!target)
        throw specError(
          spec,
          `relationships: table ${refTable(String(spec.params.to))} does not exist at ${ref}`,
        );
      const f = columnOf(target, String(spec.params.field));
      if (!f)
        throw specError(
          spec,
          `relationships: table ${target.name} has no column ${spec.params.field}`,
        );
      out.params.to = target.name;
      out.params.field = f.name;
    }
    return out;
  });
}
