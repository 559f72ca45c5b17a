/** Node: export a checkpoint folder as a PyTorch project folder (`exportToPyTorch`'s files). */
import { join } from 'node:path';
import { makeDirectories, writeFileAtomic } from '../atomic-write.js';
import { loadCheckpoint } from '../checkpoint.js';
import { exportToPyTorch } from './export-pytorch.js';

/**
 * Reads the checkpoint in `fromDir` and writes its PyTorch project to `toDir` (created if needed),
 * each file atomically. Returns the paths written. Throws `CheckpointError` for a missing or
 * damaged checkpoint and `ConfigError` for a family that cannot be exported yet.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromText('hello world\n');
 * const config = familyConfig('gpt', { blockSize: 4, nEmbd: 8, nHead: 2 }, { vocabSize: 9 });
 * const dir = mkdtempSync(join(tmpdir(), 'lmp-'));
 * saveCheckpoint(join(dir, 'gpt'), { config, tokenizer, model: createModel(config), step: 0 });
 * exportCheckpoint(join(dir, 'gpt'), join(dir, 'gpt-torch')).length; // 5
 * ```
 */
export function exportCheckpoint(fromDir: string, toDir: string): string[] {
  const { files } = exportToPyTorch(loadCheckpoint(fromDir));
  makeDirectories(toDir);
  return Object.entries(files).map(([name, content]) => {
    const path = join(toDir, name);
    writeFileAtomic(path, content);
    return path;
  });
}
