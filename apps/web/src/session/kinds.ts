/**
 * The trainer kinds the session worker can run. Each loads lazily (its own chunk, with its model
 * code), so one worker entry serves every training page without making the moons page download
 * the tensor library. Adding a kind is one line here and one `*-kind.ts` beside its page.
 */
import type { KindRegistry } from './host.js';

export const kinds: KindRegistry = {
  mlp: async () => (await import('../pages/mlp/mlp-kind.js')).mlpKind,
  'bigram-net': async () => (await import('../pages/bigram-net/bigram-net-kind.js')).bigramNetKind,
  moons: async () => (await import('../pages/moons/moons-kind.js')).moonsKind,
  vitals: async () => (await import('../pages/vitals/vitals-kind.js')).vitalsKind,
  wavenet: async () => (await import('../pages/wavenet/wavenet-kind.js')).wavenetKind,
  // The GPT page's kind loads the bundled book (1.2 MB) with it; the RNN page's does not.
  gpt: async () => {
    const kind = await import('../pages/gpt/lm-kind.js');
    await kind.preloadBook();
    return kind.gptKind;
  },
  zoo: async () => (await import('../pages/gpt/lm-kind.js')).gptKind,
};
