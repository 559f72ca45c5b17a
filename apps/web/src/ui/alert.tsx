/** A warning the learner must see: an error, a diverged run, a setting that cannot be used. */

export interface AlertProps {
  /** The text; nothing is rendered while it is null, undefined or empty. */
  message: string | null | undefined;
  /** `data-testid`, for the alerts the end-to-end tests wait for (such as "divergence"). */
  testId?: string;
}

/**
 * Rendered with `role="alert"`, so screen readers announce it as soon as it appears.
 *
 * @example
 * ```tsx
 * <Alert message={divergence?.message} testId="divergence" />
 * ```
 */
export function Alert(props: AlertProps) {
  if (!props.message) return null;
  return (
    <p class="alert" role="alert" data-testid={props.testId}>
      {props.message}
    </p>
  );
}
