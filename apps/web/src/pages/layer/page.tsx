/**
 * A layer (step 4 of the learning path): `Layer(nin, nout)` from `@llm-playground/nn/micro` on two
 * or three inputs. Sliders move the inputs; each neuron's n and output and the layer's output
 * vector follow; a network picture shows which weight connects what; the activation plot's point
 * drags along the curve to set the selected neuron's pre-activation (through its bias). The logic
 * is in `layer-model.ts`; every setting is in the URL (`#/layer?nout=3&x1=1&bias=2:0.5`).
 */
import type { Activation } from '@llm-playground/nn/micro';
import { ActivationPlot, pointColor } from '../../ui/activation-plot.js';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SelectField } from '../../ui/select-field.js';
import { SliderField } from '../../ui/slider-field.js';
import { type PageState, useUrlState } from '../../ui/use-url-state.js';
import { formatFixed } from '../derivatives/graph-dot.js';
import {
  ACTIVATION_CURVES,
  activationRange,
  biasFor,
  formatBiases,
  layerForward,
  makeLayer,
  N_REACH,
  type NeuronState,
  parseBiases,
} from './layer-model.js';
import './layer.css';

const schema = {
  nin: { type: 'number', default: 3, min: 2, max: 3, integer: true },
  nout: { type: 'number', default: 4, min: 1, max: 6, integer: true },
  // The lecture's input x = [2.0, 3.0, -1.0].
  x1: { type: 'number', default: 2, min: -3, max: 3 },
  x2: { type: 'number', default: 3, min: -3, max: 3 },
  x3: { type: 'number', default: -1, min: -3, max: 3 },
  act: { type: 'enum', default: 'tanh', values: ['tanh', 'relu', 'sigmoid', 'linear'] },
  seed: { type: 'number', default: 42, min: 0, max: 1_000_000, integer: true },
  /** The neuron the activation plot drags (1-based). */
  sel: { type: 'number', default: 1, min: 1, max: 6, integer: true },
  /** Biases moved away from micrograd's 0: `1:0.5,3:-2` (see `layer-model.ts`). */
  bias: { type: 'string', default: '', maxLength: 300 },
} as const;

type LayerState = PageState<typeof schema>;

export default function LayerPage() {
  const state = useUrlState(schema);
  const values = state.values.value;
  const { nin, nout } = values;
  const activation = values.act as Activation;
  const x = [values.x1, values.x2, values.x3].slice(0, nin);
  const biases = parseBiases(values.bias, nout);
  const layer = makeLayer(nin, nout, activation, values.seed, biases);
  const neurons = layerForward(layer, x);
  const selected = Math.min(values.sel, nout) - 1;
  const setN = (n: number) => {
    const next = new Map(biases);
    next.set(selected, biasFor(neurons[selected].w, x, n));
    state.set({ bias: formatBiases(next) });
  };
  return (
    <>
      <section class="panel" aria-labelledby="layer-title">
        <h2 id="layer-title">A layer: several neurons reading the same inputs</h2>
        <p>
          A neuron turns inputs into one number. A <strong>layer</strong> is {nout} neuron
          {nout === 1 ? '' : 's'} side by side: each reads <em>all</em> {nin} inputs, each with its
          own weights and bias, so the layer turns {nin} numbers into {nout}. Neuron j computes{' '}
          <span class="formula">
            n<sub>j</sub> = b<sub>j</sub> + Σ<sub>i</sub> w<sub>ji</sub>·x<sub>i</sub>
          </span>{' '}
          and outputs{' '}
          <span class="formula">
            o<sub>j</sub> = {activation}(n<sub>j</sub>)
          </span>
          ; the layer's output is the vector of all the o<sub>j</sub>, which is the input of the
          next layer in an MLP.
        </p>
        <pre class="mono layer-code">
          {`layer = Layer(${nin}, ${nout}, { activation: '${activation}' })  // weights uniform(−1, 1), biases 0\nlayer.forward([${x.join(', ')}])  // → ${nout} outputs`}
        </pre>
        <LayerControls state={state} />
      </section>
      <div class="row layer-row">
        <section class="panel" aria-labelledby="layer-net-title">
          <h3 id="layer-net-title">The layer</h3>
          <NetworkPicture x={x} neurons={neurons} selected={selected} />
          <p class="muted layer-note">Line thickness: |w|; blue: w &gt; 0, orange: w &lt; 0.</p>
        </section>
        <section class="panel" aria-labelledby="layer-act-title">
          <h3 id="layer-act-title">Drag along the curve</h3>
          <ActivationPlot
            fn={ACTIVATION_CURVES[activation]}
            reach={N_REACH}
            yRange={activationRange(activation)}
            points={neurons.map((neuron, j) => ({ n: neuron.n, label: String(j + 1) }))}
            selected={selected}
            onDrag={setN}
            onSelect={(index) => state.set({ sel: index + 1 })}
            label={`${activation} for n from −${N_REACH} to ${N_REACH}, with each neuron's n marked; neuron ${selected + 1} can be dragged`}
          />
          <p class="muted layer-note">
            Drag the big point (or focus it and use the arrow keys) to set neuron {selected + 1}'s
            n. The inputs and weights stay, so its bias moves:{' '}
            <span class="mono">b = n − Σ w·x</span>. Where the curve is flat, moving n barely
            changes the output: the neuron is saturated and its gradient nearly 0.
          </p>
        </section>
      </div>
      <section class="panel" aria-labelledby="layer-out-title">
        <h3 id="layer-out-title">Each neuron, and the layer's output</h3>
        <NeuronTable
          neurons={neurons}
          activation={activation}
          selected={selected}
          onSelect={(j) => state.set({ sel: j + 1 })}
        />
        <p class="mono layer-output" data-testid="layer-output">
          layer(x) = [{neurons.map((neuron) => formatFixed(neuron.o)).join(', ')}]
        </p>
        <p class="muted">
          Same inputs, different weights: different outputs. Training (the next steps) moves every
          weight and bias of every neuron at once, by its gradient.
        </p>
      </section>
    </>
  );
}

