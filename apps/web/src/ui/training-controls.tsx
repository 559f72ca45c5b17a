/**
 * The bar that drives a training worker: Play (or Pause while running), Step, Reset. The page
 * decides what is allowed (`canPlay`, `canStep`, `canReset`) because only it knows when a run is
 * finished or diverged; `children` add more controls or the status to the same row.
 */
import type { ComponentChildren } from 'preact';

export interface TrainingControlsProps {
  running: boolean;
  /** Whether Play may start (no setting error, not finished, not diverged). */
  canPlay: boolean;
  canStep: boolean;
  canReset: boolean;
  onPlay: () => void;
  onPause: () => void;
  /** Called with the number of steps of the button pressed (see `stepCounts`). */
  onStep: (count: number) => void;
  onReset: () => void;
  /** The label of the play button (default "Play"). */
  playLabel?: string;
  /** One Step button per entry: 1 is labelled "Step", n > 1 "Step n" (default `[1]`). */
  stepCounts?: readonly number[];
  /** Inline style of the row (the default `.controls` margins otherwise). */
  style?: string;
  children?: ComponentChildren;
}

/**
 * Pause and Play take the same place (one button, the first in the row), so the keyboard focus
 * stays on it when it switches.
 *
 * @example
 * ```tsx
 * <TrainingControls
 *   running={running}
 *   canPlay={!done}
 *   canStep={!running && !done}
 *   canReset
 *   onPlay={() => send({ type: 'play' })}
 *   onPause={() => send({ type: 'pause' })}
 *   onStep={() => send({ type: 'step' })}
 *   onReset={() => send({ type: 'reset' })}
 * />
 * ```
 */
export function TrainingControls(props: TrainingControlsProps) {
  return (
    <div class="controls" style={props.style}>
      {props.running ? (
        <button type="button" class="primary" onClick={props.onPause}>
          Pause
        </button>
      ) : (
        <button type="button" class="primary" disabled={!props.canPlay} onClick={props.onPlay}>
          {props.playLabel ?? 'Play'}
        </button>
      )}
      {(props.stepCounts ?? [1]).map((count) => (
        <button
          key={count}
          type="button"
          disabled={!props.canStep}
          onClick={() => props.onStep(count)}
        >
          {count === 1 ? 'Step' : `Step ${count}`}
        </button>
      ))}
      <button type="button" disabled={!props.canReset} onClick={props.onReset}>
        Reset
      </button>
      {props.children}
    </div>
  );
}
