import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { SGD } from '@llm-playground/nn';
import { type Tensor, tensor } from '@llm-playground/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { checkpointFromFiles } from '../checkpoint-files.js';
import { familyConfig } from '../families/catalog.js';
import { createModel } from '../families/registry.js';
import type { LanguageModel } from '../model.js';
import { decodeSafetensors } from '../safetensors.js';
import { exportCheckpoint } from './export-checkpoint.js';
import { exportToPyTorch, toPyTorchName } from './export-pytorch.js';

const PYTHON = '/usr/bin/python3';
const torchProbe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = torchProbe.status === 0;
if (!hasTorch) {
  console.log(
    `export-pytorch equivalence tests skipped: ${PYTHON} with torch and numpy is missing (${(torchProbe.stderr || String(torchProbe.error)).trim().split('\n').at(-1)}); install Debian's python3-torch`,
  );
}

const tokenizer = CharTokenizer.fromWords(['abcdef']); // 7 ids: the boundary, then a…f
const STEPS = 5;
const LR = 0.1;

/** Tiny models of each exported family, dropout 0 (PyTorch's dropout masks are not ours). */
const CASES: { name: string; family: string; raw: Record<string, unknown> }[] = [
  { name: 'mlp', family: 'mlp', raw: { blockSize: 3, nEmbd: 4, nHidden: 8 } },
  { name: 'mlp-bn', family: 'mlp-bn', raw: { blockSize: 3, nEmbd: 4, nHidden: 8 } },
  {
    name: 'transformer',
    family: 'transformer',
    raw: { blockSize: 6, nEmbd: 8, nLayer: 2, nHead: 2 },
  },
  { name: 'bow', family: 'bow', raw: { blockSize: 6, nEmbd: 8, nEmbd2: 12 } },
  { name: 'rnn', family: 'rnn', raw: { blockSize: 6, nEmbd: 8, nEmbd2: 12 } },
  { name: 'gru', family: 'gru', raw: { blockSize: 6, nEmbd: 8, nEmbd2: 12 } },
  { name: 'bigram-net', family: 'bigram-net', raw: {} },
  { name: 'deep-mlp', family: 'deep-mlp', raw: { blockSize: 3, nEmbd: 4, nHidden: 8, layers: 3 } },
  { name: 'wavenet', family: 'wavenet', raw: { blockSize: 8, nEmbd: 4, nHidden: 8 } },
  ...['bigram', 'one-head', 'multi-head', 'feed-forward', 'blocks'].map((architecture) => ({
    name: `gpt ${architecture}`,
    family: 'gpt',
    raw: { architecture, blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 2, dropout: 0 },
  })),
];

/** Same batch for both sides: contexts [4, T] and targets ([4] for the MLP, [4, T] with −1s else). */
function batchFor(model: LanguageModel): { X: number[][]; Y: number[] | number[][] } {
  const { blockSize: T, vocabSize: V } = model.config;
  const X = Array.from({ length: 4 }, (_, b) =>
    Array.from({ length: T }, (_, t) => (b * 3 + t * 5) % V),
  );
  if (!('growingContext' in model)) return { X, Y: [1, 4, 0, V - 1] };
  const Y = X.map((row, b) => row.map((_, t) => (b === 1 && t >= T - 2 ? -1 : (b + t * 2) % V)));
  return { X, Y };
}

/** Our logits in eval mode, then the loss of each of `STEPS` SGD steps (train mode) on the batch. */
function ourRun(
  model: LanguageModel & { eval(): unknown; train(): unknown; parameters(): Iterable<Tensor> },
  X: Tensor,
  Y: Tensor,
) {
  model.eval();
  const logits = (model as unknown as { forward(x: Tensor): Tensor }).forward(X).tolist();
  model.train();
  const optimizer = new SGD(model.parameters(), { lr: LR });
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const loss = model.loss(X, Y);
    losses.push(loss.item());
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return { logits, losses };
}

