/**
 * The one divergence message of every training page: the makemore Trainer's rule stopped the run
 * (a non-finite loss, or a loss that stayed far above a uniform guess), its message names the
 * step, the loss and the learning rate, and the button applies the rate its LR finder found.
 */
import type { Stop } from '../session/protocol.js';

export interface DivergenceAlertProps {
  /** The run's stop; nothing is rendered unless it is a divergence. */
  stop: Stop | null | undefined;
  /** Sets the page's learning rate (the page then starts over with it). */
  onUseRate: (lr: number) => void;
}

/** A rate for a button: three significant digits, no trailing zeros (0.3, 1.5e-5). */
export function shortRate(lr: number): string {
  return String(Number(lr.toPrecision(3)));
}

/**
 * @example
 * ```tsx
 * <DivergenceAlert stop={progress.stop} onUseRate={(lr) => state.set({ lr })} />
 * ```
 */
export function DivergenceAlert(props: DivergenceAlertProps) {
  const { stop } = props;
  if (stop?.reason !== 'diverged') return null;
  const suggested = stop.suggestedLr;
  return (
    <div class="alert" role="alert" data-testid="divergence" data-step={stop.step}>
      <p>{stop.message}</p>
      {suggested !== undefined && suggested > 0 ? (
        <button
          type="button"
          data-testid="use-suggested-lr"
          onClick={() => props.onUseRate(Number(suggested.toPrecision(3)))}
        >
          Use {shortRate(suggested)}
        </button>
      ) : null}
    </div>
  );
}
