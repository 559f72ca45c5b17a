/**
 * Speed of the `Trainer` on the makemore lecture MLP (context 3, embedding 10, hidden 200, batch 32,
 * SGD): steps per second over a few thousand steps, and the extrapolated time of the lecture's
 * 200,000 steps (target: under 150 s here; PyTorch 1.13 on one core takes about 41–45 s).
 * Uses names.txt when present (LMP_NAMES or ../shared/data/names.txt), else the bundled names.
 *
 *   pnpm bench            # 3,000 timed steps
 *   pnpm bench 10000      # more
 */
import { bundledNames, readWords } from '@llm-playground/data';
import { lectureNamesPath as namesPath } from '../../../tools/lecture-names.js';
import { prepareRun } from '../src/index.js';

const steps = Number(process.argv[2] ?? 3000);
const path = namesPath();
const words = path ? readWords(path).words : bundledNames().words;
// The lecture MLP (the family's defaults), prepared as `lmp train` and `pnpm reproduce` prepare it.
const run = prepareRun({ family: 'mlp', words, run: { steps: 200 + 3 * steps } });
const trainer = run.createTrainer();
trainer.runSlice({ maxSteps: 200 }); // warm-up (JIT)
const runs: number[] = [];
for (let r = 0; r < 3; r++) {
  const progress = trainer.runSlice({ maxSteps: steps });
  runs.push(progress.losses.length / progress.seconds);
}
runs.sort((a, b) => a - b);
const median = runs[1];
console.log(`data: ${path ?? 'bundled names'} (${run.data.train.length} training examples)`);
console.log(
  `lecture MLP, batch 32: ${runs.map((r) => r.toFixed(0)).join(' / ')} steps/s (median ${median.toFixed(0)})`,
);
console.log(`200,000 steps ≈ ${(200_000 / median).toFixed(0)} s (target < 150 s)`);
