/**
 * A layer (step 4 of the learning path): `Layer(nin, nout)` from `@llm-playground/nn/micro` on two
 * or three inputs. Sliders move the inputs; each neuron's n and output and the layer's output
 * vector follow; a network picture shows which weight connects what; the activation plot's point
 * drags along the curve to set the selected neuron's pre-activation (through its bias). The logic
 * is in `layer-model.ts`; every setting is in the URL (`#/layer?nout=3&x1=1&bias=2:0.5`).
 */
import type { Activation } from '@llm-playground/nn/micro';
import * as Plot from '@observablehq/plot';
import { ResetDefaultsButton } from '../../ui/reset-defaults-button.js';
import { SelectField } from '../../ui/select-field.js';
import { SliderField } from '../../ui/slider-field.js';
import { type PageState, useUrlState } from '../../ui/use-url-state.js';
import { FunctionPlot } from '../../viz/function-plot.js';
import { PlotFigure } from '../../viz/plot-figure.js';
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
            activation={activation}
            neurons={neurons}
            selected={selected}
            onDrag={setN}
            onSelect={(index) => state.set({ sel: index + 1 })}
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

const COLORS = ['#2f6fb3', '#b3541e', '#1d7a3a', '#7a3ab3', '#b3a11e', '#3ab3a8'];

/** The colour of neuron `index`: its point on the activation plot, its row and its circle. */
function pointColor(index: number): string {
  return COLORS[index % COLORS.length];
}

/**
 * The activation over n ∈ [−N_REACH, N_REACH] with every neuron's n marked; the selected
 * neuron's point drags along the curve (or moves with the arrow keys), a click selects another.
 */
function ActivationPlot(props: {
  activation: Activation;
  neurons: NeuronState[];
  selected: number;
  onDrag: (n: number) => void;
  onSelect: (index: number) => void;
}) {
  const { activation, neurons, selected } = props;
  const fn = ACTIVATION_CURVES[activation];
  const current = neurons[selected];
  const label = String(selected + 1);
  const near = (n: number) => Math.abs(n - current.n) < N_REACH / 6;
  // The selected neuron is the handle; the others are dots (a click selects one).
  const others = neurons.flatMap((neuron, j) => (j === selected ? [] : [{ neuron, j }]));
  return (
    <FunctionPlot
      class="activation-plot"
      title={`${activation} for n from −${N_REACH} to ${N_REACH}, with each neuron's n marked; neuron ${label} can be dragged`}
      x={{ domain: [-N_REACH, N_REACH], label: 'n (pre-activation)' }}
      y={{ domain: activationRange(activation) }}
      curves={[{ fn, stroke: '#333' }]}
      // The others' labels are left out near the dragged point (its "k: n = …" would overlap).
      dots={others.map(({ neuron, j }) => ({
        x: neuron.n,
        y: fn(neuron.n),
        fill: pointColor(j),
        label: near(neuron.n) ? '' : String(j + 1),
      }))}
      onSelectDot={(k) => props.onSelect(others[k].j)}
      handle={{
        x: current.n,
        y: fn(current.n),
        fill: pointColor(selected),
        drop: true,
        label: `${label}: n = ${current.n.toFixed(2)}${Math.abs(current.n) > N_REACH ? ' (off the plot)' : ''}`,
        min: -N_REACH,
        max: N_REACH,
        ariaLabel: `neuron ${label}'s pre-activation n`,
        ariaValueText: `n = ${current.n.toFixed(2)}, output ${fn(current.n).toFixed(3)}`,
        onDrag: (n) => props.onDrag(Math.max(-N_REACH, Math.min(N_REACH, n))),
      }}
    />
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

/** Inputs on the left, neurons on the right, one line per weight (Plot on pixel coordinates). */
function NetworkPicture(props: { x: number[]; neurons: NeuronState[]; selected: number }) {
  const { x, neurons, selected } = props;
  const width = 300;
  const rows = Math.max(x.length, neurons.length);
  const height = 40 + rows * 44;
  const yOf = (i: number, count: number) => height / 2 + (i - (count - 1) / 2) * 44;
  const inputs = x.map((value, i) => ({ x: 50, y: yOf(i, x.length), value, name: `x${i + 1}` }));
  const outputs = neurons.map((neuron, j) => ({ x: 200, y: yOf(j, neurons.length), neuron, j }));
  const weights = outputs.flatMap((out) =>
    out.neuron.w.map((w, i) => ({ w, from: inputs[i], to: out, j: out.j })),
  );
  const render = () =>
    Plot.plot({
      width,
      height,
      margin: 0,
      ariaLabel: `${x.length} inputs, each connected to each of ${neurons.length} neurons`,
      className: 'layer-net',
      x: { type: 'identity', axis: null },
      y: { type: 'identity', axis: null },
      style: { fontSize: '11px' },
      marks: [
        Plot.link(weights, {
          x1: (d) => d.from.x,
          y1: (d) => d.from.y,
          x2: (d) => d.to.x,
          y2: (d) => d.to.y,
          stroke: (d) => (d.w >= 0 ? '#2f6fb3' : '#d9822b'),
          strokeWidth: (d) => 0.5 + 3 * Math.min(1, Math.abs(d.w)),
          strokeOpacity: (d) => (d.j === selected ? 0.95 : 0.45),
        }),
        Plot.dot(inputs, { x: 'x', y: 'y', r: 16, fill: '#f4f6fa', stroke: '#888' }),
        Plot.text(inputs, { x: 'x', y: 'y', text: (d) => d.value.toFixed(1) }),
        Plot.text(inputs, { x: 'x', y: 'y', text: 'name', dx: -22, textAnchor: 'end' }),
        Plot.dot(outputs, {
          x: 'x',
          y: 'y',
          r: 17,
          fill: 'white',
          stroke: (d) => pointColor(d.j),
          strokeWidth: (d) => (d.j === selected ? 3 : 1.5),
        }),
        Plot.text(outputs, { x: 'x', y: 'y', text: (d) => d.neuron.o.toFixed(2), fontSize: 10 }),
        Plot.text(outputs, {
          x: 'x',
          y: 'y',
          text: (d) => `o${d.j + 1}`,
          dx: 24,
          textAnchor: 'start',
          fill: (d) => pointColor(d.j),
          fontWeight: 'bold',
        }),
      ],
    });
  return (
    <PlotFigure
      title={`${x.length} inputs, each connected to each of ${neurons.length} neurons`}
      render={render}
      deps={[x.join(), neurons, selected]}
    />
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
