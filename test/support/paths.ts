// Where the repository and the shared reference material are, whether tests run from sources or from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this file that holds package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** `../shared` beside the repository (the steering repo's shared folder). */
export function sharedDir(): string {
  return join(repoRoot(), '..', 'shared');
}

export function vectorsDir(): string {
  return join(sharedDir(), 'vectors');
}
