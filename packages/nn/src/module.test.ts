import { Generator } from '@llm-playground/core';
import { ones, type Tensor, tensor, zeros } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { Flatten, ReLU, Tanh } from './activation-modules.js';
import { Embedding } from './embedding.js';
import { StateDictError } from './errors.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { SGD } from './optim/sgd.js';
import { Sequential } from './sequential.js';

class Block extends Module {
  scale = tensor([2], { dtype: 'float32', requiresGrad: true });
  frozen = tensor([1], { dtype: 'float32' }); // no requiresGrad: not a parameter
  layers = [new Linear(4, 4), new Linear(4, 4, { bias: false })];
  act = new Tanh();
  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = this.act.forward(layer.forward(h));
    return h.mul(this.scale);
  }
}

class Net extends Module {
  emb = new Embedding(5, 4, { generator: new Generator(1) });
  block = new Block();
  head = new Linear(4, 2);
  forward(x: Tensor): Tensor {
    return this.head.forward(this.block.forward(this.emb.forward(x)));
  }
}

describe('Module', () => {
  it('discovers parameters and children from fields, in field order, with dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([name]) => name)).toEqual([
      'emb.weight',
      'block.scale',
      'block.layers.0.weight',
      'block.layers.0.bias',
      'block.layers.1.weight',
      'head.weight',
      'head.bias',
    ]);
    expect(net.namedModules().map(([name]) => name)).toEqual([
      '',
      'emb',
      'block',
      'block.layers.0',
      'block.layers.1',
      'block.act',
      'head',
    ]);
    expect(net.children()).toEqual([net.emb, net.block, net.head]);
    expect(net.parameters()[0]).toBe(net.emb.weight);
    expect(net.numParameters()).toBe(20 + 1 + 20 + 16 + 10);
    expect(net.forward(tensor([[0, 4]])).shape).toEqual([1, 2, 2]);
  });

  it('lists a shared parameter once', () => {
    const layer = new Linear(2, 2);
    const model = new Sequential(layer, new Tanh(), layer);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias']);
  });

  it('train()/eval() set the mode recursively', () => {
    const net = new Net();
    net.eval();
    expect(net.namedModules().every(([, m]) => m.training === false)).toBe(true);
    net.train();
    expect(net.block.layers[1].training).toBe(true);
  });

  it('zeroGrad sets grads to null or to zeros', () => {
    const layer = new Linear(3, 2);
    layer
      .forward(ones([4, 3]))
      .sum()
      .backward();
    expect(layer.bias!.grad!.tolist()).toEqual([4, 4]);
    layer.zeroGrad({ setToNone: false });
    expect(layer.bias!.grad!.tolist()).toEqual([0, 0]);
    layer.zeroGrad();
    expect(layer.weight.grad).toBeNull();
  });

  it('stateDict/loadStateDict round-trip (and convert float64 to float32)', () => {
    const a = new Net();
    const b = new Net();
    b.head = new Linear(4, 2, { generator: new Generator(99) });
    const state = a.stateDict();
    expect(Object.keys(state)).toEqual(a.namedParameters().map(([n]) => n));
    expect(state['head.weight'].requiresGrad).toBe(false);
    expect(state['head.weight'].storage).toBe(a.head.weight.storage); // shares storage, like PyTorch
    b.loadStateDict(state);
    for (const [name, p] of b.namedParameters()) expect(p.tolist()).toEqual(state[name].tolist());
    expect(b.head.weight.requiresGrad).toBe(true);
    b.loadStateDict({ ...state, 'head.bias': tensor([0.5, -0.25], { dtype: 'float64' }) });
    expect(b.head.bias!.tolist()).toEqual([0.5, -0.25]);
    expect(b.head.bias!.dtype).toBe('float32');
  });

  it('keeps a parameter frozen after discovery: in namedParameters and stateDict, skipped by the optimizer', () => {
    const g = new Generator(5);
    const model = new Sequential(new Linear(2, 3, { generator: g }), new Tanh(), new Linear(3, 1));
    const names = model.namedParameters().map(([n]) => n);
    const frozen = (model.layers[0] as Linear).weight;
    frozen.requiresGrad = false; // PyTorch: p.requires_grad = False
    expect(model.namedParameters().map(([n]) => n)).toEqual(names);
    expect(model.parameters()[0]).toBe(frozen);
    expect(model.numParameters()).toBe(6 + 3 + 3 + 1);
    expect(Object.keys(model.stateDict())).toEqual(names);
    // Freezing inside a child keeps the name in the parent too (the child owns the field).
    expect(Object.keys(model.layers[0].stateDict())).toEqual(['weight', 'bias']);
    // loadStateDict still copies into it (strict: it is not a missing key).
    const source = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
    model.loadStateDict(source.stateDict());
    expect(frozen.tolist()).toEqual((source.layers[0] as Linear).weight.tolist());
    expect(frozen.requiresGrad).toBe(false);
    // The optimizer gets it but skips it: backward leaves its grad null.
    const before = frozen.tolist();
    const bias = (model.layers[2] as Linear).bias!;
    const biasBefore = bias.item();
    const optimizer = new SGD(model.parameters(), { lr: 0.5 });
    model
      .forward(ones([4, 2]))
      .sum()
      .backward();
    expect(frozen.grad).toBeNull();
    expect(bias.grad!.item()).toBe(4);
    optimizer.step();
    expect(frozen.tolist()).toEqual(before);
    expect(bias.item()).toBeCloseTo(biasBefore - 2, 6);
    // Unfreezing works as before; a tensor field that never required grad is still no parameter.
    frozen.requiresGrad_();
    expect(model.numParameters()).toBe(13);
    expect(new Block().namedParameters().map(([n]) => n)).not.toContain('frozen');
  });

  it("loadStateDict reports every problem in PyTorch's words and changes nothing on failure", () => {
    const model = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
    const before = model.layers[0].stateDict().weight.tolist();
    const state = {
      'layers.0.weight': zeros([3, 3]),
      'layers.0.bias': zeros([3]),
      'layers.2.weight': zeros([1, 3]),
      extra: zeros([1]),
    };
    let message = '';
    try {
      model.loadStateDict(state);
    } catch (error) {
      expect(error).toBeInstanceOf(StateDictError);
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Error(s) in loading state_dict for Sequential:\n' +
        '\tMissing key(s) in state_dict: "layers.2.bias". \n' +
        '\tUnexpected key(s) in state_dict: "extra". \n' +
        '\tsize mismatch for layers.0.weight: copying a param with shape [3, 3] from checkpoint, the shape in current model is [3, 2].',
    );
    expect(model.layers[0].stateDict().weight.tolist()).toEqual(before);
    expect(model.layers[0].stateDict().bias.tolist()).not.toEqual([0, 0, 0]);
    // strict: false ignores missing/unexpected keys but not size mismatches.
    expect(() => model.loadStateDict(state, { strict: false })).toThrow(
      'size mismatch for layers.0.weight',
    );
    model.loadStateDict({ 'layers.2.weight': ones([1, 3]), extra: zeros([1]) }, { strict: false });
    expect(model.layers[2].stateDict().weight.tolist()).toEqual([[1, 1, 1]]);
    expect(() =>
      new Linear(1, 1).loadStateDict({ weight: tensor([[1]]), bias: zeros([1]) }),
    ).toThrow(
      'dtype mismatch for weight: copying a param with dtype int32 from checkpoint, the dtype in current model is float32.',
    );
  });

  it('prints a PyTorch-like tree', () => {
    const model = new Sequential(
      new Embedding(27, 10),
      new Flatten(),
      new Linear(30, 200),
      new Tanh(),
      new Linear(200, 27, { bias: false }),
    );
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Embedding(27, 10)',
        '  (1): Flatten(start_dim=1, end_dim=-1)',
        '  (2): Linear(in_features=30, out_features=200, bias=True)',
        '  (3): Tanh()',
        '  (4): Linear(in_features=200, out_features=27, bias=False)',
        ')',
      ].join('\n'),
    );
    expect(new Net().toString()).toBe(
      [
        'Net(',
        '  (emb): Embedding(5, 4)',
        '  (block): Block(',
        '    (layers): ModuleList(',
        '      (0): Linear(in_features=4, out_features=4, bias=True)',
        '      (1): Linear(in_features=4, out_features=4, bias=False)',
        '    )',
        '    (act): Tanh()',
        '  )',
        '  (head): Linear(in_features=4, out_features=2, bias=True)',
        ')',
      ].join('\n'),
    );
    expect(new Sequential(new Sequential(new ReLU())).toString()).toBe(
      'Sequential(\n  (0): Sequential(\n    (0): ReLU()\n  )\n)',
    );
  });

  describe('buffers', () => {
    // A batch-norm-like layer: a trained scale, a running mean updated in training mode only,
    // and a non-persistent scratch buffer.
    class RunningMean extends Module<[Tensor], { out: Tensor; mean: Tensor }> {
      declare runningMean: Tensor;
      declare scratch: Tensor;
      weight = ones([2], { dtype: 'float32', requiresGrad: true });
      constructor() {
        super();
        this.registerBuffer('runningMean', zeros([2], { dtype: 'float32' }));
        this.registerBuffer('scratch', zeros([1], { dtype: 'float32' }), { persistent: false });
      }
      forward(x: Tensor): { out: Tensor; mean: Tensor } {
        const mean = x.mean(0);
        if (this.training) this.runningMean = this.runningMean.mul(0.9).add(mean.detach().mul(0.1));
        return { out: x.sub(this.runningMean).mul(this.weight), mean };
      }
    }
    class Outer extends Module {
      bn = new RunningMean();
      head = new Linear(2, 1, { generator: new Generator(3) });
      forward(x: Tensor): Tensor {
        return this.head.forward(this.bn.forward(x).out);
      }
    }

    it('are listed, saved when persistent, never parameters, and reassignable', () => {
      const model = new Outer();
      expect(model.namedBuffers().map(([n]) => n)).toEqual(['bn.runningMean', 'bn.scratch']);
      expect(model.buffers()).toHaveLength(2);
      expect(model.namedParameters().map(([n]) => n)).toEqual([
        'bn.weight',
        'head.weight',
        'head.bias',
      ]);
      // PyTorch's order: a module's parameters, then its persistent buffers, then its children.
      expect(Object.keys(model.stateDict())).toEqual([
        'bn.weight',
        'bn.runningMean',
        'head.weight',
        'head.bias',
      ]);
      model.forward(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'float32' },
        ),
      );
      // 0.9·0 + 0.1·mean([1, 3], [2, 4]) = [0.2, 0.3]
      expect(model.bn.runningMean.tolist()).toEqual([
        expect.closeTo(0.2, 6),
        expect.closeTo(0.3, 6),
      ]);
      expect(model.stateDict()['bn.runningMean'].tolist()).toEqual(model.bn.runningMean.tolist());
      // eval() propagates: the running mean stays.
      model.eval();
      expect(model.bn.training).toBe(false);
      model.forward(tensor([[10, 10]], { dtype: 'float32' }));
      expect((model.bn.runningMean.tolist() as number[])[0]).toBeCloseTo(0.2, 6);
      // Round trip through loadStateDict restores the buffer too.
      const other = new Outer();
      other.loadStateDict(model.stateDict());
      expect(other.bn.runningMean.tolist()).toEqual(model.bn.runningMean.tolist());
      expect(() => {
        (model.bn as unknown as { runningMean: unknown }).runningMean = 3;
      }).toThrow("cannot assign 'number' as buffer 'runningMean'");
    });

    it('are checked by loadStateDict like parameters (missing, size and dtype)', () => {
      const model = new Outer();
      const state = model.stateDict();
      expect(() => model.loadStateDict({ ...state, 'bn.runningMean': zeros([3]) })).toThrow(
        'size mismatch for bn.runningMean: copying a param with shape [3] from checkpoint, the shape in current model is [2].',
      );
      const { 'bn.runningMean': _dropped, ...withoutBuffer } = state;
      expect(() => model.loadStateDict(withoutBuffer)).toThrow(
        'Missing key(s) in state_dict: "bn.runningMean".',
      );
      class Counts extends Module {
        declare counts: Tensor;
        constructor() {
          super();
          this.registerBuffer('counts', zeros([2], { dtype: 'int32' }));
        }
        forward(x: Tensor): Tensor {
          return x;
        }
      }
      let error: unknown;
      try {
        new Counts().loadStateDict({ counts: zeros([2], { dtype: 'float32' }) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StateDictError);
      expect((error as StateDictError).problems).toEqual([
        'dtype mismatch for counts: copying a param with dtype float32 from checkpoint, the dtype in current model is int32.',
      ]);
    });

    it('refuse bad names and values', () => {
      class Bad extends Module {
        taken = 1;
        forward(x: Tensor): Tensor {
          return x;
        }
      }
      expect(() => new Bad().registerBuffer('a.b', zeros([1]))).toThrow('without "."');
      expect(() => new Bad().registerBuffer('taken', zeros([1]))).toThrow(
        "attribute 'taken' already exists",
      );
      expect(() => new Bad().registerBuffer('x', [1] as unknown as Tensor)).toThrow(
        "cannot assign 'object' object to buffer 'x'",
      );
    });
  });

  it('forward may take and return anything (typed by Module<Args, Output>)', () => {
    class Pair extends Module<[Tensor, number], [Tensor, number]> {
      forward(x: Tensor, k: number): [Tensor, number] {
        return [x.mul(k), k + 1];
      }
    }
    const [y, k] = new Pair().forward(tensor([1, 2], { dtype: 'float32' }), 3);
    expect(y.tolist()).toEqual([3, 6]);
    expect(k).toBe(4);
  });
});

