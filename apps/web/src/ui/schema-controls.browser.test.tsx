/**
 * A throw-away model family, defined only here, gets its page controls and URL parameters with no
 * code of its own: the generic controls render every field type of its schema, and its URL values
 * are clamped by `familyConfig` with a note.
 */
import {
  type ConfigField,
  type ConfigValue,
  getFamily,
  type ModelFamily,
  registerFamily,
  unregisterFamily,
} from '@llm-playground/makemore';
import { render } from 'preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyParamSpecs, pageConfig } from '../state/family-params.js';
import { readParams } from '../state/url-state.js';
import { logPosition, SchemaControls } from './schema-controls.js';

const toyFamily: ModelFamily = {
  ...getFamily('bigram-net'), // borrow a model and its training defaults: only the schema matters here
  name: 'toy',
  title: 'Toy (test only)',
  schema: [
    { name: 'contextLength', type: 'int', default: 4, min: 1, max: 16, help: 'context length' },
    {
      name: 'width',
      type: 'int',
      default: 100,
      min: 1,
      max: 10_000,
      help: 'units per layer',
      scale: 'log',
    },
    {
      name: 'activation',
      type: 'enum',
      default: 'tanh',
      choices: ['tanh', 'relu', 'gelu'],
      help: 'nonlinearity',
    },
    { name: 'bias', type: 'boolean', default: true, help: 'learn a bias', flag: 'with-bias' },
    { name: 'note', type: 'string', default: '', help: 'free text' },
  ],
};

const host = document.createElement('div');
document.body.append(host);

function mount(values: Record<string, ConfigValue>) {
  const changes: [string, ConfigValue][] = [];
  const onChange = (field: ConfigField, value: ConfigValue) => changes.push([field.name, value]);
  render(<SchemaControls schema={toyFamily.schema} values={values} onChange={onChange} />, host);
  return changes;
}

function commit(input: HTMLInputElement | HTMLSelectElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('SchemaControls with a family registered in this test', () => {
  beforeAll(() => registerFamily(toyFamily));
  afterAll(() => {
    render(null, host);
    unregisterFamily('toy');
  });

  it('renders one control per field: number, log slider + number, select, checkbox, text', () => {
    mount({ contextLength: 4, width: 100, activation: 'relu', bias: true, note: 'hi' });
    const context = host.querySelector<HTMLInputElement>('input[name="context-length"]');
    expect(context?.type).toBe('number');
    expect([context?.min, context?.max, context?.step, context?.value]).toEqual([
      '1',
      '16',
      '1',
      '4',
    ]);
    expect(context?.closest('label')?.textContent).toContain('Context length');
    expect(context?.closest('label')?.title).toBe('--context-length: context length');
    // A linear field has no slider; a log one has one, at log(100) on [log 1, log 10000]: the middle.
    expect(context?.closest('label')?.querySelector('input[type="range"]')).toBeNull();
    const slider = host.querySelector<HTMLInputElement>('input[type="range"][data-flag="width"]');
    expect(slider?.value).toBe(String(logPosition(100, 1, 10_000)));
    expect(Number(slider?.value)).toBe(100);
    const select = host.querySelector<HTMLSelectElement>('select[name="activation"]');
    expect(Array.from(select?.options ?? [], (o) => o.value)).toEqual(['tanh', 'relu', 'gelu']);
    expect(select?.value).toBe('relu');
    const checkbox = host.querySelector<HTMLInputElement>('input[name="with-bias"]');
    expect([checkbox?.type, checkbox?.checked]).toEqual(['checkbox', true]);
    expect(host.querySelector<HTMLInputElement>('input[name="note"]')?.value).toBe('hi');
  });

  it('reports committed changes with the right types', () => {
    const changes = mount({
      contextLength: 4,
      width: 100,
      activation: 'tanh',
      bias: true,
      note: '',
    });
    commit(host.querySelector('input[name="context-length"]') as HTMLInputElement, '7');
    commit(host.querySelector('input[type="range"][data-flag="width"]') as HTMLInputElement, '150');
    commit(host.querySelector('select[name="activation"]') as HTMLSelectElement, 'gelu');
    (host.querySelector('input[name="with-bias"]') as HTMLInputElement).click();
    commit(host.querySelector('input[name="note"]') as HTMLInputElement, 'x');
    // Slider position 150 of 200 on [1, 10000] in log space: 10^(4·0.75) = 1000.
    expect(changes).toEqual([
      ['contextLength', 7],
      ['width', 1000],
      ['activation', 'gelu'],
      ['bias', false],
      ['note', 'x'],
    ]);
  });

  it('gives URL parameters keyed by flag, clamped by familyConfig with a note', () => {
    const specs = familyParamSpecs(getFamily('toy').schema);
    expect(Object.keys(specs)).toEqual([
      'context-length',
      'width',
      'activation',
      'with-bias',
      'note',
    ]);
    const values = readParams(
      specs,
      new URLSearchParams('width=99999&activation=swish&with-bias=0'),
    );
    expect(values).toEqual({
      'context-length': 4,
      width: 10_000,
      activation: 'tanh',
      'with-bias': false,
      note: '',
    });
    const { config, adjustments } = pageConfig(
      'toy',
      { width: '99999', activation: 'swish', 'with-bias': '0' },
      5,
    );
    expect(config).toMatchObject({
      kind: 'toy',
      vocabSize: 5,
      width: 10_000,
      activation: 'tanh',
      bias: false,
    });
    expect(adjustments.map((a) => a.message)).toEqual([
      'width=99999 must be a whole number from 1 to 10000: using 10000',
      'activation=swish must be one of tanh, relu, gelu: using tanh',
    ]);
  });
});
