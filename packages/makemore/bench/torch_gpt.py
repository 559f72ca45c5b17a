#!/usr/bin/env python3
"""The "let's build GPT" lecture's character-level model in PyTorch on the CPU, as a side-by-side reference.

The modules are karpathy/ng-video-lecture's gpt.py (Head, MultiHeadAttention, FeedFoward, Block,
the GPTLanguageModel with its _init_weights: Linear and Embedding N(0, 0.02), biases 0), with its
hyperparameters as arguments, and each rung of the lecture's ladder as --architecture, built as
our `gpt` family builds it (packages/makemore/src/families/gpt):
    bigram        bigram.py: an Embedding(V, V) of next-character logits (its default N(0, 1) init)
    one-head      token + position embeddings, Head(n_embd) (head size n_embd), lm_head
    multi-head    ... MultiHeadAttention(n_head, n_embd // n_head) with its projection, lm_head
    feed-forward  ... + FeedFoward(n_embd), lm_head
    blocks        gpt.py: n_layer Blocks (x + sa(ln1(x)), x + ffwd(ln2(x))), ln_f, lm_head
Data as gpt.py: the text's sorted characters as the vocabulary, the first 90% to train, the rest to
validate; batches torch.randint(len(train) - block, (batch,)) windows; AdamW(lr) with PyTorch's
defaults otherwise (betas (0.9, 0.999), weight_decay 0.01), as gpt.py.
The batches come from the global generator right after the weights, as ours come from the one
generator that drew our weights: without dropout both runs see the same batches (the ladder's val
losses agree to about 1e-3 after thousands of steps); dropout masks are drawn differently.
NOTE: the validation loss here is our `evaluate`'s (every validation character predicted once:
non-overlapping blocks of block_size, in eval mode), not gpt.py's estimate_loss (200 random batches).

Install once:   apt-get update && apt-get install -y python3-torch libopenblas0-pthread
Run:            /usr/bin/python3 torch_gpt.py --text book.txt --mode init      # parameters, first loss
                /usr/bin/python3 torch_gpt.py --text book.txt --mode speed --threads 1
                /usr/bin/python3 torch_gpt.py --text book.txt --mode train --steps 3000 --eval-every 250 --target 1.8
Defaults: the `cpu` preset (blocks, block 32, n_embd 64, 4 heads, 3 layers, dropout 0, lr 1e-3, batch 32).

Prints one JSON object on stdout:
    init:  {"params", "vocab_size", "first_loss"}: a model from torch.manual_seed(--seed) (nothing drawn
           before it) on a fixed batch, the training windows starting at 0, 1000, 2000, … (--batch of
           them); ours draws the same weights from the same seed
    speed: {"steps_per_s": {"32": median}, "best_steps_per_s", "cpu_steps_per_s", "rounds"}
    train: {"curve": [[step, seconds, val_loss], …], "reached": [step, seconds] | null, "steps_per_s",
           "val_loss", "sample"}: the validation loss every --eval-every steps and the training
           seconds so far (evaluation not counted); stops at the first ≤ --target, at --steps, or past
           --max-seconds; then 300 characters sampled from a newline
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--text", required=True, help="a UTF-8 text file (the bench writes the bundled book to one)")
ap.add_argument("--mode", choices=["init", "speed", "train"], default="init")
ap.add_argument("--architecture", choices=["bigram", "one-head", "multi-head", "feed-forward", "blocks"], default="blocks")
ap.add_argument("--block-size", type=int, default=32)
ap.add_argument("--n-embd", type=int, default=64)
ap.add_argument("--n-head", type=int, default=4)
ap.add_argument("--n-layer", type=int, default=3)
ap.add_argument("--dropout", type=float, default=0.0)
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--seed", type=int, default=1337)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--steps", type=int, default=100, help="speed: timed steps per round; train: the most steps")
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--eval-every", type=int, default=250)
ap.add_argument("--target", type=float, default=None)
ap.add_argument("--max-seconds", type=float, default=float("inf"))
args = ap.parse_args()
torch.set_num_threads(args.threads)
block_size, n_embd, n_head, n_layer, dropout = args.block_size, args.n_embd, args.n_head, args.n_layer, args.dropout

text = open(args.text, encoding="utf-8").read()
chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]


# ---- gpt.py's modules -----------------------------------------------------------------------------

class Head(nn.Module):
    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1]**-0.5
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))
        wei = F.softmax(wei, dim=-1)
        wei = self.dropout(wei)
        v = self.value(x)
        return wei @ v


class MultiHeadAttention(nn.Module):
    def __init__(self, num_heads, head_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        out = torch.cat([h(x) for h in self.heads], dim=-1)
        return self.dropout(self.proj(out))


class FeedFoward(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.ReLU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        head_size = n_embd // n_head
        self.sa = MultiHeadAttention(n_head, head_size)
        self.ffwd = FeedFoward(n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        x = x + self.ffwd(self.ln2(x))
        return x


class GPTLanguageModel(nn.Module):
    """gpt.py's model; `architecture` keeps only the lecture's earlier rungs' modules (see above)."""

    def __init__(self, architecture):
        super().__init__()
        self.architecture = architecture
        if architecture == "bigram":
            self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)
            return
        if n_embd % n_head != 0:
            raise ValueError(f"embed_dim must be divisible by num_heads (n_embd {n_embd}, n_head {n_head})")
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        if architecture == "one-head":
            self.sa_head = Head(n_embd)
        if architecture in ("multi-head", "feed-forward"):
            self.sa_heads = MultiHeadAttention(n_head, n_embd // n_head)
        if architecture == "feed-forward":
            self.ffwd = FeedFoward(n_embd)
        if architecture == "blocks":
            self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        if self.architecture == "bigram":
            logits = self.token_embedding_table(idx)
        else:
            x = self.token_embedding_table(idx) + self.position_embedding_table(torch.arange(T))
            for name in ("sa_head", "sa_heads", "ffwd", "blocks", "ln_f"):
                if hasattr(self, name):
                    x = getattr(self, name)(x)
            logits = self.lm_head(x)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(B * T, -1), targets.reshape(B * T), ignore_index=-1)
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -block_size:])
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


