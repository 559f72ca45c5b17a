#!/usr/bin/env python3
"""makemore.py's model zoo (bow, rnn, gru, transformer) in PyTorch on the CPU, as a side-by-side reference.

The models are karpathy/makemore's makemore.py (commit 988aa59, MIT licence, (c) Andrej Karpathy)
copied as they are; the setup is its `__main__`:
    torch.manual_seed(3407); words = names.txt's lines, stripped, non-empty; vocab = sorted chars + the
    0 token (27); block size = longest word + 1 (16); test set = the last min(1000, 10%) words of
    torch.randperm(len(words)) (1,000), the rest to train (31,033); CharDataset: x = [0, w…] padded
    with 0, y = [w…, 0] padded with -1; then the model (its inits drawn after the permutation);
    AdamW(lr 5e-4, weight_decay 0.01, betas (0.9, 0.99), eps 1e-8) over every parameter; batch 32.
NOTE: makemore.py draws minibatches through a DataLoader (RandomSampler with replacement, 4 worker
processes); this draws the same distribution in-process, torch.randint(0, n, (32,)) on the global
generator, so speed measures the model and not Python's data loading. Our `makemoreRun`
(scripts/zoo-runs.ts) draws from its generator in the same order (permutation, weights, batches),
so the two runs see the same minibatches: test loss 2.2020 / 2.1452 at steps 500 / 1,000 in both.

Install once:   apt-get update && apt-get install -y python3-torch libopenblas0-pthread
Run:            /usr/bin/python3 torch_zoo.py --type transformer --mode init   # parameters, first loss
                /usr/bin/python3 torch_zoo.py --type gru --mode speed --threads 1
                /usr/bin/python3 torch_zoo.py --type transformer --mode train --steps 20000 --eval-every 500 --target 1.95
                /usr/bin/python3 torch_zoo.py --mode split                      # the train/test words

Prints one JSON object on stdout:
    init:  {"params", "block_size", "vocab_size", "first_loss"}; first_loss: a model from
           torch.manual_seed(--seed) (nothing drawn before it) on a fixed batch, CharDataset rows of
           the first 32 words of the file in file order; ours draws the same numbers from the same seed
    speed: {"steps_per_s": {"32": median}, "best_steps_per_s", "cpu_steps_per_s", "rounds"} (one AdamW
           step: batch draw, forward, backward, update; 50 warm-up steps; cpu: per CPU second)
    train: {"curve": [[step, seconds, test_loss], …], "reached": [step, seconds] | null, "steps_per_s",
           "test_loss", "makemore_test_loss"}: the test loss every --eval-every steps over the whole
           test set (the mean over its target tokens; makemore_test_loss is makemore's `evaluate`:
           the mean of 10 batch means of 100 words) and the training seconds so far (evaluation time
           not counted); stops at the first evaluation ≤ --target, at --steps, or past --max-seconds
    split: {"train": [words], "test": [words]} (makemore's partition for --seed)
"""
import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--names", default=os.path.join(here, "..", "..", "..", "..", "shared", "data", "names.txt"))
ap.add_argument("--type", choices=["bow", "rnn", "gru", "transformer"], default="transformer")
ap.add_argument("--mode", choices=["init", "speed", "train", "split"], default="init")
ap.add_argument("--seed", type=int, default=3407)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--batch", type=int, nargs="+", default=[32], help="batch sizes (speed) / the batch size (train)")
ap.add_argument("--steps", type=int, default=100, help="speed: timed steps per round; train: the most steps")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--eval-every", type=int, default=500)
ap.add_argument("--target", type=float, default=None, help="train: stop at the first test loss <= this")
ap.add_argument("--max-seconds", type=float, default=float("inf"), help="train: stop after this many training seconds")
args = ap.parse_args()
torch.set_num_threads(args.threads)


# ---- makemore.py's models, as they are ------------------------------------------------------------

@dataclass
class ModelConfig:
    block_size: int = None
    vocab_size: int = None
    n_layer: int = 4
    n_embd: int = 64
    n_embd2: int = 64
    n_head: int = 4


