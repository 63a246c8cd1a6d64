// Whether an input's inferred types are only a guess at the table's: one scan over the values
// decides, before the schema check compares types.
import { type DuckSession, sqlIdent, sqlString } from '../../engine/duckdb.js';
import type { Column } from '../../engine/tables.js';
import { findColumn, isNumericType, isTemporalType, normalizeType, widensTo } from '../schema.js';
import { type CsvOptions, type IngestFormat, readerSql } from '../sources.js';

/**
 * Inference from text is a guess: a CSV column's type is whatever DuckDB makes of a sample; a
 * JSON number's width (BIGINT or DOUBLE) is DuckDB's choice, and so is the type of a JSON string
 * that holds a date or a time. So for each inferred column whose type does not widen into the
 * type the table already has, one scan looks at the values: a column with no values is no
 * evidence of a type (`NULL`); one whose every value fits the table's type takes that type;
 * otherwise the inferred type stays, and the schema check names the column and both types.
 *
 * A CSV value (or JSON text) fits when it parses as the type: `007` into a VARCHAR column stays
 * `007`, `19.99` into a DECIMAL column stays exact, as the write then parses it as that type
 * directly. A JSON number fits another numeric type, and a JSON date or timestamp another
 * temporal type, when it casts there and back unchanged (`2024-01-02` fits a TIMESTAMP column;
 * `2024-01-02 10:00` does not fit a DATE one). A JSON string in a numeric column, a number in a
 * text column, or anything from Parquet (which has real types) is a type change.
 */
export async function inputFitsKnown(
  duck: DuckSession,
  file: string,
  format: IngestFormat,
  csv: CsvOptions,
  cols: Column[],
  known: Column[],
): Promise<void> {
  if (format === 'parquet') return;
  if (format === 'csv' && csv.header === false && !csv.names?.length) return;
  const suspects: { col: Column; type: string; check: 'parse' | 'roundtrip' }[] = [];
  for (const c of cols) {
    const k = findColumn(known, c.name);
    if (!k || widensTo(c.type, k.type)) continue;
    if (format === 'csv' || (normalizeType(c.type) === 'VARCHAR' && isTemporalType(k.type)))
      suspects.push({ col: c, type: k.type, check: 'parse' });
    else if (
      (isNumericType(c.type) && isNumericType(k.type)) ||
      (isTemporalType(c.type) && isTemporalType(k.type))
    )
      suspects.push({ col: c, type: k.type, check: 'roundtrip' });
  }
  if (suspects.length === 0) return;
  const fits = (v: string, s: (typeof suspects)[number]): string => {
    const t = normalizeType(s.type);
    if (s.check === 'roundtrip') return `CAST(TRY_CAST(${v} AS ${s.type}) AS ${s.col.type}) = ${v}`;
    if (format === 'csv' && t === 'DATE' && csv.dateFormat)
      return `try_strptime(${v}, ${sqlString(csv.dateFormat)}) IS NOT NULL`;
    if (format === 'csv' && t === 'TIMESTAMP' && csv.timestampFormat)
      return `try_strptime(${v}, ${sqlString(csv.timestampFormat)}) IS NOT NULL`;
    if (format === 'csv' && csv.decimalSeparator === ',' && isNumericType(t))
      return `TRY_CAST(replace(${v}, ',', '.') AS ${s.type}) IS NOT NULL`;
    return `TRY_CAST(${v} AS ${s.type}) IS NOT NULL`;
  };
  const aggs = suspects.flatMap((s, i) => {
    const v = sqlIdent(s.col.name);
    return [
      `count(${v}) AS n${i}`,
      `count(${v}) FILTER (WHERE NOT coalesce(${fits(v, s)}, false)) AS bad${i}`,
    ];
  });
  // CSV: the suspect columns are read as text.
  const text =
    format === 'csv' ? suspects.map(({ col }) => ({ name: col.name, type: 'VARCHAR' })) : [];
  const r = await duck.query(
    `SELECT ${aggs.join(', ')} FROM ${readerSql(file, format, csv, text)}`,
  );
  const row = r.rows[0] ?? {};
  suspects.forEach(({ col, type }, i) => {
    if (Number(row[`n${i}`] ?? 0) === 0) col.type = 'NULL';
    else if (Number(row[`bad${i}`] ?? 0) === 0) col.type = type;
  });
}
