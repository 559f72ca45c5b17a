"""Writes src/fixtures/torch-masking.json: PyTorch 1.13 forward values and gradients of the masking
ops (tril, triu, masked_fill, where, unbind) and of the attention shapes they serve (a batched
[B, H, T, d] @ [B, H, d, T] matmul, softmax over the last dim of a 4-d tensor, the causal attention
pattern), replayed by src/ops/masking.test.ts.

Run with Debian's torch:  /usr/bin/python3 packages/tensor/scripts/torch_masking_fixtures.py

The gradients are those of L = Σ_k (out_k · w_k).sum() over the outputs, with
w_k[i] = ((7i + 3k) mod 11) / 5 − 0.9 (computed the same way on both sides, not stored). Masks are
stored as int32 0/1 (bool in PyTorch); non-finite numbers as "inf", "-inf", "nan".
"""
import json, math, os, torch

F64 = torch.float64


def enc(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def flat(t):
    return [enc(v) for v in t.detach().reshape(-1).tolist()]


def weight(n, k):
    return torch.tensor([((7 * i + 3 * k) % 11) / 5 - 0.9 for i in range(n)], dtype=F64)


_seed = [0]


def rnd(*shape):
    _seed[0] += 1
    g = torch.Generator().manual_seed(2000 + _seed[0])
    return ((torch.randn(shape, generator=g, dtype=F64) * 1000).round() / 1000).requires_grad_(True)


def mask(*shape, p=0.5):
    _seed[0] += 1
    g = torch.Generator().manual_seed(3000 + _seed[0])
    return torch.rand(shape, generator=g) < p


def enc_tensor(t):
    dtype = {torch.float64: "float64", torch.float32: "float32"}.get(t.dtype, "int32")
    return {"shape": list(t.shape), "dtype": dtype, "data": flat(t.to(F64) if t.dtype == torch.bool else t),
            "grad": bool(t.requires_grad)}


cases = []


def case(name, op, args, inputs, fn):
    out = fn(*inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    floats = [o for o in outs if o.is_floating_point() and o.requires_grad]
    if floats:
        loss = sum((o.to(F64).reshape(-1) * weight(o.numel(), k)).sum() for k, o in enumerate(outs)
                   if o.is_floating_point() and o.requires_grad)
        loss.backward()
    cases.append({
        "name": name, "op": op, "args": args,
        "inputs": [enc_tensor(t) for t in inputs],
        "outputs": [{"shape": list(o.shape), "dtype": enc_tensor(o)["dtype"], "values": flat(o)} for o in outs],
        "grads": [flat(t.grad) if t.requires_grad and t.grad is not None else None for t in inputs],
    })


for d in [0, 1, -1, 3, -3]:
    case(f"tril diagonal {d} [4, 5]", "tril", {"diagonal": d}, [rnd(4, 5)], lambda x, d=d: x.tril(d))
    case(f"triu diagonal {d} [5, 4]", "triu", {"diagonal": d}, [rnd(5, 4)], lambda x, d=d: x.triu(d))
case("tril batched [2, 3, 3, 4]", "tril", {"diagonal": 0}, [rnd(2, 3, 3, 4)], lambda x: x.tril())
case("triu batched [2, 4, 3]", "triu", {"diagonal": -1}, [rnd(2, 4, 3)], lambda x: x.triu(-1))
case("tril of a transposed view", "tril_t", {"diagonal": 0}, [rnd(3, 4)], lambda x: x.t().tril())

case("masked_fill same shape -inf", "masked_fill", {"value": "-inf"}, [rnd(3, 4), mask(3, 4)],
     lambda x, m: x.masked_fill(m, float("-inf")))
case("masked_fill mask broadcast [1, 4]", "masked_fill", {"value": 2.5}, [rnd(3, 4), mask(1, 4)],
     lambda x, m: x.masked_fill(m, 2.5))
case("masked_fill x broadcast to mask [2, 3, 4]", "masked_fill", {"value": 0}, [rnd(3, 4), mask(2, 3, 4)],
     lambda x, m: x.masked_fill(m, 0.0))
case("masked_fill int tensor with 0.5 truncates", "masked_fill", {"value": 0.5},
     [torch.arange(6).view(2, 3), mask(2, 3)], lambda x, m: x.masked_fill(m, 0.5))

case("where same shape", "where", {}, [mask(3, 4), rnd(3, 4), rnd(3, 4)], torch.where)
case("where broadcast [3, 1] [1, 4] [4]", "where", {}, [mask(3, 1), rnd(1, 4), rnd(4)], torch.where)
case("where cond broadcast [2, 1, 4]", "where", {}, [mask(2, 1, 4), rnd(3, 4), rnd(3, 1)], torch.where)
case("where scalar other", "where_scalar", {"b": -1.5}, [mask(2, 5), rnd(2, 5)],
     lambda c, a: torch.where(c, a, -1.5))
case("where float32 and float64 promote", "where", {},
     [mask(4), rnd(4).detach().float().requires_grad_(True), rnd(4)], torch.where)

case("unbind dim 0", "unbind", {"dim": 0}, [rnd(3, 4)], lambda x: x.unbind(0))
case("unbind dim 1", "unbind", {"dim": 1}, [rnd(2, 3, 2)], lambda x: x.unbind(1))
case("unbind dim -1", "unbind", {"dim": -1}, [rnd(2, 3)], lambda x: x.unbind(-1))

case("matmul [B, H, T, d] @ [B, H, d, T]", "matmul", {}, [rnd(2, 3, 4, 5), rnd(2, 3, 5, 4)], torch.matmul)
case("matmul q @ k.transpose(-2, -1)", "matmul_kt", {}, [rnd(2, 2, 4, 3), rnd(2, 2, 4, 3)],
     lambda q, k: q @ k.transpose(-2, -1))
case("softmax dim -1 on [2, 3, 4, 4]", "softmax", {"dim": -1}, [rnd(2, 3, 4, 4)], lambda x: x.softmax(-1))
case("softmax dim 1 on [2, 3, 2, 2]", "softmax", {"dim": 1}, [rnd(2, 3, 2, 2)], lambda x: x.softmax(1))


def causal(q, k, v):
    T = q.shape[-2]
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.shape[-1]))
    att = att.masked_fill(torch.tril(torch.ones(T, T)) == 0, float("-inf"))
    return att.softmax(-1) @ v


case("causal attention [B=2, H=2, T=4, d=3]", "attention", {}, [rnd(2, 2, 4, 3), rnd(2, 2, 4, 3), rnd(2, 2, 4, 3)],
     causal)

here = os.path.dirname(os.path.abspath(__file__))
out_path = os.path.join(here, "..", "src", "fixtures", "torch-masking.json")
with open(out_path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.relpath(out_path)}")
