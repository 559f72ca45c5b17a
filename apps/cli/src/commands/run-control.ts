/**
 * What keeps a long run from being lost: the stop signals a terminal, a service manager or a
 * closed SSH session send (SIGINT = Ctrl-C, SIGTERM = `kill`, `docker stop`, systemd; SIGHUP = the
 * terminal went away), all handled alike (stop between two steps, save, say how to resume), and a
 * periodic save so that SIGKILL or a power cut loses at most one interval.
 *
 * The exit code after a stop signal is the shell's convention for "killed by signal N": 128 + N,
 * i.e. 130 for SIGINT, 143 for SIGTERM and 129 for SIGHUP, so a script sees the run did not finish.
 */

/** The signals that stop a run cleanly. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** One of `STOP_SIGNALS`. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

const SIGNAL_NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * The exit code after stopping on `signal`: 128 + its number, as a shell reports a process killed
 * by it.
 *
 * @example
 * signalExitCode('SIGINT'); // 130
 * signalExitCode('SIGTERM'); // 143
 * signalExitCode('SIGHUP'); // 129
 */
export function signalExitCode(signal: StopSignal): number {
  return 128 + SIGNAL_NUMBERS[signal];
}

/**
 * Listens to SIGINT, SIGTERM and SIGHUP until the returned function is called. The first signal
 * calls `onStop` with its name; while listening, the process is not killed by these signals (the
 * run stops at its next step boundary instead). A second Ctrl-C while the run is saving is
 * ignored as well, so a save is never cut in half by an impatient key press.
 *
 * @example
 * const stopListening = listenForStop((signal) => controller.abort(signal));
 * try { await longRun(controller.signal); } finally { stopListening(); }
 */
export function listenForStop(
  onStop: (signal: StopSignal) => void,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): () => void {
  let stopped = false;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (stopped) return;
      stopped = true;
      onStop(signal);
    };
    target.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) target.off(signal, handler);
  };
}

/**
 * The default interval of `lmp train`'s periodic save: every 5 minutes (a short run never saves
 * before its end). The saving itself is the Trainer's checkpoint callback
 * (`checkpoint: { everySteps, everySeconds, onCheckpoint }`).
 */
export const DEFAULT_SAVE_MINUTES = 5;
