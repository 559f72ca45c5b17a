/** The `gru` family (makemore.py's `RNN` with its `GRUCell`), without model code. */
import type { FamilyInfo } from '../family.js';
import { recurrentInfo } from '../rnn/schema.js';

/** The `gruFamily`'s `FamilyInfo`. */
export const gruInfo: FamilyInfo = recurrentInfo('gru');
