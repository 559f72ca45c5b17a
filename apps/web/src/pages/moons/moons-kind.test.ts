import { describe, expect, it } from 'vitest';
import { openHost } from '../../session/testing.js';
import { type MoonsInfo, type MoonsSnapshot, moonsKind } from './moons-kind.js';
import { DEFAULT_MOONS_CONFIG, MoonsTrainer } from './moons-trainer.js';

const config = { ...DEFAULT_MOONS_CONFIG, hidden: [16, 16] };
const open = () => openHost({ moons: () => moonsKind });

describe('the moons trainer in the training session', () => {
  it("runs micrograd's demo to 100% with the same float64 records as the trainer alone", async () => {
    const { host, events, progress, last, until } = open();
    await host.handle({ type: 'start', kind: 'moons', init: config });
    const info = (events[0] as { info: MoonsInfo }).info;
    expect(info.X).toHaveLength(100);
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'done');
    const losses = progress().flatMap((p) => Array.from(p.slice.series.loss ?? []));
    const reference = new MoonsTrainer(config);
    const expected: number[] = [];
    while (!reference.done) expected.push(reference.step()?.loss as number);
    expect(losses).toEqual(expected);
    const snapshot = last().snapshot?.value as MoonsSnapshot;
    expect(snapshot.accuracy).toBe(1);
    expect(snapshot.grid).toHaveLength(80 * 80);
  });

  it('the same settings keep the run; new ones start a new run', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'moons', init: config });
    await host.handle({ type: 'step', count: 1 });
    await host.handle({ type: 'configure', config: { ...config } });
    await settle();
    expect(last().step).toBe(1);
    await host.handle({ type: 'configure', config: { ...config, seed: 3 } });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
  });

  it('a learning rate of 1e6 stops with the explanation', async () => {
    const { host, last, until } = open();
    await host.handle({ type: 'start', kind: 'moons', init: { ...config, lr: 1e6 } });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    expect(last().stop?.message).toMatch(
      /^Training diverged at step \d+: .*Lower the learning rate/,
    );
  });
});
