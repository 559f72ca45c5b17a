// The root of @llm-playground/nn. This milestone holds micrograd's scalar nn under the `micro`
// namespace (also importable as `@llm-playground/nn/micro`); the tensor nn (`Module`, `Linear`,
// `crossEntropy`, …) will own the root names later.
export * as micro from './micro/index.js';
