// `createModel` lives with the family registry (families/registry.ts); this path stays for existing imports.
export { createModel } from './families/registry.js';
