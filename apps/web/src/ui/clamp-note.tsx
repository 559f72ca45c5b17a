/**
 * The note a page shows when its link asked for model settings outside their ranges (the URL
 * state clamps them): each adjustment's message, so the learner sees what was changed and why.
 *
 * @example
 * ```tsx
 * <ClampNote notes={clampNotes} />
 * ```
 */
export function ClampNote(props: { notes: readonly { message: string }[] }) {
  if (props.notes.length === 0) return null;
  return (
    <p class="muted" data-testid="clamp-note">
      The link asked for values outside the model's ranges:{' '}
      {props.notes.map((a) => a.message).join('; ')}.
    </p>
  );
}
