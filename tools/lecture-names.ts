/**
 * Where the lectures' names.txt is, if present (test and script support, like `doc-examples.ts`).
 * The file is never copied into the repository: tests that need it are skipped without it.
 *
 * The environment variable `LMP_NAMES` wins when set; otherwise the file is looked for at
 * `<repo root>/../shared/data/names.txt`, the repo root being the folder with pnpm-workspace.yaml
 * above this file.
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder with pnpm-workspace.yaml, walking up from this file (null if there is none). */
export function repoRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The path names.txt is looked for at: `$LMP_NAMES` when set, else
 * `<repo root>/../shared/data/names.txt` (null only when the repo root cannot be found). For error
 * messages that say where the file was expected; `lectureNamesPath()` is the one to read from.
 */
export function expectedLectureNamesPath(): string | null {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by vitest and scripts at run time, never by a cached turbo task
  const fromEnv = process.env.LMP_NAMES;
  if (fromEnv) return fromEnv;
  const root = repoRoot();
  return root === null ? null : resolve(root, '../shared/data/names.txt');
}

/** The path of the lectures' names.txt, or null when it is not there. */
export function lectureNamesPath(): string | null {
  const path = expectedLectureNamesPath();
  return path !== null && existsSync(path) ? path : null;
}
