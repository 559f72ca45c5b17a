/**
 * The custom-function hook (PyTorch's `torch.autograd.Function`) comes from the tensor package:
 * a fused op computes its output on typed arrays, then `customOp` attaches its backward.
 */
export { customOp } from '@llm-playground/tensor';
