import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { arange, randn, tensor, zeros } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './errors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { readSafetensors, writeSafetensors } from './safetensors-file.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const python = '/usr/bin/python3';
const hasTorch =
  existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** Builds a safetensors file from a raw header object and data bytes (for the validation tests). */
function rawFile(header: unknown, data: Uint8Array, headerSize?: number): Uint8Array {
  const json = new TextEncoder().encode(
    typeof header === 'string' ? header : JSON.stringify(header),
  );
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerSize ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('encodeSafetensors / decodeSafetensors', () => {
  it('round-trips float32, float64, int32, scalars, empty tensors and metadata', () => {
    const g = new Generator(1);
    const tensors = {
      W: randn([3, 5], { generator: g }),
      d: tensor([1.5, -2.25, 1e-300], { dtype: 'float64' }),
      ids: tensor([
        [1, -2],
        [3, 2147483647],
      ]),
      s: tensor(0.1, { dtype: 'float32' }),
      e: zeros([0, 4]),
    };
    const bytes = encodeSafetensors(tensors, { a: 'b', step: '3' });
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ a: 'b', step: '3' });
    expect(Object.keys(back).sort()).toEqual(['W', 'd', 'e', 'ids', 's']);
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name].dtype).toBe(t.dtype);
      expect(back[name].shape).toEqual(t.shape);
      expect(Array.from(back[name].data)).toEqual(Array.from(t.data));
    }
  });

  it('pads the header with spaces to a multiple of 8 and puts wider dtypes first', () => {
    const bytes = encodeSafetensors({
      a: tensor([1], { dtype: 'float32' }),
      z: tensor([2], { dtype: 'float64' }),
    });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd().endsWith('}')).toBe(true);
    expect(JSON.parse(header)).toEqual({
      z: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
      a: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    });
    expect(bytes.length).toBe(8 + n + 12);
  });

  it('writes non-contiguous views as their logical (row-major) contents', () => {
    const t = arange(6, undefined, 1, { dtype: 'float32' }).view(2, 3).T;
    const back = decodeSafetensors(encodeSafetensors({ t })).tensors.t;
    expect(back.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('rejects bad metadata and reserved names', () => {
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(
      /metadata.*key 'n' holds a number/,
    );
    expect(() => encodeSafetensors({ __metadata__: zeros([1]) })).toThrow(/cannot be named/);
  });

  const one = new Uint8Array(new Float32Array([1]).buffer);
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /0 bytes, fewer than the 8-byte header size/],
    [
      'a header size beyond the file',
      rawFile({}, new Uint8Array(0), 1000),
      /claims 1000 bytes but only 2 follow/,
    ],
    ['an absurd header size', rawFile({}, new Uint8Array(0), 1), /header size 1 is implausible/],
    ['bad JSON', rawFile('{"a": ', new Uint8Array(0)), /not valid UTF-8 JSON/],
    ['a JSON array', rawFile('[1, 2, 3]', new Uint8Array(0)), /does not start with '\{'/],
    [
      'an unknown dtype',
      rawFile({ x: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /tensor 'x' has dtype "BF16", which is not supported \(supported: F32, F64, I32\)/,
    ],
    [
      'a shape/size mismatch',
      rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, one),
      /tensor 'x' of shape \[2\] and dtype F32 needs 8 bytes but data_offsets \[0, 4\] hold 4/,
    ],
    [
      'offsets beyond the data',
      rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, one),
      /data_offsets \[0, 8\] beyond the 4 data bytes/,
    ],
    [
      'overlapping tensors',
      rawFile(
        {
          x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          y: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        },
        one,
      ),
      /overlaps tensor/,
    ],
    [
      'a gap between tensors',
      rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)),
      /bytes 0–4 of the data belong to no tensor/,
    ],
    [
      'trailing bytes',
      rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(6)),
      /2 bytes after the last tensor/,
    ],
    [
      'bad offsets',
      rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4] } }, one),
      /data_offsets \[4\], expected \[begin, end\]/,
    ],
    [
      'a bad shape',
      rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, one),
      /shape \[-1\], expected a list of non-negative integers/,
    ],
    [
      'non-string metadata',
      rawFile({ __metadata__: { a: 1 } }, new Uint8Array(0)),
      /metadata 'a' is not a string/,
    ],
  ];
  for (const [label, bytes, message] of cases) {
    it(`rejects ${label} with a CheckpointError`, () => {
      expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(CheckpointError);
      expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(message);
      expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(
        /^bad\.safetensors is not a valid safetensors file: /,
      );
    });
  }

  it('rejects a truncated file', () => {
    const bytes = encodeSafetensors({ W: zeros([4, 4]) });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3), 'w')).toThrow(
      /data_offsets \[0, 64\] beyond the 61 data bytes in the file \(truncated file\?\)/,
    );
  });
});

