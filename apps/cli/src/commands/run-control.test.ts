import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForStop, SaveSchedule, STOP_SIGNALS, signalExitCode } from './run-control.js';

describe('signalExitCode', () => {
  it('is 128 + the signal number, as a shell reports it', () => {
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGTERM')).toBe(143);
    expect(signalExitCode('SIGHUP')).toBe(129);
  });
});

describe('listenForStop', () => {
  it('calls back once, for the first of SIGINT, SIGTERM or SIGHUP, and removes its listeners', () => {
    const target = new EventEmitter() as unknown as NodeJS.Process;
    const seen: string[] = [];
    const stop = listenForStop((signal) => seen.push(signal), target);
    for (const signal of STOP_SIGNALS) expect(target.listenerCount(signal)).toBe(1);
    target.emit('SIGTERM');
    target.emit('SIGINT'); // a second signal while saving is ignored
    expect(seen).toEqual(['SIGTERM']);
    stop();
    for (const signal of STOP_SIGNALS) expect(target.listenerCount(signal)).toBe(0);
  });
});

describe('SaveSchedule', () => {
  it('is due every N steps counted from the last save', () => {
    const schedule = new SaveSchedule({ steps: 100 }, 40, () => 0);
    expect(schedule.due(139)).toBe(false);
    expect(schedule.due(140)).toBe(true);
    schedule.saved(163);
    expect(schedule.due(262)).toBe(false);
    expect(schedule.due(263)).toBe(true);
  });

  it('is due every M minutes, and never twice at the same step', () => {
    let now = 0;
    const schedule = new SaveSchedule({ minutes: 5 }, 0, () => now);
    now = 299_999;
    expect(schedule.due(10)).toBe(false);
    now = 300_000;
    expect(schedule.due(10)).toBe(true);
    expect(schedule.due(0)).toBe(false); // nothing new to save
    schedule.saved(10);
    now = 400_000;
    expect(schedule.due(20)).toBe(false);
  });

  it('saves only at the end with minutes 0 and no step interval', () => {
    let now = 0;
    const schedule = new SaveSchedule({ minutes: 0 }, 0, () => now);
    now = 1e9;
    expect(schedule.due(1e6)).toBe(false);
  });
});
