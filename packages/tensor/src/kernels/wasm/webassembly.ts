/**
 * The part of the WebAssembly JavaScript API the backend uses, typed here because the package compiles
 * against ES2022 + Node types only (no DOM lib, which is where TypeScript declares `WebAssembly`).
 * Read through `globalThis` on every call, so a runtime without WebAssembly is detected, not a crash.
 */

/** A `WebAssembly.Memory` (structurally: what the backend and its users need of one). */
export interface WasmMemory {
  /** The memory's bytes: a `SharedArrayBuffer` when the memory is shared, else an `ArrayBuffer`. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` pages of 64 KiB; returns the previous size in pages. */
  grow(pages: number): number;
}

/** A compiled module (opaque). */
export type WasmModule = object;

export interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The runtime's `WebAssembly` object, or undefined when it has none. */
export function webAssembly(): WebAssemblyApi | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  return typeof api === 'object' && api !== null ? api : undefined;
}
