/**
 * The loss chart of the GPT and RNN pages (uPlot: every step's log10 training loss, its moving
 * average, and the validation loss at each evaluation) and the sample of the latest evaluation.
 */
import { LineChart } from '../../viz/line-chart.js';
import type { LmSession } from './use-lm-session.js';

export function LossPanel(props: {
  lm: LmSession;
  title: string;
  sampleLabel: string;
  /** The held-out split's name: 'validation' (the lecture's, for a text) or 'dev' (names). */
  heldOut: string;
}) {
  const { lm } = props;
  const info = lm.info.value;
  const latest = lm.latest.value;
  return (
    <section class="panel" aria-labelledby="lm-loss">
      <h2 id="lm-loss">{props.title}</h2>
      <LineChart
        title="log10 of the training loss per step, its moving average, and the validation loss at each evaluation"
        data={lm.chart.value}
        xLabel="step"
        yLabel="log10 loss"
        width={640}
        height={300}
        series={[
          { label: 'train (minibatch)', color: 'rgba(47,111,179,0.35)', width: 1 },
          { label: 'train (smoothed)', color: '#2f6fb3', width: 2 },
          { label: props.heldOut, color: '#d0572b', points: true },
        ]}
        references={
          info
            ? [
                {
                  label: `uniform guess (ln ${info.vocabSize})`,
                  y: Math.log10(Math.log(info.vocabSize)),
                  color: '#777',
                },
              ]
            : []
        }
      />
      <h3 class="subhead">
        {props.sampleLabel}
        {latest ? ` at step ${latest.step}` : ''}
      </h3>
      <pre class="generation" data-testid="eval-sample" data-step={latest?.step ?? -1}>
        {latest ? latest.sample : 'A sample appears at each evaluation.'}
      </pre>
    </section>
  );
}
