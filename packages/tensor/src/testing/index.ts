export { type CloseOptions, expectClose } from './expect-close.js';
export {
  assertGradcheck,
  type GradcheckOptions,
  type GradcheckReport,
  gradcheck,
} from './gradcheck.js';
