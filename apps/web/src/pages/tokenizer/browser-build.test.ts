import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The tokenizer package's folder, through its exports map (as the app resolves it). */
const packageDir = dirname(
  createRequire(import.meta.url).resolve('@llm-playground/tokenizer/package.json'),
);

describe("@llm-playground/tokenizer's browser build (what Vite bundles into the page)", () => {
  it('is picked by the browser condition and imports nothing of Node', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(manifest.exports['.'].browser).toBe('./dist/browser.js');
    const code = readFileSync(join(packageDir, 'dist/browser.js'), 'utf8');
    const imports = [
      ...code.matchAll(/(?:^\s*(?:import|export)[^;\n]*?from\s*|\bimport\()"([^"\n]+)"/gm),
    ].map((m) => m[1]);
    expect(imports).toContain('js-tiktoken/ranks/cl100k_base');
    expect(
      imports.filter((name) => !name.startsWith('./') && !name.startsWith('js-tiktoken/')),
    ).toEqual([]);
  });

  it('works, and its file functions explain that they need Node', async () => {
    const browser = await import(join(packageDir, 'dist/browser.js'));
    const tokenizer = new browser.BasicTokenizer();
    tokenizer.train('aaabdaaabac', 259);
    expect(tokenizer.encode('aaabdaaabac')).toEqual([258, 100, 258, 97, 99]);
    await expect(tokenizer.save('/tmp/x')).rejects.toThrow(
      'Tokenizer.save and loadTokenizer need Node.js (they read or write files); in a browser use toModelFile() or toJSON()',
    );
    await expect(browser.loadTokenizer('x.model')).rejects.toThrow(
      'loadTokenizer needs Node.js (it reads or writes files); in a browser use toModelFile() or toJSON()',
    );
  });
});
