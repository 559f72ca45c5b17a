/** The training status of the GPT and RNN pages: status, step, speed, backend, latest losses. */
import { describeBackend } from '../../session/backend-info.js';
import { DivergenceAlert } from '../../ui/divergence-alert.js';
import { formatCount, formatDecimal } from '../../ui/format.js';
import type { LmEvaluation, LmInfo } from './lm-kind.js';
import type { LmSession } from './use-lm-session.js';

/** The status line: status, step, speed and backend; the divergence alert. */
export function TrainingStatus(props: { lm: LmSession; onUseRate: (lr: number) => void }) {
  const { lm } = props;
  const p = lm.progress.value;
  const info = lm.info.value;
  const backend = lm.session.backendInfo.value;
  return (
    <>
      <DivergenceAlert
        stop={p?.divergence}
        onUseRate={(lr) => {
          props.onUseRate(lr);
          lm.session.send({ type: 'reset' });
        }}
      />
      <p
        class="mono"
        role="status"
        data-testid="lm-status"
        data-status={p?.status ?? 'paused'}
        data-step={p?.step ?? 0}
        data-steps-per-second={p?.stepsPerSecond ?? 0}
      >
        {info
          ? `${p?.status ?? 'paused'} · step ${formatCount(p?.step ?? 0)} / ${formatCount(p?.steps ?? 0)} · ${Math.round(p?.stepsPerSecond ?? 0)} steps/s · ${formatCount(info.numParameters)} parameters`
          : 'Preparing the model…'}
        {backend ? ` · ${describeBackend(backend)}` : ''}
      </p>
      {lm.latest.value ? (
        <p class="mono" data-testid="lm-losses">
          step {formatCount(lm.latest.value.step)}: train {formatDecimal(lm.latest.value.train)},
          validation {formatDecimal(lm.latest.value.dev)}
          {info && info.tokensPerCharacter !== 1 ? perCharacter(lm.latest.value, info) : ''}
        </p>
      ) : null}
    </>
  );
}

/**
 * The validation loss per character of a BPE run (loss/token × tokens/character), comparable
 * with a character-level run of the same text: both pay for the same characters.
 */
function perCharacter(latest: LmEvaluation, info: LmInfo): string {
  return ` per token × ${info.tokensPerCharacter.toFixed(4)} tokens/char = ${formatDecimal(latest.devPerCharacter)} per character`;
}
