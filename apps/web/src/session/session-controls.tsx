/**
 * The training bar of a page with a session (`useSession`): Train/Resume, Pause, Step 1 and
 * Step 100, Reset, wired to the session's commands and enabled by the run's status. It reads the
 * progress signal itself, so a progress message re-renders only the bar, not the page.
 */
import type { ReadonlySignal } from '@preact/signals';
import { TrainingControls } from '../ui/training-controls.js';
import type { Command, RunStatus } from './protocol.js';

export interface SessionControlsProps {
  /** The latest progress shown (null before the first). */
  progress: ReadonlySignal<{ status: RunStatus; step: number } | null>;
  /** Whether the trainer is ready (its `ready` event came). */
  ready: boolean;
  send: (command: Command) => void;
}

/**
 * A finished (done or diverged) run can only be reset.
 *
 * @example
 * ```tsx
 * <SessionControls progress={progress} ready={info !== null} send={(c) => session.send(c)} />
 * ```
 */
export function SessionControls(props: SessionControlsProps) {
  const p = props.progress.value;
  const status = p?.status ?? 'paused';
  const finished = status === 'done' || status === 'diverged';
  const { ready, send } = props;
  return (
    <TrainingControls
      running={status === 'running'}
      canPlay={ready && !finished}
      canStep={ready && !finished}
      canReset={ready}
      onPlay={() => send({ type: 'resume' })}
      onPause={() => send({ type: 'pause' })}
      onStep={(count) => send({ type: 'step', count })}
      onReset={() => send({ type: 'reset' })}
      playLabel={p && p.step > 0 ? 'Resume' : 'Train'}
      stepCounts={[1, 100]}
    />
  );
}
