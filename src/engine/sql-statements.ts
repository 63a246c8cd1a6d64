// Splitting SQL text into statements, as both edges run it: the CLI's `sql` (a script, or its
// prompt's lines) and the server's SQL route run every statement but the last, then read the last.

/**
 * Splits SQL at the `;` that end statements (not those inside quotes, comments or dollar-quoted
 * strings). `rest` is an unfinished last statement (no `;` yet); statements holding only comments
 * and blanks are dropped.
 */
export function splitStatements(sql: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let start = 0;
  let content = false; // anything but blanks and comments since `start`
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === "'" || ch === '"') {
      content = true;
      const end = sql.indexOf(ch, i + 1); // a doubled quote reads as two adjacent strings
      i = end < 0 ? n : end + 1;
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      content = true;
      const tag = (/^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64)) as RegExpExecArray)[0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
    } else if (ch === ';') {
      if (content) statements.push(sql.slice(start, i).trim());
      start = i + 1;
      content = false;
      i++;
    } else {
      if (!/\s/.test(ch)) content = true;
      i++;
    }
  }
  const tail = sql.slice(start);
  return {
    statements: content ? [...statements, tail.trim()] : statements,
    rest: content ? tail : '',
  };
}
