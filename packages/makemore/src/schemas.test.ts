// The `./schemas` entry: the families' schemas and run settings without model or tensor code, and
// one registry with the main entry.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getFamily, registerFamily, unregisterFamily } from './families/registry.js';
import * as schemas from './schemas.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module `file` loads at run time (type-only imports and exports are erased), recursively. */
function runtimeImports(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  seen.set(file, found);
  for (const match of text.matchAll(
    /^(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s+'([^']+)'/gm,
  )) {
    const [, , typeOnly, what, from] = match;
    if (typeOnly) continue;
    const names = what
      .replace(/[{}\s]/g, '')
      .split(',')
      .filter(Boolean);
    if (what.includes('{') && names.every((name) => name.startsWith('type'))) continue;
    found.push(from);
    if (from.startsWith('.'))
      runtimeImports(resolve(dirname(file), from.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('@llm-playground/makemore/schemas', () => {
  it('loads no model, tensor, nn or data code', () => {
    const graph = runtimeImports(join(here, 'schemas.ts'));
    const files = [...graph.keys()].map((file) => file.slice(here.length + 1)).sort();
    expect(files).toEqual([
      'errors.ts',
      'families/bigram-counts/schema.ts',
      'families/bigram-net/schema.ts',
      'families/bow/schema.ts',
      'families/catalog.ts',
      'families/config-schema.ts',
      'families/deep-mlp/schema.ts',
      'families/family.ts',
      'families/gpt/schema.ts',
      'families/gru/schema.ts',
      'families/layer-plan.ts',
      'families/mlp-bn/schema.ts',
      'families/mlp/schema.ts',
      'families/rnn/schema.ts',
      'families/transformer/schema.ts',
      'families/wavenet/schema.ts',
      'families/zoo-schema.ts',
      'run-settings.ts',
      'schemas.ts',
    ]);
    const packages = [...graph.values()].flat().filter((from) => !from.startsWith('.'));
    expect(packages).toEqual([]);
  });

  it('the graph walk sees a runtime import (so the test above can fail)', () => {
    const graph = runtimeImports(join(here, 'families', 'mlp', 'index.ts'));
    expect([...graph.keys()].some((file) => file.endsWith(join('families', 'mlp', 'mlp.ts')))).toBe(
      true,
    );
  });

  it('serves what a page needs: schemas, a clamped config, the run settings', () => {
    const mlp = schemas.getFamilyInfo('mlp');
    expect(mlp.schema.map(schemas.flagOf)).toEqual(['block-size', 'n-embd', 'n-hidden']);
    const adjusted: string[] = [];
    const config = schemas.familyConfig(
      'mlp',
      { nHidden: 1e9 },
      { vocabSize: 27, mode: 'clamp', onAdjust: (field) => adjusted.push(field.name) },
    );
    expect(config).toEqual({
      kind: 'mlp',
      vocabSize: 27,
      blockSize: 3,
      nEmbd: 10,
      nHidden: 100000,
    });
    expect(adjusted).toEqual(['nHidden']);
    expect(schemas.runSettings(mlp, { steps: 1000 })).toEqual({
      steps: 1000,
      batchSize: 32,
      optimizer: { kind: 'sgd', lr: 0.1 },
      schedule: { kind: 'PiecewiseConstantLR', boundaries: [500], values: [0.1, 0.01] },
    });
    expect(schemas.estimateSize(mlp, config).parameters).toBe(
      27 * 10 + 30 * 100000 + 100000 + 100000 * 27 + 27,
    );
    expect(() => schemas.getFamilyInfo('lstm')).toThrow(
      "unknown model 'lstm'; known: bigram, bigram-net, mlp",
    );
    // The main entry's families carry the same info, plus the factory.
    for (const info of schemas.listFamilyInfo()) {
      const family = getFamily(info.name);
      expect(family.schema).toBe(info.schema);
      expect(family.defaults).toBe(info.defaults);
      expect(typeof family.create).toBe('function');
    }
  });

  it('shares the registry: a registered family is listed, and forgotten when unregistered', () => {
    registerFamily({ ...getFamily('bigram-net'), name: 'tiny-test', title: 'Tiny' });
    try {
      expect(schemas.getFamilyInfo('tiny-test').title).toBe('Tiny');
      expect(schemas.listFamilyInfo().map((info) => info.name)).toEqual([
        'bigram',
        'bigram-net',
        'mlp',
        'mlp-bn',
        'deep-mlp',
        'wavenet',
        'bow',
        'rnn',
        'gru',
        'transformer',
        'gpt',
        'tiny-test',
      ]);
      expect(schemas.familyConfig('tiny-test', {}, { vocabSize: 5 }).kind).toBe('tiny-test');
    } finally {
      unregisterFamily('tiny-test');
    }
    expect(() => schemas.getFamilyInfo('tiny-test')).toThrow(schemas.ConfigError);
  });
});
