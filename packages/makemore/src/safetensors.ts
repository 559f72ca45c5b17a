/**
 * The safetensors format (https://github.com/huggingface/safetensors), so that PyTorch and
 * Hugging Face tools can load what we save:
 *
 *   [8 bytes: N, unsigned 64-bit little-endian] [N bytes: JSON header] [raw tensor bytes]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into
 * the raw bytes, which follow the header) plus an optional `"__metadata__": { string: string }`.
 * The header is padded with spaces so that the data starts at a multiple of 8 bytes. Data is
 * little-endian and row-major (C order).
 */
import { type DType, Tensor, type TypedArray } from '@llm-playground/tensor';
import { CheckpointError } from './errors.js';

const DTYPE_TO_SAFETENSORS: Record<DType, string> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
};
const SAFETENSORS_TO_DTYPE: Record<string, DType> = {
  F32: 'float32',
  F64: 'float64',
  I32: 'int32',
};
const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const METADATA_KEY = '__metadata__';
/** The reference implementation refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;

// The format is little-endian; typed arrays use the host's byte order. Every platform Node and the
// browsers run on is little-endian, so we check once instead of swapping bytes everywhere.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function assertLittleEndianHost(): void {
  if (!HOST_IS_LITTLE_ENDIAN) {
    throw new CheckpointError('safetensors needs a little-endian host; this one is big-endian');
  }
}

/**
 * Serialises tensors (and string metadata) to safetensors bytes. Tensors are stored contiguous,
 * widest dtype first, then by name (as the reference writer does, which keeps every tensor aligned).
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ W: tensor([[1, 2], [3, 4]], { dtype: 'float32' }) }, { step: '7' });
 * const decoded = decodeSafetensors(bytes);
 * decoded.tensors.W.tolist(); // [[1, 2], [3, 4]]
 * decoded.metadata; // { step: '7' }
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new TypeError(
        `Argument 'metadata' passed to 'writeSafetensors' must map strings to strings (key '${key}' holds a ${typeof value})`,
      );
    }
  }
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  const names = Object.keys(tensors).sort((a, b) => {
    const wa = BYTES_PER_ELEMENT[tensors[a].dtype];
    const wb = BYTES_PER_ELEMENT[tensors[b].dtype];
    return wb - wa || (a < b ? -1 : a > b ? 1 : 0);
  });
  const chunks: TypedArray[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === METADATA_KEY) {
      throw new RangeError(`a tensor cannot be named '${METADATA_KEY}' in a safetensors file`);
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(
        `Argument 'tensors' passed to 'writeSafetensors' must map names to Tensors ('${name}' is not a Tensor)`,
      );
    }
    const data = t.data;
    const length = data.length * BYTES_PER_ELEMENT[t.dtype];
    header[name] = {
      dtype: DTYPE_TO_SAFETENSORS[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + length],
    };
    chunks.push(data);
    offset += length;
  }
  let json = JSON.stringify(header);
  let headerBytes = new TextEncoder().encode(json);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) {
    json += ' '.repeat(padding);
    headerBytes = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, Math.floor(headerBytes.length / 2 ** 32), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const data of chunks) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses safetensors bytes, validating everything: the header size, the JSON, each entry's dtype,
 * shape and offsets (inside the file, matching the shape, neither overlapping nor leaving gaps).
 * `source` names the file in error messages.
 *
 * @example
 * ```ts
 * decodeSafetensors(new Uint8Array([1, 2, 3])); // throws CheckpointError
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors data',
): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  assertLittleEndianHost();
  const fail = (what: string): never => {
    throw new CheckpointError(`${source} is not a valid safetensors file: ${what}`);
  };
  if (bytes.length < 8) {
    fail(
      `it has ${bytes.length} bytes, fewer than the 8-byte header size (truncated or empty file?)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerSize = high * 2 ** 32 + low;
  if (headerSize < 2 || headerSize > MAX_HEADER_BYTES) {
    fail(
      `the header size ${headerSize} is implausible (expected 2 to ${MAX_HEADER_BYTES} bytes; is this a safetensors file?)`,
    );
  }
  if (8 + headerSize > bytes.length) {
    fail(
      `the header claims ${headerSize} bytes but only ${bytes.length - 8} follow the size field (truncated file?)`,
    );
  }
  let parsed: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      bytes.subarray(8, 8 + headerSize),
    );
    if (!text.startsWith('{')) fail(`the header does not start with '{'`);
    parsed = JSON.parse(text);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    fail(`the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail('the header is not a JSON object');
  }
  const dataStart = 8 + headerSize;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        fail(`'${METADATA_KEY}' must be an object of strings`);
      }
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`metadata '${key}' is not a string`);
        metadata[key] = value as string;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') fail(`entry '${name}' is not an object`);
    const dtype = SAFETENSORS_TO_DTYPE[String(info.dtype)];
    if (dtype === undefined) {
      fail(
        `tensor '${name}' has dtype ${JSON.stringify(info.dtype)}, which is not supported (supported: F32, F64, I32)`,
      );
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(
        `tensor '${name}' has shape ${JSON.stringify(shape)}, expected a list of non-negative integers`,
      );
    }
    const offsets = info.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
    ) {
      fail(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}, expected [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin)
      fail(`tensor '${name}' has data_offsets [${begin}, ${end}] with end before begin`);
    if (end > dataLength) {
      fail(
        `tensor '${name}' has data_offsets [${begin}, ${end}] beyond the ${dataLength} data bytes in the file (truncated file?)`,
      );
    }
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const expectedBytes = elements * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expectedBytes) {
      fail(
        `tensor '${name}' of shape [${(shape as number[]).join(', ')}] and dtype ${info.dtype} needs ${expectedBytes} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // As the reference reader: the tensors must tile the data exactly, with no overlap and no gap.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const entry of sorted) {
    if (entry.begin < covered) {
      const other = sorted.find((e) => e !== entry && e.begin < entry.end && entry.begin < e.end);
      fail(
        `tensor '${entry.name}' (bytes ${entry.begin}–${entry.end}) overlaps tensor '${other?.name}' (bytes ${other?.begin}–${other?.end})`,
      );
    }
    if (entry.begin > covered) {
      fail(`bytes ${covered}–${entry.begin} of the data belong to no tensor`);
    }
    covered = entry.end;
  }
  if (covered !== dataLength) {
    fail(
      `the file has ${dataLength - covered} bytes after the last tensor (expected ${covered} data bytes)`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  for (const entry of entries) {
    // Copy out of the file buffer: a fresh ArrayBuffer is aligned for every dtype. (Through
    // Uint8Array's slice, which copies: a Node Buffer's own slice() is a view into a shared pool.)
    const slice = Uint8Array.prototype.slice.call(
      bytes,
      dataStart + entry.begin,
      dataStart + entry.end,
    ).buffer as ArrayBuffer;
    const storage =
      entry.dtype === 'float32'
        ? new Float32Array(slice)
        : entry.dtype === 'float64'
          ? new Float64Array(slice)
          : new Int32Array(slice);
    tensors[entry.name] = new Tensor(storage, entry.shape);
  }
  return { tensors, metadata };
}
