"""Writes src/fixtures/torch-ops.json: PyTorch 1.13 CPU forward values, gradients, dtypes, printed
forms and error messages for the tensor ops, replayed by src/torch-ops.test.ts.

Run with Debian's torch:  /usr/bin/python3 packages/tensor/scripts/torch_ops_fixtures.py
then format it like the other fixtures:  pnpm exec biome format --write packages/tensor/src/fixtures

Each case names an `op` (a key shared with the test's table), its `inputs` (flat data, shape, dtype,
whether it requires grad) and `args` (plain JSON). The outputs are flattened to a list of tensors
(values + indices for `max(dim)`, the pieces of `split`, …). The gradients are those of
L = Σ_k (out_k · w_k).sum() over the floating outputs, with w_k[i] = ((7i + 3k) mod 11) / 5 − 0.9
(computed the same way on both sides, so it is not stored). Non-finite numbers are stored as the
strings "inf", "-inf" and "nan" (JSON has no literal for them).
"""
import json, math, os, torch

torch.set_default_dtype(torch.float32)
F64, I64 = torch.float64, torch.int64
DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int32",
               torch.int32: "int32", torch.bool: "int32"}  # int64 and bool map to our int32


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


def rnd(*shape, positive=False):
    """Deterministic float64 data with 3 decimals (so the JSON stays small and exact)."""
    _seed[0] += 1
    g = torch.Generator().manual_seed(1000 + _seed[0])
    x = torch.randn(tuple(shape), generator=g, dtype=F64)
    if positive:
        x = x.abs() + 0.5
    return (x * 1000).round() / 1000


def T(data, dtype=F64, grad=None):
    t = data if isinstance(data, torch.Tensor) else torch.tensor(data, dtype=dtype)
    t = t.to(dtype)
    if grad is None:
        grad = t.is_floating_point()
    return t.clone().requires_grad_(grad)


def outputs_of(result):
    if isinstance(result, torch.Tensor):
        return [result]
    if hasattr(result, "values") and hasattr(result, "indices"):
        return [result.values, result.indices]
    return list(result)


cases = []


def case(op, inputs, args=None, fn=None, name=None):
    args = args or {}
    fn = fn or OPS[op]
    # Fresh leaves per case (inputs are shared between cases; their grads must not accumulate).
    inputs = [t.detach().clone().requires_grad_(t.requires_grad) for t in inputs]
    outs = outputs_of(fn(inputs, args))
    loss = None
    for k, o in enumerate(outs):
        if o.is_floating_point() and o.requires_grad:
            term = (o.to(F64).reshape(-1) * weight(o.numel(), k)).sum()
            loss = term if loss is None else loss + term
    if loss is not None:
        loss.backward()
    cases.append({
        "name": name or op,
        "op": op,
        "args": args,
        "inputs": [{"shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype], "data": flat(t),
                    "grad": t.requires_grad} for t in inputs],
        "outputs": [{"shape": list(o.shape), "dtype": DTYPE_NAMES[o.dtype], "values": flat(o)}
                    for o in outs],
        "grads": [flat(t.grad) if t.grad is not None else None for t in inputs],
    })


def other(xs, a):
    """The second operand: an input tensor, or a number from args."""
    return xs[1] if len(xs) > 1 else a["other"]


def dims(a):
    d = a.get("dim")
    return tuple(d) if isinstance(d, list) else d


def red(f):
    """A reduction called like ours: no dim → over everything."""
    def run(xs, a):
        if "dim" not in a:
            return f(xs[0])
        return f(xs[0], dims(a), keepdim=a.get("keepdim", False))
    return run


def idx(xs):
    return [t for t in xs[1:]]


