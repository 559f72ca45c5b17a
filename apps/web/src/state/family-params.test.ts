import { flagOf, getFamilyInfo } from '@llm-playground/makemore/schemas';
import { describe, expect, it } from 'vitest';
import { byFieldName, familyParamSpecs, pageConfig, rawFlags } from './family-params.js';
import { readParams } from './url-state.js';

// NOTE: the lecture's three fields are checked by value; fields a family adds later (part 3's
// BatchNorm and fixes) only by following the schema, which is all the page code does with them.
const mlp = getFamilyInfo('mlp');

describe("a family's schema as page parameters", () => {
  it('keys the parameters by CLI flag with the schema ranges and slider scale', () => {
    const specs = familyParamSpecs(mlp.schema);
    expect(Object.keys(specs)).toEqual(mlp.schema.map(flagOf));
    expect(specs).toMatchObject({
      'block-size': { type: 'number', default: 3, min: 1, max: 64, integer: true, log: false },
      'n-embd': { type: 'number', default: 10, min: 1, max: 1024, integer: true, log: true },
      'n-hidden': { type: 'number', default: 200, min: 1, max: 100_000, integer: true, log: true },
    });
    expect(byFieldName(mlp.schema, { 'n-hidden': 50, lr: 0.1 })).toEqual({ nHidden: 50 });
  });

  it('clamps a link through familyConfig and says what it changed', () => {
    const params = new URLSearchParams('n-hidden=1e9&n-embd=abc&block-size=5&lr=3');
    expect(rawFlags(mlp.schema, params)).toEqual({
      'n-hidden': '1e9',
      'n-embd': 'abc',
      'block-size': '5',
    });
    const { config, adjustments } = pageConfig('mlp', rawFlags(mlp.schema, params), 28);
    expect(config).toMatchObject({
      kind: 'mlp',
      vocabSize: 28,
      blockSize: 5,
      nEmbd: 10,
      nHidden: 100_000,
    });
    expect(adjustments.map((a) => a.message)).toEqual([
      'n-embd=abc must be a whole number from 1 to 1024: using 10',
      'n-hidden=1e9 must be a whole number from 1 to 100000: using 100000',
    ]);
    // The URL state reads the same values.
    const values = readParams(familyParamSpecs(mlp.schema), params);
    expect(values).toMatchObject({ 'block-size': 5, 'n-embd': 10, 'n-hidden': 100_000 });
    expect(pageConfig('mlp', values, 28).adjustments).toEqual([]);
  });

  it("names a rule across settings: n_embd not divisible by n_head (PyTorch's words)", () => {
    const { config, adjustments } = pageConfig('gpt', { 'n-embd': '64', 'n-head': '3' }, 83);
    expect(config.nHead).toBe(2);
    expect(adjustments.map((a) => a.message)).toEqual([
      'n-head=3: embed_dim must be divisible by num_heads: nEmbd (--n-embd) 64 is not a multiple of nHead (--n-head) 3 (each head gets nEmbd / nHead dimensions; 2 heads would do): using 2',
    ]);
    // Out of range is still the range's message.
    expect(pageConfig('gpt', { 'n-head': '100' }, 83).adjustments[0].message).toBe(
      'n-head=100 must be a whole number from 1 to 64: using 64',
    );
  });
});
