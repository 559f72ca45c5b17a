/**
 * BPE training with incremental pair counts: count every adjacent pair once, then for each merge
 * touch only the places where the merged pair occurs, updating the counts of the pairs around them,
 * and pick the next pair from a max-heap. minbpe recounts the whole sequence for every merge
 * (O(merges × length)); this is O(length + work done by the merges) plus heap operations.
 *
 * The result is minbpe's, merge for merge: Python's `max(stats, key=stats.get)` returns, among the
 * pairs with the highest count, the one inserted first into the freshly rebuilt dict, i.e. the one
 * whose first occurrence comes first in the text. When counts tie we find that pair by scanning the
 * sequence from the start (ties at the top are rare and the scan stops at the first hit).
 *
 * The sequence is a set of chunks (the split pattern's pieces; one chunk for BasicTokenizer), each
 * with a weight: identical chunks are trained once with their count as weight, which keeps the
 * first-occurrence order because chunks are listed by first appearance.
 */

/** One merge as training found it; `count` is the pair's count when it was merged. */
export interface MergeInfo {
  /** 1-based number of this merge. */
  index: number;
  numMerges: number;
  pair: [number, number];
  /** The new token's id, 256 + index − 1. */
  id: number;
  count: number;
}

/** A pair of token ids as one number (ids below 2^21: cl100k's 100,277 fit). */
export const pairKey = (a: number, b: number): number => a * 0x200000 + b;

/**
 * Learns `numMerges` merges from `chunks` (byte arrays, in order of first appearance) with
 * `weights[i]` copies of chunk i. Calls `onMerge` after each merge. Throws when the text runs out
 * of pairs first (`error(mergesDone)` builds the message).
 */
export function trainMerges(
  chunks: Uint8Array[],
  weights: ArrayLike<number>,
  numMerges: number,
  onMerge: ((merge: MergeInfo) => void) | undefined,
  error: (mergesDone: number) => Error,
): [number, number][] {
  let n = 0;
  for (const chunk of chunks) n += chunk.length;
  // Pair keys local to training: a·V + b with V the final vocabulary size stay small integers
  // (V < 32,768), which V8 hashes much faster than pairKey's larger doubles.
  const V = 256 + numMerges;
  const keyOf = (a: number, b: number) => a * V + b;
  const tok = new Int32Array(n);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const w = new Float64Array(n);
  let p = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    for (let i = 0; i < chunk.length; i++, p++) {
      tok[p] = chunk[i];
      w[p] = weights[c];
      prev[p] = i === 0 ? -1 : p - 1;
      next[p] = i === chunk.length - 1 ? -1 : p + 1;
    }
  }

  const counts = new Map<number, number>();
  const where = new Map<number, number[]>(); // pair → positions of its left token (may be stale)
  const touched = new Set<number>();
  const add = (key: number, delta: number, position: number) => {
    counts.set(key, (counts.get(key) ?? 0) + delta);
    if (position >= 0) {
      const list = where.get(key);
      if (list) list.push(position);
      else where.set(key, [position]);
    }
    touched.add(key);
  };
  for (let i = 0; i < n; i++) if (next[i] >= 0) add(keyOf(tok[i], tok[i + 1]), w[i], i);

  const heap = new MaxHeap();
  const flush = () => {
    for (const key of touched) heap.push(counts.get(key)!, key);
    touched.clear();
  };
  flush();

  const merges: [number, number][] = [];
  for (let m = 0; m < numMerges; m++) {
    const tied = new Set<number>();
    let best = -1;
    while (heap.size > 0) {
      const [count, key] = heap.peek();
      if (counts.get(key) !== count || count <= 0) {
        heap.pop();
        continue;
      }
      if (best >= 0 && count !== best) break;
      best = count;
      tied.add(key);
      heap.pop();
    }
    if (tied.size === 0) throw error(m);
    const key = tied.size === 1 ? tied.values().next().value! : firstOccurring(tied);
    for (const other of tied) if (other !== key) heap.push(best, other);

    const a = Math.floor(key / V);
    const b = key - a * V;
    const id = 256 + m;
    const positions = Int32Array.from(where.get(key)!).sort();
    where.delete(key);
    for (const i of positions) {
      const j = next[i];
      if (tok[i] !== a || j < 0 || tok[j] !== b) continue; // stale: merged away earlier
      const weight = w[i];
      add(key, -weight, -1);
      const l = prev[i];
      if (l >= 0) {
        add(keyOf(tok[l], a), -weight, -1);
        add(keyOf(tok[l], id), weight, l);
      }
      const r = next[j];
      if (r >= 0) {
        add(keyOf(b, tok[r]), -weight, -1);
        add(keyOf(id, tok[r]), weight, i);
        prev[r] = i;
      }
      tok[i] = id;
      next[i] = r;
      tok[j] = -1;
    }
    counts.delete(key);
    touched.delete(key);
    flush();
    merges.push([a, b]);
    onMerge?.({ index: m + 1, numMerges, pair: [a, b], id, count: best });
  }
  return merges;

  /** Of the tied pairs, the one whose first occurrence comes first (Python dict order). */
  function firstOccurring(keys: Set<number>): number {
    for (let i = 0; i < n; i++) {
      if (tok[i] < 0 || next[i] < 0) continue;
      const key = keyOf(tok[i], tok[next[i]]);
      if (keys.has(key)) return key;
    }
    throw new Error('unreachable: a counted pair does not occur');
  }
}

/** A binary max-heap of (count, key), ties broken by nothing (the caller resolves them). */
class MaxHeap {
  private counts: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.counts.length;
  }
  peek(): [number, number] {
    return [this.counts[0], this.keys[0]];
  }
  push(count: number, key: number): void {
    const { counts, keys } = this;
    let i = counts.length;
    counts.push(count);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (counts[parent] >= count) break;
      counts[i] = counts[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    counts[i] = count;
    keys[i] = key;
  }
  pop(): void {
    const { counts, keys } = this;
    const lastCount = counts.pop()!;
    const lastKey = keys.pop()!;
    const n = counts.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && counts[child + 1] > counts[child]) child++;
      if (counts[child] <= lastCount) break;
      counts[i] = counts[child];
      keys[i] = keys[child];
      i = child;
    }
    counts[i] = lastCount;
    keys[i] = lastKey;
  }
}