OPS = {
    # elementwise
    "neg": lambda xs, a: xs[0].neg(), "exp": lambda xs, a: xs[0].exp(),
    "log": lambda xs, a: xs[0].log(), "tanh": lambda xs, a: xs[0].tanh(),
    "relu": lambda xs, a: xs[0].relu(), "sigmoid": lambda xs, a: xs[0].sigmoid(),
    "sqrt": lambda xs, a: xs[0].sqrt(), "abs": lambda xs, a: xs[0].abs(),
    "square": lambda xs, a: xs[0].square(),
    "add": lambda xs, a: torch.add(xs[0], other(xs, a), alpha=a.get("alpha", 1)),
    "sub": lambda xs, a: xs[0] - other(xs, a), "mul": lambda xs, a: xs[0] * other(xs, a),
    "div": lambda xs, a: xs[0] / other(xs, a), "pow": lambda xs, a: torch.pow(xs[0], other(xs, a)),
    "rsub": lambda xs, a: a["other"] - xs[0], "rdiv": lambda xs, a: a["other"] / xs[0],
    "rpow": lambda xs, a: torch.pow(a["other"], xs[0]),
    "maximum": lambda xs, a: torch.maximum(xs[0], xs[1]),
    "minimum": lambda xs, a: torch.minimum(xs[0], xs[1]),
    "clamp": lambda xs, a: xs[0].clamp(a.get("min"), a.get("max")),
    "eq": lambda xs, a: xs[0] == other(xs, a), "ne": lambda xs, a: xs[0] != other(xs, a),
    "lt": lambda xs, a: xs[0] < other(xs, a), "le": lambda xs, a: xs[0] <= other(xs, a),
    "gt": lambda xs, a: xs[0] > other(xs, a), "ge": lambda xs, a: xs[0] >= other(xs, a),
    # reductions
    "sum": red(torch.sum), "mean": red(torch.mean), "amax": red(torch.amax), "amin": red(torch.amin),
    "max": lambda xs, a: xs[0].max() if "dim" not in a else xs[0].max(a["dim"], keepdim=a.get("keepdim", False)),
    "min": lambda xs, a: xs[0].min() if "dim" not in a else xs[0].min(a["dim"], keepdim=a.get("keepdim", False)),
    "argmax": lambda xs, a: xs[0].argmax(a.get("dim"), keepdim=a.get("keepdim", False)),
    "argmin": lambda xs, a: xs[0].argmin(a.get("dim"), keepdim=a.get("keepdim", False)),
    "var": lambda xs, a: xs[0].var(dims(a), unbiased=a.get("correction", 1) == 1, keepdim=a.get("keepdim", False)),
    "std": lambda xs, a: xs[0].std(dims(a), unbiased=a.get("correction", 1) == 1, keepdim=a.get("keepdim", False)),
    "logsumexp": lambda xs, a: xs[0].logsumexp(dims(a), keepdim=a.get("keepdim", False)),
    # movement
    "view": lambda xs, a: xs[0].view(a["shape"]), "reshape": lambda xs, a: xs[0].reshape(a["shape"]),
    "transpose_reshape": lambda xs, a: xs[0].transpose(0, 1).reshape(a["shape"]),
    "permute": lambda xs, a: xs[0].permute(a["dims"]),
    "transpose": lambda xs, a: xs[0].transpose(a["dim0"], a["dim1"]),
    "T": lambda xs, a: xs[0].T,
    "expand": lambda xs, a: xs[0].expand(a["shape"]),
    "squeeze": lambda xs, a: xs[0].squeeze() if "dim" not in a else xs[0].squeeze(a["dim"]),
    "unsqueeze": lambda xs, a: xs[0].unsqueeze(a["dim"]),
    "flatten": lambda xs, a: xs[0].flatten(a.get("start", 0), a.get("end", -1)),
    "slice": lambda xs, a: xs[0][(slice(None),) * a["dim"] + (slice(a.get("start"), a.get("end"), a.get("step", 1)),)],
    "narrow": lambda xs, a: xs[0].narrow(a["dim"], a["start"], a["length"]),
    "select": lambda xs, a: xs[0].select(a["dim"], a["index"]),
    "split": lambda xs, a: xs[0].split(a["size"], a.get("dim", 0)),
    "chunk": lambda xs, a: xs[0].chunk(a["chunks"], a.get("dim", 0)),
    "cat": lambda xs, a: torch.cat(xs, a["dim"]), "stack": lambda xs, a: torch.stack(xs, a["dim"]),
    "clone_t": lambda xs, a: xs[0].t().contiguous(),
    # indexing
    "index": lambda xs, a: xs[0][tuple(xs[1:])],
    "gather": lambda xs, a: xs[0].gather(a["dim"], xs[1]),
    "index_select": lambda xs, a: xs[0].index_select(a["dim"], xs[1]),
    # linear algebra, nn
    "matmul": lambda xs, a: xs[0] @ xs[1],
    "softmax": lambda xs, a: xs[0].softmax(a["dim"]),
    "log_softmax": lambda xs, a: xs[0].log_softmax(a["dim"]),
    # composites learners write
    "cross_entropy_pluck": lambda xs, a: -xs[0].log_softmax(1)[torch.arange(xs[0].shape[0]), xs[1]].mean(),
    # ops on non-contiguous views (transposed, sliced with an offset, expanded)
    "views_elementwise": lambda xs, a: xs[0].t()[1:, ::2].exp() * xs[1].t()[1:, ::2] + xs[0][:, 1:].t()[:, :2],
    "views_reduce": lambda xs, a: [xs[0].t().sum(0), xs[0].t().amax(1), xs[0][:, 1:].t().max(1).values,
                                   xs[0][:, :1].expand(2, 4, 3).sum((0, 2)), xs[0].t().var(0)],
    "views_softmax": lambda xs, a: [xs[0].t().softmax(1), xs[0][:, 1:].log_softmax(0)],
    "views_matmul": lambda xs, a: xs[0][1:, :] @ xs[1].t()[:, ::2],
    "views_index": lambda xs, a: [xs[0].t()[xs[1]], xs[0].t().gather(1, xs[2]), xs[0][:, 1:].index_select(1, xs[1][1])],
    "views_cat": lambda xs, a: torch.cat([xs[0].t(), xs[0][:, 1:].t()], 0),
    "inplace_views": lambda xs, a: inplace_views(xs[0].detach().clone(), xs[1]),
    "reuse": lambda xs, a: (xs[0] * xs[0]).sum(1) + xs[0].tanh().mean(0).unsqueeze(0).expand(4, 3).sum(1),
    "lecture_mlp": lambda xs, a: lecture_mlp(*xs),
}