class NewGELU(nn.Module):
    def forward(self, x):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class CausalSelfAttention(nn.Module):
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


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = nn.ModuleDict(dict(
            c_fc=nn.Linear(config.n_embd, 4 * config.n_embd),
            c_proj=nn.Linear(4 * config.n_embd, config.n_embd),
            act=NewGELU(),
        ))
        m = self.mlp
        self.mlpf = lambda x: m.c_proj(m.act(m.c_fc(x)))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlpf(self.ln_2(x))
        return x


class Transformer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.block_size = config.block_size
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.block_size, config.n_embd),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(config.n_embd),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}, block size is only {self.block_size}"
        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


class CausalBoW(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.block_size = config.block_size
        self.register_buffer("bias", torch.tril(torch.ones(config.block_size, config.block_size))
                             .view(1, config.block_size, config.block_size))

    def forward(self, x):
        B, T, C = x.size()
        att = torch.zeros((B, T, T), device=x.device)
        att = att.masked_fill(self.bias[:, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        return att @ x


class BoWBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.cbow = CausalBoW(config)
        self.mlp = nn.ModuleDict(dict(
            c_fc=nn.Linear(config.n_embd, config.n_embd2),
            c_proj=nn.Linear(config.n_embd2, config.n_embd),
        ))
        m = self.mlp
        self.mlpf = lambda x: m.c_proj(F.tanh(m.c_fc(x)))

    def forward(self, x):
        x = x + self.cbow(x)
        x = x + self.mlpf(x)
        return x


class BoW(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.block_size = config.block_size
        self.vocab_size = config.vocab_size
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)
        self.context_block = BoWBlock(config)
        self.lm_head = nn.Linear(config.n_embd, self.vocab_size)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        assert t <= self.block_size, f"Cannot forward sequence of length {t}, block size is only {self.block_size}"
        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)
        x = self.wte(idx) + self.wpe(pos)
        x = self.context_block(x)
        logits = self.lm_head(x)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


class RNNCell(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.xh_to_h = nn.Linear(config.n_embd + config.n_embd2, config.n_embd2)

    def forward(self, xt, hprev):
        xh = torch.cat([xt, hprev], dim=1)
        return F.tanh(self.xh_to_h(xh))


class GRUCell(nn.Module):
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


class RNN(nn.Module):
    def __init__(self, config, cell_type):
        super().__init__()
        self.block_size = config.block_size
        self.vocab_size = config.vocab_size
        self.start = nn.Parameter(torch.zeros(1, config.n_embd2))
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        if cell_type == 'rnn':
            self.cell = RNNCell(config)
        elif cell_type == 'gru':
            self.cell = GRUCell(config)
        self.lm_head = nn.Linear(config.n_embd2, self.vocab_size)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        emb = self.wte(idx)
        hprev = self.start.expand((b, -1))
        hiddens = []
        for i in range(t):
            xt = emb[:, i, :]
            ht = self.cell(xt, hprev)
            hprev = ht
            hiddens.append(ht)
        hidden = torch.stack(hiddens, 1)
        logits = self.lm_head(hidden)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


# ---- makemore.py's data ---------------------------------------------------------------------------

words = [w.strip() for w in open(args.names).read().splitlines()]
words = [w for w in words if w]
chars = sorted(list(set(''.join(words))))
max_word_length = max(len(w) for w in words)
stoi = {ch: i + 1 for i, ch in enumerate(chars)}
config = ModelConfig(vocab_size=len(chars) + 1, block_size=max_word_length + 1)


def char_dataset(ws):
    """CharDataset's rows for `ws`, stacked: X [n, block] (0-padded), Y [n, block] (-1-padded)."""
    X = torch.zeros(len(ws), max_word_length + 1, dtype=torch.long)
    Y = torch.zeros(len(ws), max_word_length + 1, dtype=torch.long)
    for i, w in enumerate(ws):
        ix = torch.tensor([stoi[c] for c in w], dtype=torch.long)
        X[i, 1:1 + len(ix)] = ix
        Y[i, :len(ix)] = ix
        Y[i, len(ix) + 1:] = -1
    return X, Y


def make_model():
    if args.type == 'transformer':
        return Transformer(config)
    if args.type == 'bow':
        return BoW(config)
    return RNN(config, cell_type=args.type)


def setup():
    """makemore.py's __main__ up to the optimizer: seed, permutation, model, AdamW."""
    torch.manual_seed(args.seed)
    test_set_size = min(1000, int(len(words) * 0.1))
    rp = torch.randperm(len(words)).tolist()
    train_words = [words[i] for i in rp[:-test_set_size]]
    test_words = [words[i] for i in rp[-test_set_size:]]
    model = make_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
    return train_words, test_words, model, optimizer


def step(model, optimizer, Xtr, Ytr, batch):
    ix = torch.randint(0, Xtr.shape[0], (batch,))
    _, loss = model(Xtr[ix], Ytr[ix])
    model.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


@torch.no_grad()
def test_losses(model, X, Y):
    """The mean loss over every target token, and makemore's evaluate (mean of batch means of 100)."""
    model.eval()
    logits, _ = model(X, Y)
    per_token = F.cross_entropy(logits.view(-1, logits.size(-1)), Y.view(-1), ignore_index=-1)
    batch_means = [model(X[i:i + 100], Y[i:i + 100])[1].item() for i in range(0, X.shape[0], 100)][:11]
    model.train()
    return per_token.item(), sum(batch_means) / len(batch_means)


out = {"model": f"makemore.py {args.type}", "torch": torch.__version__, "threads": torch.get_num_threads()}
if args.mode == "split":
    train_words, test_words, _, _ = setup()
    out.update(train=train_words, test=test_words)
elif args.mode == "init":
    torch.manual_seed(args.seed)
    model = make_model()
    X, Y = char_dataset(words[:32])
    with torch.no_grad():
        _, loss = model(X, Y)
    out.update(params=sum(p.numel() for p in model.parameters()), block_size=config.block_size,
               vocab_size=config.vocab_size, first_loss=loss.item())
else:
    train_words, test_words, model, optimizer = setup()
    Xtr, Ytr = char_dataset(train_words)
    Xte, Yte = char_dataset(test_words)
    out["params"] = sum(p.numel() for p in model.parameters())
    if args.mode == "speed":
        out["steps_per_s"] = {}
        for batch in args.batch:
            for _ in range(50):
                step(model, optimizer, Xtr, Ytr, batch)
            rates, cpu_rates = [], []
            for _ in range(args.rounds):
                t, cpu = time.perf_counter(), time.process_time()
                for _ in range(args.steps):
                    step(model, optimizer, Xtr, Ytr, batch)
                rates.append(args.steps / (time.perf_counter() - t))
                cpu_rates.append(args.steps / (time.process_time() - cpu))
            out["steps_per_s"][str(batch)] = round(sorted(rates)[len(rates) // 2], 2)
            out.setdefault("rounds", {})[str(batch)] = [round(r, 2) for r in rates]
            out.setdefault("best_steps_per_s", {})[str(batch)] = round(max(rates), 2)
            out.setdefault("cpu_steps_per_s", {})[str(batch)] = round(sorted(cpu_rates)[len(rates) // 2], 2)
    else:
        curve, reached, seconds, done = [], None, 0.0, 0
        while done < args.steps and seconds < args.max_seconds:
            chunk = min(args.eval_every, args.steps - done)
            t = time.perf_counter()
            for _ in range(chunk):
                step(model, optimizer, Xtr, Ytr, args.batch[0])
            seconds += time.perf_counter() - t
            done += chunk
            loss, makemore_loss = test_losses(model, Xte, Yte)
            curve.append([done, round(seconds, 2), round(loss, 4)])
            print(f"step {done} {seconds:.1f} s test loss {loss:.4f} (makemore's evaluate {makemore_loss:.4f})", file=sys.stderr)
            if args.target is not None and loss <= args.target:
                reached = [done, round(seconds, 2)]
                break
        out.update(curve=curve, reached=reached, steps_per_s=round(done / seconds, 2),
                   test_loss=curve[-1][2], makemore_test_loss=round(makemore_loss, 4))
print(json.dumps(out))
