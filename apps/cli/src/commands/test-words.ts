// Shared by the makemore command tests: a small word list in a temporary directory, and the
// lectures' names.txt when this machine has it (tests that need it are skipped otherwise).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../cli.js';
import { bufferIO } from '../io.js';

/** 48 first names: enough for a 38 / 5 / 5 split and a model that learns something in 100 steps. */
export const WORDS = (
  'emma olivia ava isabella sophia mia amelia harper evelyn abigail emily ella elizabeth camila ' +
  'luna sofia avery mila aria scarlett penelope layla chloe victoria madison eleanor grace nora ' +
  'liam noah oliver elijah james william benjamin lucas henry alexander mason michael ethan daniel ' +
  'jacob logan jackson levi sebastian'
).split(' ');

/** A fresh temporary directory holding `words.txt` (the `WORDS`, one per line). */
export function wordsDirectory(words: readonly string[] = WORDS): string {
  const directory = mkdtempSync(join(tmpdir(), 'lmp-makemore-'));
  writeFileSync(join(directory, 'words.txt'), `${words.join('\n')}\n`);
  return directory;
}

/** Runs `lmp args` in-process in `cwd` and returns the exit code and both outputs. */
export async function lmp(args: string[], options: { cwd?: string; isTTY?: boolean } = {}) {
  const io = bufferIO(options);
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) directory = dirname(directory);
  return directory;
}

/** The lectures' names.txt ($LMP_NAMES, else ../shared/data/names.txt beside the repository). */
export const NAMES_PATH =
  process.env.LMP_NAMES ?? resolve(repositoryRoot(), '../shared/data/names.txt');
export const HAS_NAMES = existsSync(NAMES_PATH);
