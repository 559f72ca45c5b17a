export * from './batch-sampler.js';
export * from './moons.js';
export * from './sample-batch.js';
