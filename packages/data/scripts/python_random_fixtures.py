"""Writes src/fixtures/python-random.json: CPython's `random` module streams used as test references.

Run with any CPython 3.11+:  python3 packages/data/scripts/python_random_fixtures.py
Seeds that do not fit a JavaScript safe integer are written as strings (the tests read them as bigint).
"""
import json, os, random, sys

SAFE = 2**53 - 1


def seed_json(seed):
    return seed if abs(seed) <= SAFE else str(seed)


cases = []
# 0 (key [0]), small, the lecture's 42, PyTorch's favourite, 2^32 (key [0, 1]), 2^40 + 7, negative
# (abs is taken), the largest safe integer, and a three-word key beyond 2^64.
for seed in (0, 1, 42, 2147483647, 2**32, 2**40 + 7, -5, SAFE, 2**64 + 3):
    r = random.Random(seed)
    case = {"seed": seed_json(seed)}
    case["random"] = [r.random() for _ in range(10)]
    r.seed(seed)
    case["getrandbits"] = [[k, r.getrandbits(k)] for k in (1, 5, 8, 16, 31, 32, 0, 33, 40, 53, 3)]
    r.seed(seed)
    case["randbelow"] = [[n, r._randbelow(n)] for n in (1, 2, 3, 7, 10, 100, 1000, 2**31 + 1, 2**32, 2**40 + 1)]
    r.seed(seed)
    items = list(range(20))
    r.shuffle(items)
    case["shuffle20"] = items
    # the stream continues after a shuffle
    case["randomAfterShuffle"] = [r.random() for _ in range(3)]
    cases.append(case)

# Big shuffles: every index of a 5,000-element list (randbelow up to 13 bits) and a 100,000-element one
# (17 bits), recorded in full for the first and as a checksum plus the head for the second.
big = []
for seed, n in ((42, 5000), (0, 5000), (42, 100_000), (2**40 + 7, 100_000)):
    r = random.Random(seed)
    items = list(range(n))
    r.shuffle(items)
    entry = {"seed": seed_json(seed), "n": n, "head": items[:50],
             "checksum": sum((i + 1) * v for i, v in enumerate(items)) % (2**31 - 1),
             "next": r.random()}
    if n <= 5000:
        entry["values"] = items
    big.append(entry)

out = {"python": sys.version.split()[0], "cases": cases, "bigShuffles": big}
path = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "python-random.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path))
