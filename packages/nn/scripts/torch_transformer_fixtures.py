"""Writes src/fixtures/torch-transformer.json: PyTorch 1.13 CPU values for the transformer and
recurrent layers (LayerNorm, GELU both ways, makemore's CausalSelfAttention, RNNCell and GRUCell, the
lecture's Head and MultiHeadAttention), replayed by src/transformer-layers.test.ts.

Run with Debian's torch:  /usr/bin/python3 packages/nn/scripts/torch_transformer_fixtures.py
then format it:           npx biome format --write packages/nn/src/fixtures

Each `forward` case stores the module's parameters (float64, PyTorch's names), its inputs, its
output, and the gradients of L = (out · w).sum() with w[i] = ((7i) mod 11) / 5 − 0.9 (computed the
same way on both sides) for every input and parameter. Each `init` case stores the float32
parameters that `torch.manual_seed(seed)` then the module's constructor draws, which
`new Generator(seed)` must reproduce. The classes below are copied from makemore.py (karpathy/makemore)
and the "let's build GPT" lecture's gpt.py, so the fixtures pin their exact semantics.
"""
import json, math, os, torch
import torch.nn as nn
from torch.nn import functional as F

F64 = torch.float64


class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class CausalSelfAttention(nn.Module):  # makemore.py
    def __init__(self, config):
        super().__init__()
        assert config.n_embd % config.n_head == 0
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.register_buffer("bias", torch.tril(torch.ones(config.block_size, config.block_size))
                             .view(1, 1, config.block_size, config.block_size))
        self.n_head = config.n_head
        self.n_embd = config.n_embd

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class RNNCell(nn.Module):  # makemore.py
    def __init__(self, config):
        super().__init__()
        self.xh_to_h = nn.Linear(config.n_embd + config.n_embd2, config.n_embd2)

    def forward(self, xt, hprev):
        return F.tanh(self.xh_to_h(torch.cat([xt, hprev], dim=1)))


class GRUCell(nn.Module):  # makemore.py
    def __init__(self, config):
        super().__init__()
        self.xh_to_z = nn.Linear(config.n_embd + config.n_embd2, config.n_embd2)
        self.xh_to_r = nn.Linear(config.n_embd + config.n_embd2, config.n_embd2)
        self.xh_to_hbar = nn.Linear(config.n_embd + config.n_embd2, config.n_embd2)

    def forward(self, xt, hprev):
        xh = torch.cat([xt, hprev], dim=1)
        r = F.sigmoid(self.xh_to_r(xh))
        hprev_reset = r * hprev
        xhr = torch.cat([xt, hprev_reset], dim=1)
        hbar = F.tanh(self.xh_to_hbar(xhr))
        z = F.sigmoid(self.xh_to_z(xh))
        return (1 - z) * hprev + z * hbar


class Head(nn.Module):  # gpt.py (the lecture), dropout 0
    def __init__(self, n_embd, head_size, block_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        B, T, C = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))
        wei = F.softmax(wei, dim=-1)
        return wei @ self.value(x)