describe('writeSafetensors / readSafetensors', () => {
  it('names a missing file and a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    expect(() => readSafetensors(join(dir, 'nope.safetensors'))).toThrow(
      /nope\.safetensors does not exist/,
    );
    expect(() => readSafetensors(dir)).toThrow(/is a directory/);
  });

  it('reads the file written by PyTorch (fixtures/torch-written.safetensors)', () => {
    const { tensors, metadata } = readSafetensors(join(fixtures, 'torch-written.safetensors'));
    expect(metadata.format).toBe('pt');
    expect(metadata.written_by).toMatch(/^torch /);
    // The fixture holds torch.randn((27, 10)) and torch.randn(3).double() from seed 2147483647,
    // which our generator reproduces bit for bit.
    const g = new Generator(2147483647);
    const C = randn([27, 10], { generator: g });
    const b1 = randn([3], { generator: g }).double();
    expect(tensors.C.dtype).toBe('float32');
    expect(tensors.C.shape).toEqual([27, 10]);
    expect(Array.from(tensors.C.data)).toEqual(Array.from(C.data));
    expect(tensors.C.data[0]).toBeCloseTo(1.5674, 4);
    expect(tensors.b1.dtype).toBe('float64');
    expect(Array.from(tensors.b1.data)).toEqual(Array.from(b1.data));
    expect(tensors.counts.dtype).toBe('int32');
    expect(tensors.counts.tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(tensors.scalar.shape).toEqual([]);
    expect(tensors.scalar.item()).toBe(2.5);
    expect(tensors.empty.shape).toEqual([0, 4]);
  });

  it.skipIf(!hasTorch)('writes files that PyTorch reads back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'model.safetensors');
    const g = new Generator(42);
    const W = randn([5, 7], { generator: g });
    const d = tensor([Math.PI, -1e-310, 1e300], { dtype: 'float64' });
    const ids = tensor([[7, -8, 9]]);
    writeSafetensors(path, { W, d, ids, s: tensor(3, { dtype: 'float32' }) }, { hello: 'wörld' });
    const result = spawnSync(python, [join(fixtures, 'torch_safetensors.py'), 'read', path], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const read = JSON.parse(result.stdout);
    expect(read.__metadata__).toEqual({ hello: 'wörld' });
    expect(read.W.dtype).toBe('F32');
    expect(read.W.shape).toEqual([5, 7]);
    expect(read.W.values).toEqual(Array.from(W.data));
    expect(read.d).toEqual({ dtype: 'F64', shape: [3], values: [Math.PI, -1e-310, 1e300] });
    expect(read.ids).toEqual({ dtype: 'I32', shape: [1, 3], values: [7, -8, 9] });
    expect(read.s).toEqual({ dtype: 'F32', shape: [], values: [3] });
  });

  it('replaces the file atomically and leaves no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'x.safetensors');
    writeFileSync(path, 'old');
    writeSafetensors(path, { a: zeros([2]) });
    expect(readSafetensors(path).tensors.a.tolist()).toEqual([0, 0]);
    expect(readFileSync(path).length).toBeGreaterThan(8);
    expect(readdirSync(dir)).toEqual(['x.safetensors']);
  });
});
