// Docs blocks: `{% docs name %}…{% enddocs %}` in `.md` files under the model paths, and the
// `{{ doc('name') }}` calls in properties' descriptions that they resolve.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DocBlock } from '../types.js';
import type { ProjectConfig } from './config.js';
import { walk } from './files.js';
import { fail, toPosix } from './reading.js';

/** A docs block as `.md` files under the model paths define it (`{% docs name %}…{% enddocs %}`). */
const DOCS_BLOCK =
  /\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
const DOC_CALL = /\{\{-?\s*doc\s*\(\s*(['"])([^'"]*)\1\s*\)\s*-?\}\}/g;

/** The docs blocks of every `.md` file under the model paths, by name (the files kept in `files`). */
export function readDocsFiles(
  dir: string,
  config: ProjectConfig,
  files: Map<string, string>,
): Map<string, DocBlock> {
  const docs = new Map<string, DocBlock>();
  for (const mp of config.modelPaths) {
    for (const abs of walk(join(dir, mp), /\.md$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      readDocs(text, path, toPosix(relative(join(dir, mp), abs)), docs);
      files.set(path, text);
    }
  }
  return docs;
}

/** The docs blocks of one `.md` file, added to `into` (a name defined twice is an error). */
function readDocs(text: string, file: string, path: string, into: Map<string, DocBlock>): void {
  for (const m of text.matchAll(DOCS_BLOCK)) {
    const name = m[1] as string;
    const line = text.slice(0, m.index).split('\n').length;
    const other = into.get(name);
    if (other)
      fail(file, line, `docs block ${name} is defined twice (also ${other.file}:${other.line})`);
    // dbt strips the block's text.
    into.set(name, { text: (m[2] as string).trim(), file, path, line });
  }
}

/** A description with each `{{ doc('name') }}` replaced by that docs block's text. */
export function resolveDocs(
  text: string,
  docs: Map<string, DocBlock>,
  file: string,
  line: number,
): string {
  return text.replace(DOC_CALL, (_, _q: string, name: string) => {
    const block = docs.get(name);
    if (!block)
      fail(
        file,
        line,
        `doc(${JSON.stringify(name)}): no {% docs ${name} %} block in a .md file under the model paths (docs: ${[...docs.keys()].sort().join(', ') || 'none'})`,
      );
    return (block as DocBlock).text;
  });
}