class MultiHeadAttention(nn.Module):  # gpt.py
    def __init__(self, n_embd, num_heads, head_size, block_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(n_embd, head_size, block_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


def flat(t):
    return t.detach().reshape(-1).tolist()


def enc(t):
    return {"shape": list(t.shape), "data": flat(t)}


def weight(n):
    return torch.tensor([((7 * i) % 11) / 5 - 0.9 for i in range(n)], dtype=F64)


_seed = [0]


def rnd(*shape, scale=1.0):
    _seed[0] += 1
    g = torch.Generator().manual_seed(4000 + _seed[0])
    return ((torch.randn(shape, generator=g, dtype=F64) * scale * 1000).round() / 1000).requires_grad_(True)


forward_cases, init_cases = [], []


def forward_case(name, kind, config, module, inputs, seed=0):
    module = module.double()
    out = module(*inputs)
    (out.reshape(-1) * weight(out.numel())).sum().backward()
    forward_cases.append({
        "name": name, "kind": kind, "config": config,
        "params": {k: enc(p) for k, p in module.named_parameters()},
        "inputs": [enc(x) for x in inputs],
        "output": enc(out),
        "inputGrads": [flat(x.grad) for x in inputs],
        "paramGrads": {k: flat(p.grad) for k, p in module.named_parameters()},
    })


def init_case(name, kind, config, build, seed):
    torch.manual_seed(seed)
    module = build()
    init_cases.append({"name": name, "kind": kind, "config": config, "seed": seed,
                       "params": {k: enc(p) for k, p in module.named_parameters()}})


def with_params(module, seed):
    """Parameters of moderate size (so softmax and tanh are not saturated), deterministic."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.randn_like(p) * 0.4 * 1000).round() / 1000)
    return module


# LayerNorm
for name, shape, norm, opts in [
    ("LayerNorm(5) on [2, 3, 5]", (2, 3, 5), [5], {}),
    ("LayerNorm([3, 4], eps=1e-3) on [2, 3, 4]", (2, 3, 4), [3, 4], {"eps": 1e-3}),
    ("LayerNorm(6, elementwise_affine=False) on [4, 6]", (4, 6), [6], {"elementwise_affine": False}),
]:
    ln = nn.LayerNorm(norm, **opts)
    if ln.elementwise_affine:
        with torch.no_grad():
            ln.weight.copy_(torch.linspace(0.5, 1.5, ln.weight.numel()).view(ln.weight.shape))
            ln.bias.copy_(torch.linspace(-0.3, 0.4, ln.bias.numel()).view(ln.bias.shape))
    config = {"normalizedShape": norm, "eps": opts.get("eps", 1e-5),
              "elementwiseAffine": opts.get("elementwise_affine", True)}
    forward_case(name, "LayerNorm", config, ln, [rnd(*shape, scale=2.0)])

for approximate in ["none", "tanh"]:
    forward_case(f"GELU(approximate='{approximate}')", "GELU", {"approximate": approximate},
                 nn.GELU(approximate=approximate), [rnd(3, 7, scale=2.5)])

cfg = Config(n_embd=8, n_head=2, block_size=6)
forward_case("CausalSelfAttention(8, 2, 6) on [2, 5, 8]", "CausalSelfAttention",
             {"nEmbd": 8, "nHead": 2, "blockSize": 6}, with_params(CausalSelfAttention(cfg), 1), [rnd(2, 5, 8)])
forward_case("CausalSelfAttention(12, 4, 4) on [1, 4, 12]", "CausalSelfAttention",
             {"nEmbd": 12, "nHead": 4, "blockSize": 4}, with_params(CausalSelfAttention(Config(n_embd=12, n_head=4, block_size=4)), 2),
             [rnd(1, 4, 12)])
rcfg = Config(n_embd=3, n_embd2=4)
forward_case("RNNCell(3, 4)", "RNNCell", {"inputSize": 3, "hiddenSize": 4}, with_params(RNNCell(rcfg), 3),
             [rnd(2, 3), rnd(2, 4)])
forward_case("GRUCell(3, 4)", "GRUCell", {"inputSize": 3, "hiddenSize": 4}, with_params(GRUCell(rcfg), 4),
             [rnd(2, 3), rnd(2, 4)])
forward_case("Head(6, 4, 5) on [2, 5, 6]", "Head", {"nEmbd": 6, "headSize": 4, "blockSize": 5},
             with_params(Head(6, 4, 5), 5), [rnd(2, 5, 6)])
forward_case("MultiHeadAttention(6, 3, 2, 5) on [2, 4, 6]", "MultiHeadAttention",
             {"nEmbd": 6, "numHeads": 3, "headSize": 2, "blockSize": 5},
             with_params(MultiHeadAttention(6, 3, 2, 5), 6), [rnd(2, 4, 6)])

init_case("CausalSelfAttention(8, 2, 6)", "CausalSelfAttention", {"nEmbd": 8, "nHead": 2, "blockSize": 6},
          lambda: CausalSelfAttention(cfg), 42)
init_case("GRUCell(3, 4)", "GRUCell", {"inputSize": 3, "hiddenSize": 4}, lambda: GRUCell(rcfg), 7)
init_case("MultiHeadAttention(6, 3, 2, 5)", "MultiHeadAttention",
          {"nEmbd": 6, "numHeads": 3, "headSize": 2, "blockSize": 5}, lambda: MultiHeadAttention(6, 3, 2, 5), 1337)

here = os.path.dirname(os.path.abspath(__file__))
out_path = os.path.join(here, "..", "src", "fixtures", "torch-transformer.json")
with open(out_path, "w") as f:
    json.dump({"torch": torch.__version__, "forward": forward_cases, "init": init_cases}, f)
print(f"wrote {len(forward_cases)} forward and {len(init_cases)} init cases to {os.path.relpath(out_path)}")