describe('Module forward hooks', () => {
  it('collects per-layer activation statistics from any model, then stops when removed', () => {
    const g = new Generator(2147483647);
    const model = new Sequential(
      new Linear(10, 50, { generator: g }),
      new Tanh(),
      new Linear(50, 50, { generator: g }),
      new Tanh(),
    );
    const x = tensor(
      Array.from({ length: 32 * 10 }, (_, i) => Math.sin(i) * 3),
      { dtype: 'float32' },
    ).view(32, 10);
    const stats: { name: string; mean: number; saturated: number }[] = [];
    const handles = model
      .namedModules()
      .filter(([, m]) => m instanceof Tanh)
      .map(([name, m]) =>
        m.registerForwardHook((_module, inputs, out: Tensor) => {
          expect(inputs).toHaveLength(1);
          stats.push({
            name,
            mean: out.mean().item(),
            saturated: out.abs().gt(0.97).double().mean().item(),
          });
        }),
      );
    const out = model.forward(x);
    expect(stats.map((s) => s.name)).toEqual(['layers.1', 'layers.3']);
    // the hook saw exactly the tanh's output
    const h1 = model.layers[1].forward(model.layers[0].forward(x));
    expect(stats[0].mean).toBeCloseTo(h1.mean().item(), 6);
    expect(stats[1].mean).toBeCloseTo(out.mean().item(), 6);
    expect(stats).toHaveLength(3); // the direct call above ran layers.1's hook again
    for (const h of handles) h.remove();
    model.forward(x);
    expect(stats).toHaveLength(3);
    // the wrapper is not a field: parameters, state dict and printing are unchanged
    expect(Object.keys(model.layers[1])).not.toContain('forward');
    expect(model.toString()).toContain('(1): Tanh()');
  });

  it('runs hooks in registration order; a returned value replaces the output', () => {
    const layer = new Tanh();
    const calls: string[] = [];
    const first = layer.registerForwardHook((_m, [x], out) => {
      calls.push(`first ${x.item().toFixed(4)} → ${out.item().toFixed(4)}`);
      return out.mul(10);
    });
    layer.registerForwardHook((_m, _inputs, out) => {
      calls.push(`second sees ${out.item().toFixed(4)}`);
    });
    const ln2 = tensor([Math.log(2)], { dtype: 'float64' }); // tanh(ln 2) = 0.6
    expect(layer.forward(ln2).item()).toBeCloseTo(6, 12);
    first.remove();
    first.remove(); // removing twice is harmless, as in PyTorch
    expect(layer.forward(ln2).item()).toBeCloseTo(0.6, 12);
    expect(calls).toEqual(['first 0.6931 → 0.6000', 'second sees 6.0000', 'second sees 0.6000']);
  });

  it('wraps a forward written as an arrow-function field, and rejects a non-function', () => {
    class Doubler extends Module {
      forward = (x: Tensor) => x.mul(2);
    }
    const m = new Doubler();
    m.registerForwardHook((_m, _inputs, out) => out.add(1));
    expect(m.forward(tensor([3], { dtype: 'float32' })).tolist()).toEqual([7]);
    expect(() => m.registerForwardHook(42 as never)).toThrow(
      new TypeError('registerForwardHook: hook must be a function, got number'),
    );
  });
});
