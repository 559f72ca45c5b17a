/**
 * Where a captured training step of a zoo family or a GPT preset spends its time, per kernel:
 *   npx tsx bench/tape-profile.ts <transformer|gpt-cpu|gpt-nanogpt-cpu|…> [steps] [--relaxed] [--threads 2]
 * Runs `steps` (default 200) trainer steps on the wasm backend, timing every recorded kernel call of
 * the captured forward + backward, and the rest of the step (batch draw, AdamW) as one line; prints
 * kernels by total time with their share of the step, and steps/s.
 */
import { setFlagsFromString } from 'node:v8';
import { bundledBook, bundledNames, readWords } from '@llm-playground/data';
import {
  captureStep,
  setBackend,
  startWasmThreads,
  stopWasmThreads,
  zeros,
} from '@llm-playground/tensor';
import { lectureNamesPath } from '../../../tools/lecture-names.js';
import { gptRun, makemoreRun, ZOO, type ZooFamily } from '../scripts/zoo-runs.js';

const args = process.argv.slice(2);
if (args.includes('--relaxed')) setFlagsFromString('--experimental-wasm-relaxed-simd');
const threadsAt = args.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : 1;
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--threads');
const which = positional[0] ?? 'gpt-cpu';
const steps = Number(positional[1] ?? 200);
setBackend('wasm');
if (threads > 1) await startWasmThreads(threads);

const namesPath = lectureNamesPath();
const run = (ZOO as readonly string[]).includes(which)
  ? makemoreRun(which as ZooFamily, namesPath ? readWords(namesPath).words : bundledNames().words)
  : gptRun(which.replace(/^gpt-/, ''), (await bundledBook()).text);

type Entry = { fn: (...a: unknown[]) => unknown; args: unknown[]; name: string };
const totals = new Map<string, { us: number; calls: number }>();
let profiling = false;
const wrapped = new WeakSet<object>();
// The class is exported as a type only: its prototype through an instance.
const proto = Object.getPrototypeOf(captureStep(() => zeros([1]), []));
const replay = proto.replay;
proto.replay = function (this: object, ...inputs: unknown[]) {
  if (!wrapped.has(this)) {
    wrapped.add(this);
    // biome-ignore lint/suspicious/noExplicitAny: reaching into the tape for profiling.
    for (const entry of (this as any).entries as Entry[]) {
      const fn = entry.fn;
      const label =
        entry.name === 'matmul'
          ? `matmul M${entry.args[0]} N${entry.args[1]} K${entry.args[2]}`
          : entry.name;
      entry.fn = (...a: unknown[]) => {
        if (!profiling) return fn(...a);
        const t0 = performance.now();
        const out = fn(...a);
        const row = totals.get(label) ?? { us: 0, calls: 0 };
        row.us += (performance.now() - t0) * 1000;
        row.calls++;
        totals.set(label, row);
        return out;
      };
    }
  }
  return replay.apply(this, inputs);
};

run.trainer.runSlice({ maxSteps: 30 });
profiling = true;
const t0 = performance.now();
run.trainer.runSlice({ maxSteps: steps });
const totalUs = (performance.now() - t0) * 1000;
profiling = false;
let kernelUs = 0;
for (const row of totals.values()) kernelUs += row.us;
const rows = [
  ...totals.entries(),
  ['(rest: batch draw, AdamW, bookkeeping)', { us: totalUs - kernelUs, calls: steps }] as const,
].sort((a, b) => b[1].us - a[1].us);
console.log(
  `${which}: ${((steps / totalUs) * 1e6).toFixed(1)} steps/s, ${(totalUs / steps / 1000).toFixed(2)} ms/step, ${threads} thread(s)`,
);
for (const [label, row] of rows) {
  console.log(
    `${((row.us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(row.us / steps).toFixed(0).padStart(6)} µs/step  ${String(row.calls / steps).padStart(5)}×  ${label}`,
  );
}
await stopWasmThreads();
