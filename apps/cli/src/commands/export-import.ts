/**
 * `lmp export --from DIR --to DIR`: a checkpoint as a PyTorch project (model.py, train.py, weights;
 * makemore's `exportCheckpoint`). `lmp import --from DIR [--to DIR]`: validates the checkpoint that
 * train.py wrote back (checksum, family, every name and shape) and, with --to, saves it as ours.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, exportCheckpoint, saveCheckpoint } from '@llm-playground/makemore';
import { type CommandSpec, type OptionValues, readString } from '../command.js';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';
import { FROM_OPTION, formatCount, openCheckpoint, readFrom } from './makemore-common.js';

/** `--from` that must exist, as a path resolved against `io.cwd` (a `UsageError` otherwise). */
function existingFrom(values: OptionValues, command: string, io: CliIO): string {
  const from = readFrom(values, command);
  if (!existsSync(resolvePath(io, from))) {
    throw new UsageError(`--from ${from} does not exist: give the folder of a checkpoint`, command);
  }
  return from;
}

/** Runs `lmp export`: writes the project, prints its files and the commands that train it. */
export function runExport(values: OptionValues, io: CliIO): number {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const from = existingFrom(values, 'export', io);
  const to = readString(values, 'to');
  if (to === undefined)
    throw new UsageError('--to DIR is required (the PyTorch project folder)', 'export');
  let files: string[];
  try {
    files = exportCheckpoint(resolvePath(io, from), resolvePath(io, to));
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, 'export');
    throw error;
  }
  out(`exported ${from} to ${to}:`);
  for (const file of files) out(`  ${join(to, basename(file))}`);
  out('next (train.py writes our checkpoint format back; --data: the training text):');
  out(`  cd ${to}`);
  out('  /usr/bin/python3 train.py --data names.txt --steps 2000 --out trained   # one process');
  out(
    '  torchrun --nproc_per_node 2 train.py --data names.txt --out trained      # PyTorch 2.x, DDP',
  );
  out('  # Debian torch 1.13 on Python 3.11 (plain torchrun fails there):');
  out(
    '  python3 -m torch.distributed.run --redirects 2 --tee 2 --nproc_per_node 2 train.py --data names.txt --out trained',
  );
  out('  lmp import --from trained   # back here: sample, eval, generate');
  return 0;
}

/** Runs `lmp import`: loads and checks the checkpoint, prints what it is, saves it with --to. */
export function runImport(values: OptionValues, io: CliIO): number {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const from = existingFrom(values, 'import', io);
  const to = readString(values, 'to');
  const checkpoint = openCheckpoint(from, io); // checksum, family, names and shapes
  const parameters = checkpoint.model.parameters().reduce((n, p) => n + p.numel(), 0);
  const how = checkpoint.metadata.trainedWith ?? 'lmp';
  out(
    `${checkpoint.config.kind} at step ${formatCount(checkpoint.step)}, ${formatCount(parameters)} parameters (trained with ${how}): valid`,
  );
  const dir = to ?? from;
  if (to !== undefined) {
    saveCheckpoint(resolvePath(io, to), checkpoint); // atomic, our layout
    out(`saved to ${to}`);
  } else
    out(`${from} is already in our format: lmp sample/eval/generate --from ${from} read it as is`);
  out(`next: lmp sample --from ${dir}`);
  return 0;
}

const TO = (description: string) => ({
  name: 'to',
  type: 'string' as const,
  valueName: 'DIR',
  description,
});

/** The command-table entry for `lmp export`. */
export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'hand a model to PyTorch: model.py, train.py (torchrun/DDP), weights',
  description:
    'Writes the checkpoint in --from as a PyTorch project in --to: model.safetensors, model.py (torch.nn), ' +
    'train.py (one process or torchrun with DistributedDataParallel), config.json and tokenizer.json. Every family ' +
    'but bigram; a gpt on characters or BPE tokens. train.py writes checkpoints back in our format: see lmp import.',
  options: [
    { ...FROM_OPTION, description: 'the checkpoint to export (lmp train --out)' },
    TO('the PyTorch project folder (created)'),
  ],
  examples: ['lmp export --from lmp-out/mlp --to mlp-pytorch'],
  run: (values, io) => Promise.resolve(runExport(values, io)),
};

/** The command-table entry for `lmp import`. */
export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'bring back a checkpoint that PyTorch (train.py) wrote',
  description:
    'Loads the checkpoint in --from (written by an exported train.py) and checks it: checksum, family, and every ' +
    'parameter name and shape against the model its config builds (a mismatch names the parameter). Prints ' +
    'the family, step and parameter count; with --to, saves it there. lmp sample/eval/generate read either folder.',
  options: [
    { ...FROM_OPTION, description: 'the checkpoint train.py wrote (its --out)' },
    TO('save a copy here (atomically)'),
  ],
  examples: [
    'lmp import --from mlp-pytorch/trained',
    'lmp import --from mlp-pytorch/trained --to lmp-out/mlp-big',
  ],
  run: (values, io) => Promise.resolve(runImport(values, io)),
};