function LayerControls({ state }: { state: LayerState }) {
  const values = state.values.value;
  const inputs = (['x1', 'x2', 'x3'] as const).slice(0, values.nin);
  return (
    <>
      <div class="controls">
        <label>
          inputs (nin)
          <select
            value={String(values.nin)}
            onChange={(e) => state.set({ nin: Number(e.currentTarget.value) })}
          >
            <option value="2">2</option>
            <option value="3">3</option>
          </select>
        </label>
        <SliderField
          label="neurons (nout)"
          shown={values.nout}
          ariaLabel="neurons (nout)"
          min={1}
          max={6}
          step={1}
          value={values.nout}
          onInput={(nout) => state.set({ nout })}
        />
        <SelectField
          state={state}
          name="act"
          label="activation"
          options={[
            { value: 'tanh', label: 'tanh' },
            { value: 'relu', label: 'ReLU' },
            { value: 'sigmoid', label: 'sigmoid' },
            { value: 'linear', label: 'none (linear)' },
          ]}
        />
        <button
          type="button"
          onClick={() => state.set({ seed: values.seed + 1, bias: '' })}
          title="Draw new weights (the next seed); biases back to 0"
        >
          New weights (seed {values.seed})
        </button>
        <ResetDefaultsButton state={state} />
      </div>
      <div class="controls">
        {inputs.map((name) => (
          <SliderField
            key={name}
            label={name}
            mono
            shown={values[name].toFixed(2)}
            ariaLabel={name}
            min={-3}
            max={3}
            step={0.05}
            value={values[name]}
            onInput={(value) => state.set({ [name]: value })}
          />
        ))}
      </div>
    </>
  );
}

/** Inputs on the left, neurons on the right, one line per weight. */
function NetworkPicture(props: { x: number[]; neurons: NeuronState[]; selected: number }) {
  const { x, neurons, selected } = props;
  const width = 300;
  const rows = Math.max(x.length, neurons.length);
  const height = 40 + rows * 44;
  const yOf = (i: number, count: number) => height / 2 + (i - (count - 1) / 2) * 44;
  const inX = 50;
  const outX = 200;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${x.length} inputs, each connected to each of ${neurons.length} neurons`}
      class="layer-net"
    >
      {neurons.map((neuron, j) =>
        neuron.w.map((w, i) => (
          <line
            key={`${i}-${j}`}
            x1={inX}
            y1={yOf(i, x.length)}
            x2={outX}
            y2={yOf(j, neurons.length)}
            stroke={w >= 0 ? '#2f6fb3' : '#d9822b'}
            stroke-width={0.5 + 3 * Math.min(1, Math.abs(w))}
            opacity={j === selected ? 0.95 : 0.45}
          />
        )),
      )}
      {x.map((value, i) => (
        <g key={`x${i}`}>
          <circle cx={inX} cy={yOf(i, x.length)} r={16} fill="#f4f6fa" stroke="#888" />
          <text x={inX} y={yOf(i, x.length) + 4} text-anchor="middle" font-size="11">
            {value.toFixed(1)}
          </text>
          <text x={inX - 22} y={yOf(i, x.length) + 4} text-anchor="end" font-size="11">
            x{i + 1}
          </text>
        </g>
      ))}
      {neurons.map((neuron, j) => (
        <g key={`o${j}`}>
          <circle
            cx={outX}
            cy={yOf(j, neurons.length)}
            r={17}
            fill="white"
            stroke={pointColor(j)}
            stroke-width={j === selected ? 3 : 1.5}
          />
          <text x={outX} y={yOf(j, neurons.length) + 4} text-anchor="middle" font-size="10">
            {neuron.o.toFixed(2)}
          </text>
          <text
            x={outX + 24}
            y={yOf(j, neurons.length) + 4}
            font-size="11"
            fill={pointColor(j)}
            font-weight="bold"
          >
            o{j + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}

function NeuronTable(props: {
  neurons: NeuronState[];
  activation: Activation;
  selected: number;
  onSelect: (j: number) => void;
}) {
  const { neurons, activation, selected, onSelect } = props;
  return (
    <div class="layer-table-box">
      <table class="layer-table mono" aria-label="Each neuron's weights, bias, n and output">
        <thead>
          <tr>
            <th>neuron</th>
            <th>weights w</th>
            <th>bias b</th>
            <th>n = b + w·x</th>
            <th>o = {activation}(n)</th>
          </tr>
        </thead>
        <tbody>
          {neurons.map((neuron, j) => (
            <tr
              key={j}
              class={j === selected ? 'selected' : undefined}
              data-testid={`neuron-${j + 1}`}
            >
              <td>
                <button
                  type="button"
                  aria-pressed={j === selected}
                  onClick={() => onSelect(j)}
                  style={`border-color: ${pointColor(j)}`}
                  title="Drag this neuron on the activation plot"
                >
                  {j + 1}
                </button>
              </td>
              <td>[{neuron.w.map((w) => w.toFixed(3)).join(', ')}]</td>
              <td>{formatFixed(neuron.b)}</td>
              <td data-testid={`neuron-${j + 1}-n`}>{formatFixed(neuron.n)}</td>
              <td data-testid={`neuron-${j + 1}-o`}>{formatFixed(neuron.o)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
