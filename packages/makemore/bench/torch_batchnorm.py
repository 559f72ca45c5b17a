#!/usr/bin/env python3
"""makemore part 3's MLP with BatchNorm in PyTorch on the CPU, as a side-by-side reference.

In the style of ../../../../shared/bench/torch_mlp.py (the part 2 MLP).
Install once:   apt-get update && apt-get install -y python3-torch libopenblas0-pthread
Run:            /usr/bin/python3 torch_batchnorm.py --mode speed --batch 32 --threads 1
                /usr/bin/python3 torch_batchnorm.py --mode init      # parameter count, first loss
                /usr/bin/python3 torch_batchnorm.py --mode full      # the lecture's 200,000 steps

Setup (every mode): names.txt, random.seed(42) shuffle, 80/10/10 split, context 3, n_embd 10,
n_hidden 200, vocab 27. From torch.Generator().manual_seed(2147483647), in this order (the video,
when it adds the layer):
    C  = randn(27, 10)
    W1 = randn(30, 200) * (5/3) / 30**0.5        # Kaiming, tanh gain
    b1 = randn(200) * 0.01                       # --no-b1: dropped, as the notebook's last cell
    W2 = randn(200, 27) * 0.01                   # the initial-loss fix
    b2 = randn(27) * 0
    bngain = ones(1, 200), bnbias = zeros(1, 200); bnmean_running zeros, bnstd_running ones
The BatchNorm is the lecture's hand-written one: (h - mean) / std with the unbiased std and no eps,
running mean and std at momentum 0.001. Minibatches: torch.randint(0, n, (batch,), generator=g)
from the same generator, plain SGD, lr 0.1 (full: 0.01 from step 100,000).

Prints one JSON object on stdout:
    speed: {"model", "params", "threads", "blas", "steps_per_s": {"32": median}, "rounds": {"32": [...]},
            "best_steps_per_s": {"32": fastest round}, "cpu_steps_per_s": {"32": median}}
           (cpu: steps per second of the process's CPU time; on a busy machine the fastest round
           and the CPU time are closer than the median to what an idle one gives)
    init:  {"params", "first_loss"}  (the loss of step 0's minibatch, before any update)
    full:  {"train", "dev", "test", "wall_s", "steps_per_s"}  (progress lines on stderr)
"""
import argparse
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--names", default=os.path.join(here, "..", "..", "..", "..", "shared", "data", "names.txt"))
ap.add_argument("--mode", choices=["speed", "init", "full"], default="speed")
ap.add_argument("--batch", type=int, nargs="+", default=[32], help="batch sizes timed in speed mode")
ap.add_argument("--steps", type=int, default=1000, help="timed steps per round in speed mode")
ap.add_argument("--rounds", type=int, default=5, help="timed rounds per batch size in speed mode")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--no-b1", action="store_true", help="drop b1 (the notebook's last cell: 12,097)")
args = ap.parse_args()
torch.set_num_threads(args.threads)

words = open(args.names).read().splitlines()
chars = sorted(set("".join(words)))
stoi = {c: i + 1 for i, c in enumerate(chars)}
stoi["."] = 0
vocab_size = len(stoi)
random.seed(42)
random.shuffle(words)
n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
block_size = 3
n_embd, n_hidden = 10, 200


def build(ws):
    X, Y = [], []
    for w in ws:
        ctx = [0] * block_size
        for ch in w + ".":
            X.append(ctx)
            Y.append(stoi[ch])
            ctx = ctx[1:] + [stoi[ch]]
    return torch.tensor(X), torch.tensor(Y)


Xtr, Ytr = build(words[:n1])
Xdev, Ydev = build(words[n1:n2])
Xte, Yte = build(words[n2:])


class Net:
    """The lecture's tensors, from seed 2147483647; `g` then draws the minibatches."""

    def __init__(self):
        self.g = g = torch.Generator().manual_seed(2147483647)
        self.C = torch.randn((vocab_size, n_embd), generator=g)
        self.W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
        self.b1 = None if args.no_b1 else torch.randn(n_hidden, generator=g) * 0.01
        self.W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
        self.b2 = torch.randn(vocab_size, generator=g) * 0
        self.bngain = torch.ones((1, n_hidden))
        self.bnbias = torch.zeros((1, n_hidden))
        self.bnmean_running = torch.zeros((1, n_hidden))
        self.bnstd_running = torch.ones((1, n_hidden))
        self.parameters = [p for p in [self.C, self.W1, self.b1, self.W2, self.b2, self.bngain, self.bnbias] if p is not None]
        for p in self.parameters:
            p.requires_grad = True

    def hpreact(self, X):
        emb = self.C[X]
        h = emb.view(emb.shape[0], -1) @ self.W1
        return h if self.b1 is None else h + self.b1

    def step(self, lr, batch):
        ix = torch.randint(0, Xtr.shape[0], (batch,), generator=self.g)
        hpreact = self.hpreact(Xtr[ix])
        bnmeani = hpreact.mean(0, keepdim=True)
        bnstdi = hpreact.std(0, keepdim=True)
        hpreact = self.bngain * (hpreact - bnmeani) / bnstdi + self.bnbias
        with torch.no_grad():
            self.bnmean_running = 0.999 * self.bnmean_running + 0.001 * bnmeani
            self.bnstd_running = 0.999 * self.bnstd_running + 0.001 * bnstdi
        h = torch.tanh(hpreact)
        loss = F.cross_entropy(h @ self.W2 + self.b2, Ytr[ix])
        for p in self.parameters:
            p.grad = None
        loss.backward()
        for p in self.parameters:
            p.data += -lr * p.grad
        return loss

    @torch.no_grad()
    def split_loss(self, X, Y):
        hpreact = self.bngain * (self.hpreact(X) - self.bnmean_running) / self.bnstd_running + self.bnbias
        return F.cross_entropy(torch.tanh(hpreact) @ self.W2 + self.b2, Y).item()


blas = "unknown"
try:
    for line in open("/proc/self/maps"):
        if "libblas" in line or "openblas" in line:
            blas = line.split("/")[-1].strip()
            break
except OSError:
    pass
net = Net()
out = {
    "model": "makemore part 3 MLP + BatchNorm",
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "blas": blas,
    "params": sum(p.nelement() for p in net.parameters),
    "train_examples": Xtr.shape[0],
}
if args.mode == "init":
    out["first_loss"] = net.step(0.1, 32).item()
elif args.mode == "speed":
    out["steps_per_s"] = {}
    for batch in args.batch:
        net = Net()
        for _ in range(100):
            net.step(0.1, batch)
        rates, cpu_rates = [], []
        for _ in range(args.rounds):
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.steps):
                net.step(0.1, batch)
            rates.append(args.steps / (time.perf_counter() - t))
            cpu_rates.append(args.steps / (time.process_time() - cpu))
        out["steps_per_s"][str(batch)] = round(sorted(rates)[len(rates) // 2], 1)
        out.setdefault("rounds", {})[str(batch)] = [round(r, 1) for r in rates]
        out.setdefault("best_steps_per_s", {})[str(batch)] = round(max(rates), 1)
        out.setdefault("cpu_steps_per_s", {})[str(batch)] = round(sorted(cpu_rates)[len(rates) // 2], 1)
else:
    t = time.perf_counter()
    for i in range(200000):
        loss = net.step(0.1 if i < 100000 else 0.01, 32)
        if i % 10000 == 0:
            print(f"step {i:6d} loss {loss.item():.4f}", file=sys.stderr)
    dt = time.perf_counter() - t
    out.update(train=net.split_loss(Xtr, Ytr), dev=net.split_loss(Xdev, Ydev), test=net.split_loss(Xte, Yte))
    out.update(wall_s=round(dt, 1), steps_per_s=round(200000 / dt, 1))
print(json.dumps(out))
