"""Writes src/fixtures/torch-batchnorm.json (PyTorch 1.13 CPU values for nn.BatchNorm1d, replayed by
src/batch-norm.test.ts) and src/fixtures/torch-init.json (nn.init's initializers after
torch.manual_seed(seed), replayed by src/init.test.ts with `new Generator(seed)`).

Run with Debian's torch:  /usr/bin/python3 packages/nn/scripts/torch_nn_fixtures.py
then format it:           npx biome format --write packages/nn/src/fixtures

Each case builds `nn.BatchNorm1d(C, **options)`, sets weight/bias (when affine) to fixed values, and runs
three training steps on three batches. It stores the first step's output and the gradients of
L = (out · w).sum() with w[i] = ((7i) mod 11) / 5 − 0.9 (computed the same way on both sides, so not
stored) with respect to the input, weight and bias; the running statistics and num_batches_tracked
after the three steps; and the eval-mode output on the first batch after them. `layout: "nlc"` is our
`channelsLast` option: the case feeds x [N, L, C] to torch as bn(x.transpose(1, 2)).transpose(1, 2).
The errors' texts are stored too.
"""
import json, os, torch
import torch.nn as nn

F64 = torch.float64


def flat(t):
    return t.detach().reshape(-1).tolist()


def weight(n):
    return torch.tensor([((7 * i) % 11) / 5 - 0.9 for i in range(n)], dtype=F64)


_seed = [0]


def rnd(shape, dtype):
    """Deterministic data with 3 decimals (so the JSON stays small and exact), mean ≠ 0, scale ≠ 1."""
    _seed[0] += 1
    g = torch.Generator().manual_seed(2000 + _seed[0])
    x = torch.randn(tuple(shape), generator=g, dtype=F64) * 1.7 + 0.4
    return ((x * 1000).round() / 1000).to(dtype)


def case(name, shape, options, layout="ncl", dtype=F64):
    channels = shape[2] if layout == "nlc" else shape[1]
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(channels, dtype=dtype, **options)
    affine = options.get("affine", True)
    if affine:
        with torch.no_grad():
            bn.weight.copy_(torch.linspace(0.5, 1.5, channels, dtype=dtype))
            bn.bias.copy_(torch.linspace(-0.3, 0.4, channels, dtype=dtype))
    run = (lambda x: bn(x.transpose(1, 2)).transpose(1, 2)) if layout == "nlc" else bn
    batches = [rnd(shape, dtype) for _ in range(3)]
    params = {"weight": flat(bn.weight), "bias": flat(bn.bias)} if affine else {}
    x0 = batches[0].clone().requires_grad_(True)
    out = run(x0)
    (out.to(F64).reshape(-1) * weight(out.numel())).sum().backward()
    grads = {"input": flat(x0.grad)}
    if affine:
        grads["weight"] = flat(bn.weight.grad)
        grads["bias"] = flat(bn.bias.grad)
    with torch.no_grad():
        run(batches[1])
        run(batches[2])
        bn.eval()
        eval_out = run(batches[0])
    track = options.get("track_running_stats", True)
    return {
        "name": name,
        "shape": list(shape),
        "layout": layout,
        "dtype": "float32" if dtype == torch.float32 else "float64",
        "options": options,
        "params": params,
        "batches": [flat(b) for b in batches],
        "trainOutput": flat(out),
        "grads": grads,
        "runningMean": flat(bn.running_mean) if track else None,
        "runningVar": flat(bn.running_var) if track else None,
        "numBatchesTracked": int(bn.num_batches_tracked) if track else None,
        "evalOutput": flat(eval_out),
        "stateDictKeys": list(bn.state_dict().keys()),
        "repr": repr(bn),
    }


def error_text(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we store whatever torch says
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("expected an error")


cases = [
    case("2-d defaults", [6, 4], {}),
    case("3-d defaults", [4, 3, 5], {}),
    case("2-d momentum None (cumulative average)", [5, 3], {"momentum": None}),
    case("3-d affine False", [3, 4, 2], {"affine": False}),
    case("3-d track_running_stats False", [3, 2, 4], {"track_running_stats": False}),
    case("3-d channels last, momentum 0.2, eps 1e-3", [4, 5, 3], {"momentum": 0.2, "eps": 1e-3}, "nlc"),
    case("2-d float32", [8, 5], {}, dtype=torch.float32),
]

errors = {
    "batchOfOne2d": error_text(lambda: nn.BatchNorm1d(10)(torch.zeros(1, 10))),
    "batchOfOne3d": error_text(lambda: nn.BatchNorm1d(10)(torch.zeros(1, 10, 1))),
    "rank4": error_text(lambda: nn.BatchNorm1d(10)(torch.zeros(2, 10, 3, 4))),
    "rank1": error_text(lambda: nn.BatchNorm1d(10)(torch.zeros(10))),
    "channels": error_text(lambda: nn.BatchNorm1d(10)(torch.zeros(4, 3))),
}

path = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "torch-batchnorm.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "errors": errors}, f)
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


def init_case(fn, shape, seed, **kwargs):
    torch.manual_seed(seed)
    w = torch.empty(shape)
    getattr(nn.init, fn)(w, **kwargs)
    return {"fn": fn, "shape": list(shape), "seed": seed, "kwargs": kwargs, "values": flat(w)}


init_cases = [
    init_case("kaiming_normal_", (4, 30), 0, nonlinearity="tanh"),
    init_case("kaiming_normal_", (4, 30), 1, mode="fan_out", nonlinearity="tanh"),
    init_case("kaiming_normal_", (3, 5, 2), 2, nonlinearity="relu"),
    init_case("kaiming_uniform_", (4, 30), 3, a=5 ** 0.5),
    init_case("xavier_normal_", (6, 10), 4),
    init_case("xavier_normal_", (6, 10), 5, gain=5 / 3),
    init_case("xavier_uniform_", (6, 10), 6),
    init_case("xavier_uniform_", (6, 10), 7, gain=2.0),
]
path = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "torch-init.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": init_cases}, f)
print(f"wrote {len(init_cases)} cases to {os.path.normpath(path)}")
