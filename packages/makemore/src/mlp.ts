// Moved to families/mlp/; this path stays for existing imports.
export * from './families/mlp/mlp.js';