const HARNESS = `
import importlib.util, json, sys, torch
out = {}
for case in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location('model', case['dir'] + '/model.py')
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    config = json.load(open(case['dir'] + '/config.json'))['config']
    net = model.build_model(config)
    net.load_state_dict(model.load_safetensors(case['dir'] + '/model.safetensors'))
    X, Y = torch.tensor(case['X']), torch.tensor(case['Y'])
    net.eval()
    with torch.no_grad():
        logits = net(X).tolist()
    net.train()
    optimizer = torch.optim.SGD(net.parameters(), lr=case['lr'])
    losses = []
    for _ in range(case['steps']):
        loss = net.loss(X, Y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    out[case['name']] = {'logits': logits, 'losses': losses}
print(json.dumps(out))
`;

function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(flat) : [value as number];
}

function expectAllClose(actual: unknown, expected: unknown, tolerance: number, what: string) {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length, what).toBe(e.length);
  const worst = Math.max(...a.map((x, i) => Math.abs(x - e[i]) / (1 + Math.abs(e[i]))));
  expect(worst, `${what}: largest |ours − PyTorch| / (1 + |PyTorch|)`).toBeLessThan(tolerance);
  return worst;
}

describe.skipIf(!hasTorch)('exportToPyTorch: the PyTorch model computes what ours does', () => {
  const root = mkdtempSync(join(tmpdir(), 'lmp-export-'));
  const ours: Record<string, { logits: unknown; losses: number[] }> = {};
  let theirs: Record<string, { logits: unknown; losses: number[] }> = {};
  const worst: Record<string, string> = {};
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    console.log(
      `export equivalence, largest relative difference (logits, losses): ${JSON.stringify(worst)}`,
    );
  });

  beforeAll(() => {
    const cases = CASES.map(({ name, family, raw }, index) => {
      const config = familyConfig(family, raw, { vocabSize: tokenizer.vocabSize });
      const model = createModel(config, { generator: new Generator(42 + index) });
      const dir = join(root, name.replace(' ', '-'));
      const { files } = exportToPyTorch({ config, tokenizer, model, step: 0 });
      saveFiles(dir, files);
      const { X, Y } = batchFor(model);
      ours[name] = ourRun(
        model as never,
        tensor(X, { dtype: 'int32' }),
        tensor(Y, { dtype: 'int32' }),
      );
      return { name, dir, X, Y, steps: STEPS, lr: LR };
    });
    writeFileSync(join(root, 'cases.json'), JSON.stringify(cases));
    writeFileSync(join(root, 'harness.py'), HARNESS);
    const run = spawnSync(PYTHON, [join(root, 'harness.py'), join(root, 'cases.json')], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`PyTorch harness failed:\n${run.stderr}`);
    theirs = JSON.parse(run.stdout);
  }, 60_000);

  for (const { name } of CASES) {
    it(`${name}: same logits, and the same loss over ${STEPS} SGD steps`, () => {
      const logits = expectAllClose(ours[name].logits, theirs[name].logits, 1e-5, `${name} logits`);
      const losses = expectAllClose(ours[name].losses, theirs[name].losses, 1e-5, `${name} losses`);
      worst[name] = `${logits.toExponential(1)}, ${losses.toExponential(1)}`;
      // The steps did something: the loss fell.
      expect(ours[name].losses.at(-1)).toBeLessThan(ours[name].losses[0]);
    });
  }
});

function saveFiles(dir: string, files: Record<string, string | Uint8Array>) {
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
}