def get_batch(batch):
    ix = torch.randint(len(train_data) - block_size, (batch,))
    x = torch.stack([train_data[i:i + block_size] for i in ix])
    y = torch.stack([train_data[i + 1:i + block_size + 1] for i in ix])
    return x, y


@torch.no_grad()
def val_loss(model):
    """Every validation character after the first predicted once: blocks 0, T, 2T, … (the last padded)."""
    model.eval()
    T = block_size
    m = -(-(len(val_data) - 1) // T)
    X = torch.zeros(m * T, dtype=torch.long)
    Y = torch.full((m * T,), -1, dtype=torch.long)
    X[:len(val_data)] = val_data[:m * T]
    Y[:len(val_data) - 1] = val_data[1:m * T + 1]
    X, Y = X.view(m, T), Y.view(m, T)
    total, count = 0.0, 0
    for i in range(0, m, 256):
        _, loss = model(X[i:i + 256], Y[i:i + 256])
        k = int((Y[i:i + 256] != -1).sum())
        total, count = total + loss.item() * k, count + k
    model.train()
    return total / count


torch.manual_seed(args.seed)
model = GPTLanguageModel(args.architecture)
out = {"model": f"gpt.py {args.architecture}", "torch": torch.__version__, "threads": torch.get_num_threads(),
       "params": sum(p.numel() for p in model.parameters()), "vocab_size": vocab_size}
if args.mode == "init":
    starts = [1000 * i for i in range(args.batch)]
    X = torch.stack([train_data[i:i + block_size] for i in starts])
    Y = torch.stack([train_data[i + 1:i + block_size + 1] for i in starts])
    model.eval()
    with torch.no_grad():
        out["first_loss"] = model(X, Y)[1].item()
else:
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)

    def step():
        x, y = get_batch(args.batch)
        _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    if args.mode == "speed":
        for _ in range(20):
            step()
        rates, cpu_rates = [], []
        for _ in range(args.rounds):
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.steps):
                step()
            rates.append(args.steps / (time.perf_counter() - t))
            cpu_rates.append(args.steps / (time.process_time() - cpu))
        key = str(args.batch)
        out.update(steps_per_s={key: round(sorted(rates)[len(rates) // 2], 2)},
                   rounds={key: [round(r, 2) for r in rates]}, best_steps_per_s={key: round(max(rates), 2)},
                   cpu_steps_per_s={key: round(sorted(cpu_rates)[len(rates) // 2], 2)})
    else:
        curve, reached, seconds, done = [], None, 0.0, 0
        while done < args.steps and seconds < args.max_seconds:
            chunk = min(args.eval_every, args.steps - done)
            t = time.perf_counter()
            for _ in range(chunk):
                step()
            seconds += time.perf_counter() - t
            done += chunk
            loss = val_loss(model)
            curve.append([done, round(seconds, 2), round(loss, 4)])
            print(f"step {done} {seconds:.1f} s val loss {loss:.4f}", file=sys.stderr)
            if args.target is not None and loss <= args.target:
                reached = [done, round(seconds, 2)]
                break
        model.eval()
        start = torch.full((1, 1), stoi.get("\n", 0), dtype=torch.long)
        sample = "".join(itos[i] for i in model.generate(start, 300)[0].tolist())
        out.update(curve=curve, reached=reached, steps_per_s=round(done / seconds, 2), val_loss=curve[-1][2],
                   sample=sample)
print(json.dumps(out))
