// The directory of Sluice's package.json, found from this module upward: the same answer from
// src/cli (tests), dist/cli (the library build) and the CLI bundle's chunks (dist/cli-bundle/…),
// whose depths differ. `--version` reads the package.json there; the quickstart, examples/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  root = dir;
  return dir;
}
