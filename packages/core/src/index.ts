export * from './value.js';
export * from './generator.js';
