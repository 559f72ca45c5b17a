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
        '\tUnexpected key(s) in state_dict: "extra". \n' +
        '\tMissing key(s) in state_dict: "layers.2.bias". \n' +
        '\tsize mismatch for layers.0.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, the shape in current model is torch.Size([3, 2]).',
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
});
