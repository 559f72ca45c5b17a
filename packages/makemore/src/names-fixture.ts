/**
 * Test support: where the lecture's names.txt is, if present. Tests use it only when it exists
 * (it is never copied into the repository): env `LMP_NAMES`, else `<repo root>/../shared/data/names.txt`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The path of names.txt, or null when it is not available. */
export function namesPath(): string | null {
  const fromEnv = process.env.LMP_NAMES;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const root = repoRoot();
  if (!root) return null;
  const path = resolve(root, '../shared/data/names.txt');
  return existsSync(path) ? path : null;
}
