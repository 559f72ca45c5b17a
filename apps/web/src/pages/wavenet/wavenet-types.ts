/**
 * What the WaveNet page and its session kind exchange, and the hierarchy's tree (which input
 * characters each unit sees) — plain data, no model code.
 */
import type { ModelConfig } from '@llm-playground/makemore/schemas';

export interface WavenetSettings {
  /** Raw `wavenet` config values by schema field name (`{ nEmbd: 24, nHidden: 128 }`). */
  model: Readonly<Record<string, number | string | boolean>>;
  lr: number;
  steps: number;
  batchSize: number;
  seed: number;
  splitSeed: number;
  evalEvery: number;
}

export interface WavenetInfo {
  /** The hierarchy's validated config. */
  config: ModelConfig;
  /** The flat model's: one level (`flatten = blockSize`), `nHidden` sized to the same count. */
  flatConfig: ModelConfig;
  vocabSize: number;
  chars: string[];
  parameters: number;
  flatParameters: number;
  trainExamples: number;
  devExamples: number;
}

/** The dev losses of both models at one step. */
export interface WavenetEvaluation {
  step: number;
  hier: number;
  flat: number;
}

/** A unit of the tree: level 0 is an input character; level l > 0 a unit of the l-th Linear. */
export interface TreeNode {
  level: number;
  index: number;
  /** The input positions it sees, `from` … `to` − 1 (0-based, oldest first). */
  from: number;
  to: number;
  /** Its place: x the middle of what it sees (in character widths), y its level. */
  x: number;
  y: number;
}

export interface TreeLink {
  parent: TreeNode;
  child: TreeNode;
}

/**
 * The hierarchy over `blockSize` characters when each level merges `flatten` neighbours
 * (`FlattenConsecutive(flatten)`): the characters at level 0, then `blockSize / flatten^l` units
 * at level l, each linked to the `flatten` nodes below it. With `flatten = blockSize`: the flat
 * model, one unit seeing everything at once.
 *
 * @example
 * ```ts
 * const { nodes } = hierarchy(8, 2);
 * nodes.filter((n) => n.level === 2).map((n) => [n.from, n.to]); // [[0, 4], [4, 8]]
 * ```
 */
export function hierarchy(
  blockSize: number,
  flatten: number,
): { nodes: TreeNode[]; links: TreeLink[] } {
  if (!(flatten >= 2) || !(blockSize >= flatten)) {
    throw new RangeError(
      `hierarchy: need flatten ≥ 2 and blockSize ≥ flatten, got blockSize ${blockSize}, flatten ${flatten}`,
    );
  }
  const nodes: TreeNode[] = [];
  const links: TreeLink[] = [];
  let below: TreeNode[] = [];
  for (let i = 0; i < blockSize; i++) {
    below.push({ level: 0, index: i, from: i, to: i + 1, x: i + 0.5, y: 0 });
  }
  nodes.push(...below);
  for (let level = 1; below.length > 1; level++) {
    if (below.length % flatten !== 0) {
      throw new RangeError(
        `hierarchy: blockSize ${blockSize} is not a power of flatten ${flatten}`,
      );
    }
    const above: TreeNode[] = [];
    for (let i = 0; i < below.length / flatten; i++) {
      const children = below.slice(i * flatten, (i + 1) * flatten);
      const from = children[0].from;
      const to = children[children.length - 1].to;
      const node = { level, index: i, from, to, x: (from + to) / 2, y: level };
      above.push(node);
      for (const child of children) links.push({ parent: node, child });
    }
    nodes.push(...above);
    below = above;
  }
  return { nodes, links };
}

/**
 * The last `blockSize` characters before the next one, as the model sees them: the word's
 * beginning padded with the boundary `.` (the lecture's `[0] * block_size` context).
 *
 * @example
 * ```ts
 * contextOf('emma', 8); // ['.', '.', '.', '.', 'e', 'm', 'm', 'a']
 * ```
 */
export function contextOf(text: string, blockSize: number): string[] {
  const chars = [...text].slice(-blockSize);
  return [...Array(blockSize - chars.length).fill('.'), ...chars];
}
