export * from './errors.js';
export * from './expression.js';
export * from './generator.js';
export * from './graph.js';
export * from './mersenne-twister.js';
export * from './numeric.js';
export * from './value.js';
