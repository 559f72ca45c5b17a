import { getBackend, memoryInfo, setBackend, tensor } from '@llm-playground/tensor';
import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { makeWeight, trajectory } from './test-problem.js';

// PyTorch 1.13: AdamW(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1), float64.
const TORCH_ADAMW = [
  [0.9890000039999984, -2.0079999987500003, 0.4895000029629621],
  [0.9780150908685443, -2.015993705075867, 0.4790118861194127],
  [0.9670479005598036, -2.0239822245222916, 0.46853649773030287],
];

describe('AdamW', () => {
  it('decouples the decay: p·(1 − lr·λ), then the plain Adam step (by hand and as PyTorch)', () => {
    const w = makeWeight();
    const path = trajectory(
      w,
      new AdamW([w], { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1 }),
    );
    // by hand, step 1: the first Adam step is lr·g/(|g| + ε·…) ≈ lr·sign(g) with g > 0 here
    const g = [2.5, 8, 3.375];
    const first = [1.0, -2.0, 0.5].map(
      (p, i) => p * (1 - 0.01 * 0.1) - (0.01 * g[i]) / (Math.abs(g[i]) + 1e-6),
    );
    expectClose(path[0], first, { atol: 1e-15 });
    expectClose(path, TORCH_ADAMW, { atol: 1e-12 });
  });

  it('defaults weightDecay to 0.01 and differs from Adam with the same decay', () => {
    const a = makeWeight();
    const adamw = new AdamW([a]);
    expect(adamw.paramGroups[0].weightDecay).toBe(0.01);
    const b = makeWeight();
    const adam = new Adam([b], { weightDecay: 0.01 });
    expect(trajectory(a, adamw, 1)[0]).not.toEqual(trajectory(b, adam, 1)[0]);
    expect(adamw.stateDict().kind).toBe('AdamW');
  });

  it('keeps its state in the wasm kernel memory, stepping all tensors as js does bit for bit', () => {
    const previous = getBackend().name as 'js' | 'wasm';
    const run = (backend: 'js' | 'wasm') => {
      setBackend(backend);
      const ps = [300, 5, 1001].map((n) =>
        tensor(
          Array.from({ length: n }, (_, i) => Math.sin(i + n)),
          { requiresGrad: true },
        ),
      );
      for (const p of ps)
        p.grad = tensor(Array.from({ length: p.numel() }, (_, i) => Math.cos(3 * i)));
      const pooled = memoryInfo().pooledTensors;
      const opt = new AdamW(ps, { lr: 0.01 });
      opt.step();
      opt.step();
      return {
        values: ps.map((p) => [...p.storage]),
        newPooled: memoryInfo().pooledTensors - pooled,
      };
    };
    try {
      const js = run('js');
      const wasm = run('wasm');
      expect(wasm.values).toEqual(js.values);
      // expAvg and expAvgSq of three parameters, made outside any tidy scope: pooled on wasm.
      expect(js.newPooled).toBe(0);
      expect(wasm.newPooled).toBe(getBackend().name === 'wasm' ? 6 : 0);
    } finally {
      setBackend(previous);
    }
  });
});
