import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { openHost } from '../../session/testing.js';
import { type BigramNetInfo, bigramNetKind, stepsPerSecond } from './bigram-net-kind.js';
import { BigramNetTrainer } from './bigram-net-trainer.js';

const words = bundledNames().words;
const init = { words, seed: 2147483647, lr: 50, lambda: 0.01 };
const open = () => openHost({ 'bigram-net': () => bigramNetKind });

describe('the bigram net in the training session', () => {
  it('posts the counts with ready and the loss and data loss of every step, as the trainer alone', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init });
    const info = (events[0] as { info: BigramNetInfo }).info;
    expect(info.V).toBe(28);
    expect(info.itos.slice(0, 3)).toEqual(['.', '-', 'a']);
    await host.handle({ type: 'step', count: 3 });
    await settle();
    const reference = new BigramNetTrainer(words, init);
    const expected = [reference.step(), reference.step(), reference.step()];
    const slice = last().slice;
    expect(slice.firstStep).toBe(0);
    expect(Array.from(slice.series.loss)).toEqual(expected.map((r) => r.loss));
    expect(Array.from(slice.series.dataLoss)).toEqual(expected.map((r) => r.dataLoss));
    expect(slice.series.loss[0]).toBeCloseTo(3.8538, 4);
    expect((last().snapshot!.value as { W: Float32Array }).W).toHaveLength(28 * 28);
  });

  // Issue 10: the message said "step 1" while the status showed step 2.
  it('names, on divergence, the step count the status shows, and sends no blown-up W', async () => {
    const { host, last, until } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init: { ...init, lr: 1e7 } });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    const { step, stop, snapshot } = last();
    expect(stop?.step).toBe(step);
    expect(stop?.message).toContain(`at step ${step} with learning rate 10000000`);
    expect((snapshot!.value as { W: Float32Array | null }).W).toBeNull();
  });

  it('a new seed starts over; lr and λ apply live; speeds map to a pace', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init });
    await host.handle({ type: 'step', count: 2 });
    await host.handle({ type: 'configure', config: { seed: init.seed, lr: 10, lambda: 0.1 } });
    await settle();
    expect(last()).toMatchObject({ step: 2, extra: { lr: 10, lambda: 0.1 } });
    await host.handle({ type: 'configure', config: { seed: 1, lr: 10, lambda: 0.1 } });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
    expect(stepsPerSecond('60')).toBe(60);
    expect(stepsPerSecond('max')).toBeNull();
  });
});