def inplace_views(t, y):
    """In-place updates through views, outside the graph (an optimizer's moves)."""
    with torch.no_grad():
        t[:, 1:3].add_(y[:, :2], alpha=2)
        t.t()[0].mul_(3)
        t[1:, ::2].copy_(y[0, :3])
        t[0].fill_(-1)
        t[2:].sub_(0.5, alpha=2)
        t[:, 3:].div_(4)
    return t


def lecture_mlp(C, W1, b1, W2, b2, X, Y):
    emb = C[X]
    h = (emb.view(-1, 6) @ W1 + b1).tanh()
    logits = h @ W2 + b2
    counts = logits.exp()
    prob = counts / counts.sum(1, keepdims=True)
    return [-prob[torch.arange(X.shape[0]), Y].log().mean(),
            -logits.log_softmax(1)[torch.arange(X.shape[0]), Y].mean()]

# ---- elementwise -------------------------------------------------------------------------------
x = rnd(2, 3, 4)
for op in ["neg", "exp", "tanh", "relu", "sigmoid", "abs", "square"]:
    case(op, [T(x)])
case("relu", [T([[-1.0, 0.0, 2.0], [0.0, -0.0, 3.5]])], name="relu at zero")
case("abs", [T([-1.5, 0.0, 2.0])], name="abs at zero")
case("sigmoid", [T([-800.0, -30.0, 0.0, 30.0, 800.0])], name="sigmoid saturates")
pos = rnd(3, 4, positive=True)
case("log", [T(pos)])
case("sqrt", [T(pos)])
case("log", [T([0.0, 1.0, 2.0])], name="log of zero")

shapes = [([2, 3, 4], [3, 1]), ([], [2, 3]), ([4, 1, 3], [2, 3]), ([2, 3], []), ([3], [2, 3]),
          ([2, 1], [1, 3]), ([2, 3], [2, 3])]
for sa, sb in shapes:
    a, b = rnd(*sa), rnd(*sb)
    for op in ["add", "sub", "mul", "maximum", "minimum"]:
        case(op, [T(a), T(b)], name=f"{op} {sa}x{sb}")
    case("div", [T(a), T(rnd(*sb, positive=True))], name=f"div {sa}x{sb}")
    case("pow", [T(rnd(*sa, positive=True)), T(b)], name=f"pow {sa}x{sb}")
case("add", [T(x), T(rnd(3, 4))], {"alpha": 2.5}, name="add alpha")
for op in ["add", "sub", "mul", "div", "rsub", "rdiv"]:
    case(op, [T(x)], {"other": 2.5}, name=f"{op} number")
base = T([-2.0, -1.5, -0.5, 0.0, 0.5, 3.0])
for e in [2, 3, -1, -2, 0, 0.5, 1.5]:
    case("pow", [base], {"other": e}, name=f"pow negative bases ^{e}")