describe('exportToPyTorch: files', () => {
  it('writes the project files, the state dict under PyTorch names, and the names back to ours', () => {
    const raw = { architecture: 'feed-forward', blockSize: 4, nEmbd: 4, nHead: 2 };
    const config = familyConfig('gpt', raw, { vocabSize: 7 });
    const model = createModel(config);
    const { files } = exportToPyTorch({ config, tokenizer, model, step: 12 });
    expect(Object.keys(files).sort()).toEqual([
      'config.json',
      'model.py',
      'model.safetensors',
      'tokenizer.json',
      'train.py',
    ]);
    const exported = JSON.parse(files['config.json'] as string);
    expect(exported.names).toEqual({
      'ffwd.net.0.weight': 'ffwd.net.layers.0.weight',
      'ffwd.net.0.bias': 'ffwd.net.layers.0.bias',
      'ffwd.net.2.weight': 'ffwd.net.layers.2.weight',
      'ffwd.net.2.bias': 'ffwd.net.layers.2.bias',
    });
    expect(exported).toMatchObject({ family: 'gpt', step: 12, examples: 'text' });
    expect(exported.run).toMatchObject({ optimizer: 'adamw', lr: 1e-3 });
    // A checkpoint's own optimizer wins over the family's defaults (its lr when saved).
    const sgd = new SGD(model.parameters(), { lr: 0.05 });
    const withRun = exportToPyTorch({
      config,
      tokenizer,
      model,
      step: 12,
      optimizerState: sgd.stateDict(),
    });
    expect(JSON.parse(withRun.files['config.json'] as string).run).toMatchObject({
      optimizer: 'sgd',
      lr: 0.05,
    });
    expect(toPyTorchName(model, 'positionEmbeddingTable.weight')).toBe(
      'positionEmbeddingTable.weight',
    );
    const { tensors } = decodeSafetensors(files['model.safetensors'] as Uint8Array);
    expect(tensors['ffwd.net.2.bias'].shape).toEqual([4]);
    expect(tensors['ffwd.net.0.weight'].tolist()).toEqual(
      model.stateDict()['ffwd.net.layers.0.weight'].tolist(),
    );
    expect(JSON.parse(files['tokenizer.json'] as string)).toEqual(tokenizer.toJSON());
    expect(files['model.py']).toContain(
      "GPT (the 'let's build GPT' lecture) (gpt, step 12), exported",
    );
  });
});

describe('exportToPyTorch: errors', () => {
  it('refuses a family without a PyTorch definition, naming the exportable ones', () => {
    const config = familyConfig('bigram', {}, { vocabSize: tokenizer.vocabSize });
    const model = createModel(config);
    expect(() => exportToPyTorch({ config, tokenizer, model, step: 0 })).toThrow(
      "no PyTorch definition for the 'bigram' family yet; exportable: mlp, mlp-bn, transformer, gpt, bow, rnn, gru, bigram-net, deep-mlp, wavenet",
    );
  });
});

const WORDS = [
  'abc',
  'bad',
  'cafe',
  'face',
  'bead',
  'dab',
  'fade',
  'ace',
  'bee',
  'deaf',
  'cab',
  'fed',
];

