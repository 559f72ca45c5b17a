// Runs the README's example and checks that the README shows exactly what it prints.
import { readFileSync } from 'node:fs';
import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { BatchSampler, makeMoons, sampleBatch } from './index.js';

describe('README example', () => {
  it('prints what the README says', () => {
    const lines: string[] = [];
    const log = (...parts: unknown[]) => lines.push(parts.join(' '));

    const generator = new Generator(1337);
    const { X, y } = makeMoons(100, { noise: 0.1, generator });
    log(X.length, y.filter((label) => label === 1).length);
    log(X[0].map((v) => v.toFixed(4)).join(' '), y[0]);
    log(sampleBatch(100, 5, { generator }).join(' '));
    const sampler = new BatchSampler(100, 32, { generator });
    log(sampler.length, [...sampler].map((batch) => batch.length).join(' '));

    expect(lines).toEqual(['100 50', '0.7248 0.8922 0', '46 74 12 85 37', '4 32 32 32 4']);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`text\n${lines.join('\n')}\n\`\`\``);
  });
});
