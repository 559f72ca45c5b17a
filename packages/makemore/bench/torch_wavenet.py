#!/usr/bin/env python3
"""makemore part 5's WaveNet-style hierarchy in PyTorch on the CPU, as a side-by-side reference.

In the style of ../../../../shared/bench/torch_mlp.py (the part 2 MLP).
Install once:   apt-get update && apt-get install -y python3-torch libopenblas0-pthread
Run:            /usr/bin/python3 torch_wavenet.py --mode speed --batch 32 --threads 1
                /usr/bin/python3 torch_wavenet.py --mode init      # parameter count, first loss
                /usr/bin/python3 torch_wavenet.py --mode full      # the lecture's 200,000 steps

Setup (every mode): names.txt, random.seed(42) shuffle, 80/10/10 split, context 8, vocab 27, the
lecture's own layer classes (Embedding, FlattenConsecutive, Linear, BatchNorm1d, Tanh, Sequential):
    Embedding(27, 24)
    FlattenConsecutive(2), Linear(48, 128, bias=False),  BatchNorm1d(128), Tanh()
    FlattenConsecutive(2), Linear(256, 128, bias=False), BatchNorm1d(128), Tanh()
    FlattenConsecutive(2), Linear(256, 128, bias=False), BatchNorm1d(128), Tanh()
    Linear(128, 27); its weight * 0.1                    # 76,579 parameters
torch.manual_seed(42) before the model (here an explicit torch.Generator().manual_seed(42): the
same stream); Embedding randn, Linear randn(fan_in, fan_out) / fan_in**0.5 and a zero bias, drawn in
layer order. BatchNorm1d: eps 1e-5, momentum 0.1, statistics over (0, 1) for 3-d input; the
lecture normalises with the *unbiased* variance (--bn lecture, default); --bn torch uses the biased
one, as torch.nn.BatchNorm1d (and our nn.BatchNorm1d) do. Minibatches torch.randint(0, n, (batch,))
from the same generator, plain SGD, lr 0.1 (full: 0.01 from step 150,000).

Prints one JSON object on stdout:
    speed: {"model", "params", "threads", "blas", "steps_per_s": {"32": median}, "rounds": {"32": [...]},
            "best_steps_per_s": {"32": fastest round}, "cpu_steps_per_s": {"32": median}}
           (cpu: steps per second of the process's CPU time; on a busy machine the fastest round
           and the CPU time are closer than the median to what an idle one gives)
    init:  {"params", "first_loss", "first_loss_lecture_bn", "first_loss_torch_bn"}  (step 0's
           minibatch, before any update, with each BatchNorm variance)
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
ap.add_argument("--steps", type=int, default=300, help="timed steps per round in speed mode")
ap.add_argument("--rounds", type=int, default=5, help="timed rounds per batch size in speed mode")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--bn", choices=["lecture", "torch"], default="lecture", help="variance BatchNorm normalises with")
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
block_size = 8
n_embd, n_hidden = 24, 128


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

# The lecture's layers (without the `.out` each keeps for its plots).


class Linear:
    def __init__(self, fan_in, fan_out, g, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        out = x @ self.weight
        return out if self.bias is None else out + self.bias

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)
        self.unbiased = args.bn == "lecture"

    def __call__(self, x):
        if self.training:
            dim = 0 if x.ndim == 2 else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)  # unbiased: the lecture's normalisation and running estimate
            norm_var = xvar if self.unbiased else x.var(dim, keepdim=True, unbiased=False)
        else:
            xmean, norm_var = self.running_mean, self.running_var
        out = self.gamma * (x - xmean) / torch.sqrt(norm_var + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        return torch.tanh(x)

    def parameters(self):
        return []


class Embedding:
    def __init__(self, num_embeddings, embedding_dim, g):
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=g)

    def __call__(self, IX):
        return self.weight[IX]

    def parameters(self):
        return [self.weight]


class FlattenConsecutive:
    def __init__(self, n):
        self.n = n

    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        return x.squeeze(1) if x.shape[1] == 1 else x

    def parameters(self):
        return []


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def make_model():
    """The lecture's model from seed 42; the same generator then draws the minibatches."""
    g = torch.Generator().manual_seed(42)
    model = Sequential([
        Embedding(vocab_size, n_embd, g),
        FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
        FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
        FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
        Linear(n_hidden, vocab_size, g),
    ])
    with torch.no_grad():
        model.layers[-1].weight *= 0.1
    for p in model.parameters():
        p.requires_grad = True
    return model, g


def step(model, g, lr, batch):
    ix = torch.randint(0, Xtr.shape[0], (batch,), generator=g)
    loss = F.cross_entropy(model(Xtr[ix]), Ytr[ix])
    for p in model.parameters():
        p.grad = None
    loss.backward()
    for p in model.parameters():
        p.data += -lr * p.grad
    return loss


@torch.no_grad()
def split_loss(model, X, Y):
    for layer in model.layers:
        layer.training = False
    return F.cross_entropy(model(X), Y).item()


blas = "unknown"
try:
    for line in open("/proc/self/maps"):
        if "libblas" in line or "openblas" in line:
            blas = line.split("/")[-1].strip()
            break
except OSError:
    pass
model, g = make_model()
out = {
    "model": "makemore part 5 WaveNet",
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "blas": blas,
    "bn": args.bn,
    "params": sum(p.nelement() for p in model.parameters()),
    "train_examples": Xtr.shape[0],
}
if args.mode == "init":
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    with torch.no_grad():
        for unbiased in (True, False):
            for layer in model.layers:
                layer.unbiased = unbiased
            key = "first_loss_lecture_bn" if unbiased else "first_loss_torch_bn"
            out[key] = F.cross_entropy(model(Xtr[ix]), Ytr[ix]).item()
    out["first_loss"] = out["first_loss_lecture_bn" if args.bn == "lecture" else "first_loss_torch_bn"]
elif args.mode == "speed":
    out["steps_per_s"] = {}
    for batch in args.batch:
        model, g = make_model()
        for _ in range(50):
            step(model, g, 0.1, batch)
        rates, cpu_rates = [], []
        for _ in range(args.rounds):
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.steps):
                step(model, g, 0.1, batch)
            rates.append(args.steps / (time.perf_counter() - t))
            cpu_rates.append(args.steps / (time.process_time() - cpu))
        out["steps_per_s"][str(batch)] = round(sorted(rates)[len(rates) // 2], 1)
        out.setdefault("rounds", {})[str(batch)] = [round(r, 1) for r in rates]
        out.setdefault("best_steps_per_s", {})[str(batch)] = round(max(rates), 1)
        out.setdefault("cpu_steps_per_s", {})[str(batch)] = round(sorted(cpu_rates)[len(rates) // 2], 1)
else:
    t = time.perf_counter()
    for i in range(200000):
        loss = step(model, g, 0.1 if i < 150000 else 0.01, 32)
        if i % 10000 == 0:
            print(f"step {i:6d} loss {loss.item():.4f}", file=sys.stderr)
    dt = time.perf_counter() - t
    out.update(train=split_loss(model, Xtr, Ytr), dev=split_loss(model, Xdev, Ydev), test=split_loss(model, Xte, Yte))
    out.update(wall_s=round(dt, 1), steps_per_s=round(200000 / dt, 1))
print(json.dumps(out))