/** Runs the exported train.py (`processes` > 1: torch.distributed.run), returns the logged losses. */
function train(dir: string, data: string, out: string, processes: number, extra: string[] = []) {
  const args = [
    '--data',
    data,
    '--out',
    out,
    '--steps',
    '60',
    '--log-every',
    '10',
    '--batch-size',
    '8',
    ...extra,
  ];
  const launcher =
    processes === 1
      ? [join(dir, 'train.py')]
      : [
          '-m',
          'torch.distributed.run',
          '--redirects',
          '2',
          '--tee',
          '2',
          '--nproc_per_node',
          String(processes),
          join(dir, 'train.py'),
        ];
  const run = spawnSync(PYTHON, [...launcher, ...args], {
    encoding: 'utf8',
    cwd: dir,
    timeout: 120_000,
  });
  if (run.status !== 0)
    throw new Error(`train.py failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .map((line) => line.replace(/^\[[^\]]*\]:/, '').trim())
    .filter((line) => line.startsWith('{"step"'))
    .map((line) => JSON.parse(line) as { step: number; loss: number });
}

describe.skipIf(!hasTorch)('exported train.py', () => {
  const root = mkdtempSync(join(tmpdir(), 'lmp-export-train-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const words = CharTokenizer.fromWords(WORDS);

  for (const [family, raw, data] of [
    ['mlp', { blockSize: 3, nEmbd: 4, nHidden: 16 }, WORDS.join('\n')],
    ['gpt', { blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 1 }, WORDS.join('\n').repeat(4)],
    ['wavenet', { blockSize: 4, nEmbd: 4, nHidden: 8 }, WORDS.join('\n')],
    ['transformer', { blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 1 }, WORDS.join('\n')],
  ] as const) {
    it(`${family}: continues our checkpoint, its loss falls, and lmp's loadCheckpoint reads the result`, () => {
      // Word models: id 0 ends a word; the gpt's text tokenizer: id 0 is the smallest char ('\n').
      const tokenizer = family === 'gpt' ? CharTokenizer.fromText(data) : words;
      const config = familyConfig(family, raw, { vocabSize: tokenizer.vocabSize });
      const model = createModel(config, { generator: new Generator(7) });
      const from = join(root, `${family}-ours`);
      const to = join(root, `${family}-pytorch`);
      saveCheckpoint(from, { config: model.config, tokenizer, model, step: 3 });
      exportCheckpoint(from, to);
      writeFileSync(join(root, `${family}.txt`), data);
      const out = join(root, `${family}-trained`);
      const log = train(to, join(root, `${family}.txt`), out, 1, [
        '--optimizer',
        'adamw',
        '--lr',
        '0.01',
      ]);
      expect(log.map((entry) => entry.step)).toEqual([13, 23, 33, 43, 53, 63]);
      expect(log.at(-1)!.loss).toBeLessThan(log[0].loss);
      const back = loadCheckpoint(out);
      expect(back.step).toBe(63);
      // What a web page does with the two files picked in its file input: the same checkpoint.
      const picked = checkpointFromFiles({
        'checkpoint.json': readFileSync(join(out, 'checkpoint.json'), 'utf8'),
        'model.safetensors': new Uint8Array(readFileSync(join(out, 'model.safetensors'))),
      });
      expect(picked.step).toBe(63);
      expect(picked.model.stateDict()[Object.keys(picked.model.stateDict())[0]].tolist()).toEqual(
        back.model.stateDict()[Object.keys(back.model.stateDict())[0]].tolist(),
      );
      // It records the text it trained on, so lmp eval/sample find it without -i.
      expect(back.metadata.input).toBe(join(root, `${family}.txt`));
      expect(back.model.config).toEqual(model.config);
      // The trained weights came back, not the exported ones.
      const before = model.stateDict();
      const after = back.model.stateDict();
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      const name = Object.keys(before)[0];
      expect(after[name].tolist()).not.toEqual(before[name].tolist());
      if (family === 'mlp') {
        // A second run into the same folder replaces both files as lmp does (the old weights are
        // kept as .previous until the new checkpoint.json is in place, then removed).
        train(to, join(root, `${family}.txt`), out, 1, ['--steps', '10', '--log-every', '10']);
        expect(loadCheckpoint(out).step).toBe(13);
        expect(existsSync(join(out, 'model.safetensors.previous'))).toBe(false);
      }
    }, 120_000);
  }

  it('2 processes (gloo, DDP) follow 1 process with the same global batch', () => {
    const config = familyConfig(
      'mlp',
      { blockSize: 3, nEmbd: 4, nHidden: 16 },
      { vocabSize: words.vocabSize },
    );
    const model = createModel(config, { generator: new Generator(9) });
    const dir = join(root, 'ddp');
    saveFiles(
      dir,
      exportToPyTorch({ config: model.config, tokenizer: words, model, step: 0 }).files,
    );
    writeFileSync(join(root, 'ddp.txt'), WORDS.join('\n'));
    const one = train(dir, join(root, 'ddp.txt'), join(root, 'ddp-1'), 1, [
      '--optimizer',
      'sgd',
      '--lr',
      '0.1',
      '--steps',
      '300',
      '--log-every',
      '50',
    ]);
    const two = train(dir, join(root, 'ddp.txt'), join(root, 'ddp-2'), 2, [
      '--optimizer',
      'sgd',
      '--lr',
      '0.1',
      '--steps',
      '300',
      '--log-every',
      '50',
    ]);
    console.log('train.py losses, 1 process:', one.map((e) => e.loss.toFixed(6)).join(' '));
    console.log('train.py losses, 2 processes:', two.map((e) => e.loss.toFixed(6)).join(' '));
    expect(two.map((e) => e.step)).toEqual([50, 100, 150, 200, 250, 300]);
    expect(two.map((e) => e.step)).toEqual(one.map((e) => e.step));
    expectAllClose(
      two.map((e) => e.loss),
      one.map((e) => e.loss),
      1e-4,
      'DDP vs 1 process',
    );
    expect(one.at(-1)!.loss).toBeLessThan(one[0].loss);
    const a = loadCheckpoint(join(root, 'ddp-1')).model.stateDict();
    const b = loadCheckpoint(join(root, 'ddp-2')).model.stateDict();
    for (const name of Object.keys(a))
      expectAllClose(b[name].tolist(), a[name].tolist(), 1e-4, name);
  }, 180_000);
});
