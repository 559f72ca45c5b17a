"""Writes src/fixtures/torch-random.json: PyTorch 1.13 CPU random streams used as test references.

Run with Debian's torch:  /usr/bin/python3 packages/tensor/scripts/torch_random_fixtures.py
"""
import json, os, torch

def g(seed):
    return torch.Generator().manual_seed(seed)

cases = []
for seed in (2147483647, 42, 0):
    for n in (1, 2, 3, 5, 15, 16, 17, 31, 32, 33, 100, 729):
        cases.append({"op": "randn", "seed": seed, "shape": [n], "dtype": "float32",
                      "values": torch.randn(n, generator=g(seed)).tolist()})
    for n in (1, 5, 16, 37):
        cases.append({"op": "randn", "seed": seed, "shape": [n], "dtype": "float64",
                      "values": torch.randn(n, generator=g(seed), dtype=torch.float64).tolist()})
        cases.append({"op": "rand", "seed": seed, "shape": [n], "dtype": "float32",
                      "values": torch.rand(n, generator=g(seed)).tolist()})
        cases.append({"op": "rand", "seed": seed, "shape": [n], "dtype": "float64",
                      "values": torch.rand(n, generator=g(seed), dtype=torch.float64).tolist()})
    cases.append({"op": "randint", "seed": seed, "low": 3, "high": 1000, "shape": [50],
                  "values": torch.randint(3, 1000, (50,), generator=g(seed)).tolist()})
    cases.append({"op": "randperm", "seed": seed, "n": 37, "values": torch.randperm(37, generator=g(seed)).tolist()})
    # multinomial on a fixed distribution, with and without replacement, 1-d and 2-d
    p = torch.tensor([0.1, 0.0, 0.3, 0.25, 0.35])
    cases.append({"op": "multinomial", "seed": seed, "probs": p.tolist(), "num": 40, "replacement": True,
                  "values": torch.multinomial(p, 40, replacement=True, generator=g(seed)).tolist()})
    cases.append({"op": "multinomial", "seed": seed, "probs": p.tolist(), "num": 4, "replacement": False,
                  "values": torch.multinomial(p, 4, replacement=False, generator=g(seed)).tolist()})
    cases.append({"op": "multinomial", "seed": seed, "probs": p.tolist(), "num": 1, "replacement": False,
                  "values": torch.multinomial(p, 1, replacement=False, generator=g(seed)).tolist()})
    P = torch.rand(3, 6, generator=g(seed + 1))
    cases.append({"op": "multinomial", "seed": seed, "probs": P.tolist(), "num": 5, "replacement": True,
                  "values": torch.multinomial(P, 5, replacement=True, generator=g(seed)).tolist()})
# a stream of mixed calls on one generator (state carries over between calls)
gen = g(2147483647)
mixed = [torch.randn(3, generator=gen).tolist(), torch.rand(20, generator=gen).tolist(),
         torch.randn(20, generator=gen).tolist(), torch.randint(0, 10, (5,), generator=gen).tolist(),
         torch.randn(1, generator=gen).tolist()]
cases.append({"op": "mixed", "seed": 2147483647, "values": mixed})
# the lecture's W = randn((27, 27)) after the seed
cases.append({"op": "randn", "seed": 2147483647, "shape": [27, 27], "dtype": "float32",
              "values": torch.randn((27, 27), generator=g(2147483647)).flatten().tolist()})
out = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "torch-random.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print("wrote", len(cases), "cases with torch", torch.__version__)
