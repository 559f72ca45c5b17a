/** A labelled range slider that shows its current value in the label ("k = 1.5"). */

export interface SliderFieldProps {
  /** The label's text before " = value". */
  label: string;
  /** The value as shown in the label (already formatted). */
  shown: string | number;
  /**
   * The slider's accessible name when it should not be the whole label: the label text changes
   * with the value, a stable name is easier to find and to hear.
   */
  ariaLabel?: string;
  /** What a screen reader announces as the value, when the slider's position is not the value. */
  ariaValueText?: string;
  /** Sets the label in the monospace font (for formulas: "w1 = 0.50"). */
  mono?: boolean;
  min: number;
  max: number;
  step: number;
  value: number;
  /** Called on every movement (keyboard or pointer) with the slider's new position. */
  onInput: (value: number) => void;
}

/**
 * @example
 * ```tsx
 * <SliderField label="k" shown={k} min={0} max={10} step={0.1} value={k} onInput={setK} />
 * ```
 */
export function SliderField(props: SliderFieldProps) {
  const text = (
    <>
      {`${props.label} = `}
      {props.shown}
    </>
  );
  return (
    <label>
      {props.mono ? <span class="mono">{text}</span> : text}
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        aria-label={props.ariaLabel}
        aria-valuetext={props.ariaValueText}
        onInput={(event) => props.onInput(Number(event.currentTarget.value))}
      />
    </label>
  );
}
