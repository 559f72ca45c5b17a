import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForStop, STOP_SIGNALS, signalExitCode } from './run-control.js';

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
