import { describe, expect, it } from 'vitest';
import { checkBoxes, fixedBatch, runBox } from './evaluator.js';

describe('the backprop evaluator', () => {
  const batch = fixedBatch();
  const check = (sources: Record<string, string>) => {
    const { results, passed } = checkBoxes(batch, sources);
    return { byId: new Map(results.map((r) => [r.id, r])), passed };
  };

  it('builds the lecture’s batch: 32 rows of 3 tokens, n_hidden 64, loss near −ln(1/V)', () => {
    expect(batch.Xb.shape).toEqual([32, 3]);
    expect(batch.steps.hpreact.shape).toEqual([32, 64]);
    expect(batch.itos.length).toBe(28); // the bundled names contain '-'
    expect(batch.steps.loss.item()).toBeGreaterThan(3.0);
    expect(batch.steps.loss.item()).toBeLessThan(3.7);
  });

  it('a correct answer is ✓ with maxdiff 0; a wrong one is ✗ with its maxdiff', () => {
    const { byId } = check({
      logprobs: 'return oneHot(Yb, logprobs.shape[1]).to(logprobs.dtype).mul(-1 / n);',
      // the slip the makemore README mentions: 1 − h instead of 1 − h²
      hpreact: 'return onesLike(h).sub(h).mul(dh);',
    });
    expect(byId.get('logprobs')).toMatchObject({
      status: 'checked',
      mark: '✓',
      exact: true,
      maxDiff: 0,
    });
    const wrong = byId.get('hpreact');
    expect(wrong).toMatchObject({ status: 'checked', mark: '✗', exact: false, approximate: false });
    expect(wrong?.maxDiff).toBeGreaterThan(1e-4);
    expect(byId.get('probs')?.status).toBe('empty');
  });

  it('a wrong shape is ✗ and says both shapes', () => {
    const { byId } = check({ b2: 'return dlogits.sum(0, true);' });
    expect(byId.get('b2')).toMatchObject({ mark: '✗', shape: [28], gotShape: [1, 28] });
  });

  it('a throw gives the message at its line in the box', () => {
    const { byId } = check({ probs: 'const a = 1;\nreturn dh.mul(a);' });
    expect(byId.get('probs')).toMatchObject({
      status: 'error',
      error: { line: 2, message: 'dh is not defined' },
    });
    // thrown inside the tensor library: still the box's line
    const shapes = check({ h: '// dh\n\nreturn dlogits.matmul(W2);' }).byId.get('h');
    expect(shapes?.error?.line).toBe(3);
    expect(shapes?.error?.message).toMatch(/cannot be multiplied \(32x28 and 64x28\)/);
  });

  it('a syntax error gives its line; so does one in an unfinished expression', () => {
    expect(runBox('x', 'const a = 1;\nreturn )', {})).toEqual({
      error: { line: 2, message: "Unexpected token ')'" },
    });
    const open = runBox('x', 'const a = 2;\nconst b = (a + 1;\nreturn a;', {});
    expect('error' in open && open.error.line).toBe(2);
  });

  it('returning something else than a Tensor says so', () => {
    const { byId } = check({ probs: 'dlogprobs.div(probs);' });
    expect(byId.get('probs')?.error).toEqual({
      line: null,
      message: 'returned nothing, not a Tensor: end the box with return <the gradient>',
    });
  });

  it('passes a box’s own gradient on when it passed, autograd’s when it did not', () => {
    // dprobs wrong (✗): dcounts_sum_inv still gets autograd's dprobs and passes.
    const wrongAbove = check({
      probs: 'return dlogprobs.mul(2);',
      counts_sum_inv: 'return counts.mul(dprobs).sum(1, true);',
    });
    expect(wrongAbove.byId.get('probs')?.mark).toBe('✗');
    expect(wrongAbove.byId.get('counts_sum_inv')?.mark).toBe('✓');
    // dprobs passes: the next box receives exactly the learner's tensor.
    const mine = check({
      probs: 'return onesLike(probs).div(probs).mul(dlogprobs);',
      counts_sum_inv: 'globalThis.seen = dprobs; return counts.mul(dprobs).sum(1, true);',
    });
    const seen = (globalThis as { seen?: { tolist(): unknown } }).seen;
    expect(seen?.tolist()).toEqual(mine.passed.get('probs')?.tolist());
    expect(mine.passed.has('counts_sum_inv')).toBe(true);
  });

  it('a box that writes into a forward tensor in place does not spoil the next box', () => {
    const { byId } = check({
      logit_maxes: 'logits.mul_(0); counts.mul_(0); return dnorm_logits.neg().sum(1, true);',
      logits:
        'return dnorm_logits.clone().add(oneHot(logits.max(1).indices, logits.shape[1]).mul(dlogit_maxes));',
    });
    expect(byId.get('logits')?.mark).toBe('✓');
    expect(batch.steps.logits.max().item()).not.toBe(0);
  });
});
