/** The "Reset to defaults" button every page with URL parameters has. */

export interface ResetDefaultsButtonProps {
  /** The page's URL state (`createUrlState` / `useUrlState`). */
  state: { reset(): void };
  /** Runs after the parameters are back to their defaults (to restart training, clear drafts…). */
  afterReset?: () => void;
}

/**
 * @example
 * ```tsx
 * <ResetDefaultsButton state={state} afterReset={restart} />
 * ```
 */
export function ResetDefaultsButton(props: ResetDefaultsButtonProps) {
  return (
    <button
      type="button"
      onClick={() => {
        props.state.reset();
        props.afterReset?.();
      }}
    >
      Reset to defaults
    </button>
  );
}
