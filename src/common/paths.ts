import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | null = null;

/** The project's root folder (holding package.json), found from this file in src/ or dist/src/. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'views'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Mend could not find its project folder (package.json beside views/)');
    dir = parent;
  }
  root = dir;
  return dir;
}