case("pow", [T([0.0, 0.0, 2.0, -2.0]), T([0.0, 2.0, 0.0, 2.0])], name="pow zero base, zero exponent")
case("rpow", [T([-1.0, 0.0, 0.5, 3.0])], {"other": 2.0}, name="pow number base")
case("rpow", [T([-1.0, 0.0, 0.5, 3.0])], {"other": 0.0}, name="pow zero number base")
clampx = T([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
case("clamp", [clampx], {"min": -1.0, "max": 1.0}, name="clamp both (ties at bounds)")
case("clamp", [clampx], {"min": -0.5}, name="clamp min only")
case("clamp", [clampx], {"max": 0.5}, name="clamp max only")
case("clamp", [clampx], {"min": 1.0, "max": -1.0}, name="clamp min > max")
ta, tb = T([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), T([[1.0, 0.0, 3.0], [5.0, 5.0, 0.0]])
case("maximum", [ta, tb], name="maximum ties")
case("minimum", [ta, tb], name="minimum ties")
case("maximum", [T([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]), T([2.0])], name="maximum ties broadcast")
for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
    case(op, [ta, tb], name=f"{op} tensors")
    case(op, [ta, T([[3.0], [5.0]])], name=f"{op} broadcast")
    case(op, [ta], {"other": 3}, name=f"{op} number")

# ---- reductions --------------------------------------------------------------------------------
x = rnd(2, 3, 4)
for op in ["sum", "mean", "amax", "amin", "logsumexp"]:
    for a in [{}, {"dim": 0}, {"dim": -1}, {"dim": 1, "keepdim": True}, {"dim": [0, 2]},
              {"dim": [-1, 0], "keepdim": True}]:
        if op == "logsumexp" and "dim" not in a:
            continue
        case(op, [T(x)], a, name=f"{op} {a}")
case("sum", [T(5.0)], name="sum of 0-d")
case("sum", [T(5.0)], {"dim": 0}, name="sum of 0-d dim 0")
case("mean", [T(rnd(3, 0))], {"dim": 1}, name="mean of empty rows")
case("sum", [T(rnd(3, 0))], {"dim": 1}, name="sum of empty rows")
ties = T([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 5.0, -1.0, 5.0]])
for op in ["max", "min"]:
    case(op, [ties], name=f"{op} all with ties")
    for a in [{"dim": 1}, {"dim": 0}, {"dim": -1, "keepdim": True}]:
        case(op, [ties], a, name=f"{op} {a} ties")
    case(op, [T(rnd(2, 3, 4))], {"dim": 1}, name=f"{op} dim 1 of 3-d")
for op in ["amax", "amin"]:
    case(op, [ties], {"dim": 1}, name=f"{op} ties split")
    case(op, [ties], {}, name=f"{op} all ties split")
    case(op, [ties], {"dim": [0, 1]}, name=f"{op} dims list ties split")
for op in ["argmax", "argmin"]:
    case(op, [ties], name=f"{op} flattened ties")
    case(op, [ties], {"dim": 1}, name=f"{op} dim 1 ties")
    case(op, [ties], {"dim": 0, "keepdim": True}, name=f"{op} dim 0 keepdim ties")
    case(op, [T(rnd(2, 3, 4))], {"dim": -1}, name=f"{op} 3-d")
for op in ["var", "std"]:
    for a in [{}, {"correction": 0}, {"dim": 1}, {"dim": 1, "correction": 0, "keepdim": True},
              {"dim": [0, 2]}, {"dim": -1, "keepdim": True}]:
        case(op, [T(x)], a, name=f"{op} {a}")
    case(op, [T([[1.0], [2.0]])], {"dim": 1}, name=f"{op} of one element (correction 1)")
case("argmax", [ties], {"keepdim": True}, name="argmax flattened keepdim")
case("sum", [T(x)], {"dim": [0, 1, 2], "keepdim": True}, name="sum all dims keepdim")
case("std", [T([[2.0, 2.0, 2.0], [1.0, 2.0, 3.0]])], {"dim": 1}, name="std of a constant row")
case("max", [T([[1.0, float("nan"), 3.0], [float("nan"), 0.0, 5.0]])], {"dim": 1}, name="max with nan")
case("amax", [T([[1.0, float("nan"), 3.0], [4.0, 0.0, 5.0]])], {"dim": 1}, name="amax with nan")
case("relu", [T([float("nan"), -1.0, 1.0])], name="relu of nan")
case("clamp", [T([float("nan"), -3.0, 3.0])], {"min": -1.0, "max": 1.0}, name="clamp of nan")
lse = T([[0.0, 1.0, 2.0], [float("-inf"), float("-inf"), float("-inf")], [float("-inf"), 3.0, 1.0],
         [1000.0, 1000.0, -1000.0]])
case("logsumexp", [lse], {"dim": 1}, name="logsumexp with -inf rows")
case("logsumexp", [lse], {"dim": 0, "keepdim": True}, name="logsumexp with -inf, dim 0")

# ---- movement ----------------------------------------------------------------------------------
x = T(rnd(2, 3, 4))
case("view", [x], {"shape": [4, -1]})
case("view", [x], {"shape": [24]}, name="view flat")
case("reshape", [x], {"shape": [3, 8]})
case("transpose_reshape", [x], {"shape": [-1, 4]}, name="reshape non-contiguous")
case("permute", [x], {"dims": [2, 0, 1]})
case("permute", [x], {"dims": [-1, 1, 0]}, name="permute negative dims")
case("transpose", [x], {"dim0": 0, "dim1": -1})
case("T", [T(rnd(3, 5))])
case("expand", [T(rnd(3, 1))], {"shape": [2, 3, 4]})
case("expand", [T(rnd(1, 4))], {"shape": [3, -1]}, name="expand -1")
case("squeeze", [T(rnd(1, 3, 1, 2))])
case("squeeze", [T(rnd(1, 3, 1, 2))], {"dim": 2}, name="squeeze dim")
case("squeeze", [T(rnd(1, 3, 1, 2))], {"dim": 1}, name="squeeze non-1 dim")
case("squeeze", [T(rnd(1, 3, 1, 2))], {"dim": -4}, name="squeeze negative dim")
for d in [0, 1, -1, -3]:
    case("unsqueeze", [T(rnd(2, 3))], {"dim": d}, name=f"unsqueeze {d}")
case("flatten", [x], name="flatten")
case("flatten", [x], {"start": 1}, name="flatten from 1")
case("flatten", [T(rnd(2, 3, 4, 2))], {"start": 1, "end": 2}, name="flatten 1..2")
case("flatten", [T(3.0)], name="flatten 0-d")
y = T(rnd(4, 7))
for a in [{"dim": 1, "start": 1, "end": 6, "step": 2}, {"dim": 1, "start": -3}, {"dim": 1, "end": -2},
          {"dim": 0, "start": -3, "end": -1}, {"dim": 1, "start": 2, "end": 100, "step": 3},
          {"dim": 1, "start": 5, "end": 2}, {"dim": 0, "start": -100, "end": 2}, {"dim": 1, "step": 4}]:
    case("slice", [y], a, name=f"slice {a}")
case("narrow", [y], {"dim": 1, "start": 2, "length": 3})
for a in [{"dim": 0, "index": 1}, {"dim": 1, "index": -1}, {"dim": -1, "index": 0}]:
    case("select", [x], a, name=f"select {a}")
z = T(rnd(5, 6))
case("split", [z], {"size": 2}, name="split uneven")
case("split", [z], {"size": 4, "dim": 1}, name="split uneven dim 1")
case("split", [z], {"size": [1, 4], "dim": 0}, name="split sizes")
case("chunk", [z], {"chunks": 3}, name="chunk 5 into 3")
case("chunk", [z], {"chunks": 4, "dim": 1}, name="chunk 6 into 4 (gives 3)")
case("chunk", [z], {"chunks": 5, "dim": -1}, name="chunk 6 into 5 (gives 3)")
case("cat", [T(rnd(2, 3)), T(rnd(2, 1)), T(rnd(2, 2))], {"dim": -1}, name="cat dim -1")
case("cat", [T(rnd(2, 3)), T(rnd(1, 3))], {"dim": 0}, name="cat dim 0")
case("stack", [T(rnd(2, 3)), T(rnd(2, 3))], {"dim": -1}, name="stack dim -1")
case("stack", [T(rnd(2, 3)), T(rnd(2, 3)), T(rnd(2, 3))], {"dim": 1}, name="stack dim 1")
case("stack", [T(rnd(2, 3)), T(rnd(2, 3))], {"dim": -3}, name="stack dim -3")
case("clone_t", [T(rnd(3, 4))], name="contiguous of transpose")

# ---- indexing ----------------------------------------------------------------------------------
C = T(rnd(5, 3))
L = lambda d: torch.tensor(d, dtype=I64)
case("index", [C, L([0, 4, 4, 1])], name="index 1-d repeated")
case("index", [C, L([-1, -5, 2])], name="index negative")
case("index", [C, L([[0, 2, 0], [1, 1, 4]])], name="index 2-d (embedding)")
case("index", [C, L(3)], name="index 0-d index tensor")
case("index", [C, L([0, 1, 4, 4]), L([2, 0, -1, 1])], name="index two tensors (pluck)")
case("index", [C, L([[0], [4]]), L([0, 2, 2])], name="index two tensors broadcast")
X3 = T(rnd(4, 3, 2))
case("index", [X3, L([3, 0, 3]), L([1, 2, 1])], name="index two tensors on 3-d")
case("index", [X3, L([[1, 2], [3, 3]])], name="index 2-d on 3-d")
G = T(rnd(3, 4))
case("gather", [G, L([[0, 0], [3, 1], [2, 2]])], {"dim": 1}, name="gather dim 1 repeats")
case("gather", [G, L([[2, 0, 1, 1], [0, 0, 0, 2]])], {"dim": 0}, name="gather dim 0")
case("gather", [G, L([[1], [3], [0]])], {"dim": -1}, name="gather dim -1 (pluck)")
case("gather", [T(rnd(2, 3, 4)), L([[[0, 1], [2, 2]], [[1, 1], [0, 2]]])], {"dim": 1}, name="gather 3-d smaller index")
case("index_select", [G, L([3, 0, 3])], {"dim": 1}, name="index_select dim 1 repeats")
case("index_select", [G, L([2, 2, 0, 1])], {"dim": 0}, name="index_select dim 0")
case("index_select", [T(rnd(2, 3, 4)), L([1])], {"dim": -2}, name="index_select 3-d dim -2")

# ---- matmul, softmax ---------------------------------------------------------------------------
for sa, sb in [([3], [3]), ([3], [3, 4]), ([2, 3], [3]), ([2, 3], [3, 4]), ([2, 2, 3], [3, 4]),
               ([2, 3], [5, 3, 4]), ([5, 2, 3], [5, 3, 4]), ([2, 1, 2, 3], [3, 3, 4]), ([3], [2, 3, 4]),
               ([2, 2, 3], [3]), ([1, 3], [3, 1])]:
    case("matmul", [T(rnd(*sa)), T(rnd(*sb))], name=f"matmul {sa}x{sb}")
case("matmul", [T(rnd(4, 3).T), T(rnd(4, 2))], name="matmul transposed operand")
case("matmul", [T(rnd(2, 0)), T(rnd(0, 3))], name="matmul with K = 0")
case("matmul", [T(rnd(3, 5, 4)), T(rnd(4, 1))], name="matmul 3-d by column")
s = rnd(2, 3, 4) * 3
for op in ["softmax", "log_softmax"]:
    for d in [0, 1, -1]:
        case(op, [T(s)], {"dim": d}, name=f"{op} dim {d}")
    case(op, [T([[1000.0, 0.0, -1000.0], [float("-inf"), 1.0, 2.0]])], {"dim": 1}, name=f"{op} extreme and -inf")
    case(op, [T([1.0, 2.0, 3.0])], {"dim": 0}, name=f"{op} 1-d")
v = rnd(4, 3)
case("views_elementwise", [T(v), T(rnd(4, 3))])
case("views_reduce", [T(v)])
case("views_softmax", [T(v)])
case("views_matmul", [T(rnd(4, 3)), T(rnd(5, 3))])
case("views_index", [T(v), L([[2, 0], [1, 1]]), L([[3, 0], [1, 1], [2, 2]])])
case("views_cat", [T(v)])
case("inplace_views", [T(rnd(4, 5), grad=False), T(rnd(4, 5), grad=False)])
case("reuse", [T(v)])
case("lecture_mlp", [T(rnd(7, 2)), T(rnd(6, 5)), T(rnd(5)), T(rnd(5, 7)), T(rnd(7)),
                     L([[0, 0, 0], [0, 0, 5], [0, 5, 6], [5, 6, 6]]), L([5, 6, 6, 0])])
case("cross_entropy_pluck", [T(rnd(4, 5)), L([1, 0, 4, 4])], name="cross-entropy by pluck")

# ---- type promotion (float32 inputs where PyTorch's defaults matter) ---------------------------
I = lambda d: torch.tensor(d, dtype=I64)
F = lambda d: T(d, torch.float32, grad=False)
D = lambda d: T(d, F64, grad=False)
promo = [
    ("add", [I([1, 2]), I([3, 4])], {}), ("add", [I([1, 2])], {"other": 2.5}), ("mul", [I([1, 2])], {"other": 3}),
    ("div", [I([1, 2])], {"other": 2}), ("div", [I([1, 2]), I([4, 3])], {}), ("add", [I([1, 2]), F([0.5, 1.5])], {}),
    ("add", [F([0.5, 1.5]), D([1.0, 2.0])], {}), ("add", [F([0.5, 1.5]), D(2.0)], {}),
    ("add", [I([1, 2]), D(2.5)], {}), ("add", [I([1, 2]), F(2.5)], {}), ("mul", [F([1.5]), I(3)], {}),
    ("sub", [I([5, 6])], {"other": 1}), ("rsub", [I([5, 6])], {"other": 1.5}),
    ("pow", [I([2, 3])], {"other": 2}), ("pow", [I([4, 9])], {"other": 0.5}), ("pow", [F([4.0])], {"other": 2}),
    ("rpow", [I([1, 2])], {"other": 2}), ("rpow", [I([1, 2])], {"other": 2.5}),
    ("maximum", [I([1, 5]), F([2.5, 2.5])], {}), ("neg", [I([1, -2])], {}), ("abs", [I([1, -2])], {}),
    ("relu", [I([1, -2])], {}), ("square", [I([3, -2])], {}),
    ("exp", [I([0, 1])], {}), ("sqrt", [I([4, 2])], {}), ("tanh", [I([0, 1])], {}), ("sigmoid", [I([0])], {}),
    ("log", [I([1, 2])], {}), ("sum", [I([1, 2])], {}), ("sum", [I([[1, 2]])], {"dim": 1}),
    ("amax", [I([1, 7, 2])], {}), ("max", [I([1, 7, 2])], {}), ("max", [I([[1, 7, 2]])], {"dim": 1}),
    ("argmax", [F([1.0, 7.0, 2.0])], {}), ("eq", [F([1.0, 2.0])], {"other": 1}),
    ("gt", [I([1, 2]), F([1.5, 1.5])], {}), ("cat", [I([1, 2]), F([0.5])], {"dim": 0}),
    ("matmul", [F([[1.0, 2.0]]), F([[3.0], [4.0]])], {}), ("matmul", [I([[1, 2]]), I([[3], [4]])], {}),
    ("clamp", [I([1, 5])], {"min": 2}), ("clamp", [I([1, 5])], {"max": 2.5}),
    ("sum", [F([0.1, 0.2, 0.3])], {}), ("mean", [F([[1.0, 2.0]])], {"dim": 1}),
    ("softmax", [F([1.0, 2.0])], {"dim": 0}), ("index", [I([5, 6, 7]), I([2, 0])], {}),
]
for op, ins, a in promo:
    case(op, ins, a, name=f"dtype {op} " + " ".join(DTYPE_NAMES[t.dtype] + str(list(t.shape)) for t in ins) + f" {a}")

# ---- printing ----------------------------------------------------------------------------------
prints = []


def pr(label, t, code):
    prints.append({"name": label, "code": code, "expected": str(t)})


g = torch.Generator().manual_seed(2147483647)
pr("ints", torch.tensor([1, -20, 300]), "tensor([1, -20, 300])")
pr("int 2-d", torch.tensor([[1, 2], [30, 4]]), "tensor([[1, 2], [30, 4]])")
pr("floats", torch.tensor([0.5, -1.25, 3.0]), "tensor([0.5, -1.25, 3.0], { dtype: 'float32' })")
pr("whole floats", torch.tensor([1.0, 2.0, -3.0]), "tensor([1, 2, -3], { dtype: 'float32' })")
pr("randn 2x3", torch.randn(2, 3, generator=g), "randn")
pr("mixed magnitudes", torch.tensor([0.001, 1.5, 120.25]), "tensor([0.001, 1.5, 120.25], { dtype: 'float32' })")
pr("wide range", torch.tensor([1e-5, 1.0, 1000.0]), "tensor([1e-5, 1, 1000], { dtype: 'float32' })")
pr("large", torch.tensor([1e10, 2.5]), "tensor([1e10, 2.5], { dtype: 'float32' })")
pr("large whole", torch.tensor([1e10, 2.0]), "tensor([1e10, 2], { dtype: 'float32' })")
pr("tiny", torch.tensor([1e-6, 2e-6]), "tensor([1e-6, 2e-6], { dtype: 'float32' })")
pr("ratio just over 1000", torch.tensor([0.01, 20.5]), "tensor([0.01, 20.5], { dtype: 'float32' })")
pr("negative zero and nan/inf", torch.tensor([float('nan'), float('inf'), -1.5, 0.0]), "special")
pr("3-d", torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 4, "arange(12).view(2, 3, 2).div(4)")
pr("0-d float", torch.tensor(3.5), "tensor(3.5, { dtype: 'float32' })")
pr("0-d int", torch.tensor(7), "tensor(7)")
pr("empty", torch.zeros(0), "zeros([0])")
pr("empty 2-d", torch.zeros(2, 0), "zeros([2, 0])")
pr("float64", torch.tensor([0.5, 1.0], dtype=F64), "tensor([0.5, 1], { dtype: 'float64' })")
pr("requires_grad", torch.tensor([0.5, 1.0], requires_grad=True), "requiresGrad")
w = torch.tensor([0.5, 1.0], requires_grad=True)
pr("AddBackward0", w + 1, "add")
pr("MulBackward0", w * 2, "mul")
pr("SumBackward0", w.sum(), "sum")
pr("MeanBackward0", w.mean(), "mean")
pr("TanhBackward0", w.tanh(), "tanh")
pr("ViewBackward0", w.view(2, 1), "view")
pr("MmBackward0", w.view(1, 2) @ w.view(2, 1), "mm")
pr("IndexBackward0", w[torch.tensor([0])], "index")
pr("LogSoftmaxBackward0", w.log_softmax(0), "logSoftmax")
pr("NegBackward0", -w, "neg")
pr("PowBackward0", w ** 2, "pow")
pr("DivBackward0", w / 2, "div")
pr("SubBackward0", w - 1, "sub")
pr("ExpBackward0", w.exp(), "exp")
pr("grad_fn 0-d", (w * w).sum(), "sumsq")
pr("long row", torch.arange(8, dtype=torch.float32) * 1.5, "arange(8).mul(1.5)")
pr("wrapped row", torch.arange(20, dtype=torch.float32) / 3, "arange(20).div(3)")
pr("wrapped int row", torch.arange(40) * 7, "arange(40).mul(7)")
pr("wrapped 2-d", torch.arange(30, dtype=torch.float32).view(2, 15) - 7.5, "arange(30).view(2, 15).sub(7.5)")
pr("summarized 1-d", torch.arange(1500) / 4, "arange(1500).div(4)")
pr("summarized 2-d", torch.arange(2000).view(40, 50) * 1.0, "arange(2000).view(40, 50).mul(1.0)")
pr("summarized 3-d", torch.arange(1200).view(12, 10, 10), "arange(1200).view(12, 10, 10)")
pr("whole floats wide", torch.tensor([1.0, 2000.0]), "tensor([1, 2000], f32)")
pr("int negative zero", torch.tensor([-0.0, 1.5]), "tensor([-0, 1.5], f32)")
pr("SelectBackward0", w[1], "select")
pr("TransposeBackward0", w.view(1, 2).transpose(0, 1), "transpose")
pr("StackBackward0", torch.stack([w, w]), "stack")
pr("PowBackward0 square", w.square(), "square")
pr("ToCopyBackward0", w.double(), "double")
pr("SoftmaxBackward0", w.softmax(0), "softmax")
pr("VarBackward0", w.var(), "var")
pr("StdBackward0", w.std(), "std")
pr("LogsumexpBackward0", w.logsumexp(0), "logsumexp")

# ---- error messages for the common mistakes ----------------------------------------------------
errors = []


def err(label, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        errors.append({"name": label, "torch": str(e).split("\n")[0]})
        return
    raise AssertionError(label + " did not raise")


err("broadcast", lambda: torch.zeros(2, 3) + torch.zeros(4))
err("matmul 2-d", lambda: torch.zeros(2, 3) @ torch.zeros(4, 5))
err("matmul 1-d", lambda: torch.zeros(3) @ torch.zeros(4))
err("matmul 3-d", lambda: torch.zeros(2, 2, 3) @ torch.zeros(4, 5))
err("matmul batched", lambda: torch.zeros(2, 2, 3) @ torch.zeros(2, 4, 5))
err("index out of range", lambda: torch.zeros(5, 2)[torch.tensor([7])])
err("index negative out of range", lambda: torch.zeros(5, 2)[torch.tensor([-6])])
err("select out of range", lambda: torch.zeros(5, 2).select(1, 2))
err("gather out of range", lambda: torch.zeros(2, 3).gather(1, torch.tensor([[3], [0]])))
err("view non-contiguous", lambda: torch.zeros(2, 3).t().view(6))
err("view bad size", lambda: torch.zeros(2, 3).view(4, 2))
err("backward non-scalar", lambda: (torch.zeros(2, requires_grad=True) * 2).backward())
err("backward no grad", lambda: torch.zeros(2).sum().backward())
err("in-place on leaf", lambda: torch.zeros(2, requires_grad=True).add_(1))
err("dim out of range", lambda: torch.zeros(2, 3).sum(2))
err("float index", lambda: torch.zeros(3)[torch.tensor([0.0])])
err("requires_grad on int", lambda: torch.tensor([1]).requires_grad_())
err("item of many", lambda: torch.zeros(2).item())
err("cat shapes", lambda: torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], 0))
err("expand", lambda: torch.zeros(2, 3).expand(4, 3))
err("mean of int", lambda: torch.tensor([1, 2]).mean())
err("int to negative power", lambda: torch.tensor([1, 2]) ** -1)
err("div_ on int", lambda: torch.tensor([1, 2]).div_(2))
err("stack shapes", lambda: torch.stack([torch.zeros(2), torch.zeros(3)]))
err("gather rank", lambda: torch.zeros(2, 3).gather(1, torch.tensor([0])))
err("permute length", lambda: torch.zeros(2, 3).permute(0))

out = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "torch-ops.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "prints": prints, "errors": errors}, f,
              separators=(",", ":"), allow_nan=False)
print("wrote", len(cases), "cases,", len(prints), "prints,", len(errors), "errors with torch",
      torch.__version__, "-", os.path.getsize(out), "bytes")
