/** The Python text of the exported `train.py` (see its docstring). */
export const TRAIN_PY = `"""Continues training the exported model with PyTorch, on one process or many (DDP).

    python train.py --data names.txt --steps 1000 --out run2             # one process
    torchrun --nproc_per_node 4 train.py --data names.txt --out run2     # 4 processes, current PyTorch
    # Debian's torch 1.13 on Python 3.11 (its plain torchrun fails there):
    python3 -m torch.distributed.run --redirects 2 --tee 2 --nproc_per_node 2 train.py --data names.txt

Backend: nccl when CUDA is available, else gloo. Every step draws one global batch of
--batch-size examples (the same on every process, from --seed); process r of N takes rows r,
r + N, ... (DistributedSampler's split) and DDP averages the gradients, so N processes follow the
1-process run with the same global batch. Two exceptions: a BatchNorm (mlp-bn, deep-mlp,
wavenet) normalises with each process's own rows, and for word sequences (transformer, bow, rnn,
gru) each process averages over its own non-padding positions; both are close to, not equal to,
the 1-process run. Rank 0 writes --out/model.safetensors and
--out/checkpoint.json in the playground's format: bring them back with 'lmp import --from OUT'.
A gpt trained on BPE tokens encodes --data with tokenizer.json's BPE (bpe_encoder); a
RegexTokenizer's pattern needs the 'regex' module (pip install regex).
"""
import argparse
import decimal
import hashlib
import heapq
import json
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

import model as exported

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'config.json'), encoding='utf-8') as f:
    EXPORT = json.load(f)
with open(os.path.join(HERE, 'tokenizer.json'), encoding='utf-8') as f:
    TOKENIZER = json.load(f)


def char_encoder(tokenizer):
    """Characters to ids: id 0 is the boundary, then the tokenizer's chars from 1."""
    stoi = {c: i + 1 for i, c in enumerate(tokenizer['chars'])}
    stoi[tokenizer['boundary']] = 0

    def encode(text):
        unknown = sorted({c for c in text if c not in stoi})
        if unknown:
            raise SystemExit(f'the data has characters the tokenizer does not know: {unknown[:10]}')
        return [stoi[c] for c in text]
    return encode


def bpe_encoder(bpe):
    """A byte-level BPE (tokenizer.json's 'bpe'), minbpe's encode_ordinary in plain Python.

    The text is split with the pattern (none for a BasicTokenizer), each chunk's UTF-8 bytes become
    byte ids (through byteShuffle for the GPT ranks), then the merge with the lowest id is applied,
    at every place it occurs left to right, until none applies (minbpe's _encode_chunk; a heap
    gives the same ids in n log n, for a BasicTokenizer's one long chunk). Special tokens' text is
    ordinary text: a training text is data.
    """
    ranks = {(a, b): merged for a, b, merged in bpe['merges']}
    shuffle = bpe.get('byteShuffle') or list(range(256))
    if bpe['pattern']:
        try:
            import regex  # the GPT patterns need it (possessive quantifiers, \\p{L}); re cannot
        except ImportError:
            raise SystemExit("this BPE splits text with a regex pattern: install the 'regex' "
                             "module (pip install regex; Debian: apt install python3-regex)")
        split = regex.compile(bpe['pattern']).findall
    else:
        split = lambda text: [text] if text else []

    def merge(ids):
        n = len(ids)
        after, before = list(range(1, n)) + [-1], list(range(-1, n - 1))
        heap = []

        def offer(i):
            j = after[i]
            merged = ranks.get((ids[i], ids[j])) if j >= 0 else None
            if merged is not None:
                heapq.heappush(heap, (merged, i))
        for i in range(n - 1):
            offer(i)
        while heap:
            merged, i = heapq.heappop(heap)
            j = after[i]
            if ids[i] < 0 or j < 0 or ranks.get((ids[i], ids[j])) != merged:
                continue  # stale: a neighbour was merged since
            ids[i], ids[j] = merged, -1
            after[i] = after[j]
            if after[j] >= 0:
                before[after[j]] = i
            if before[i] >= 0:
                offer(before[i])
            offer(i)
        return [t for t in ids if t >= 0]

    cache = {}

    def encode(text):
        out = []
        for chunk in split(text):
            if chunk not in cache:
                cache[chunk] = merge([shuffle[b] for b in chunk.encode('utf-8')])
            out.extend(cache[chunk])
        return out
    return encode


def make_encoder():
    """The text → ids function of tokenizer.json: a BPE ({'kind': 'bpe'}) or characters."""
    if TOKENIZER.get('kind') == 'bpe':
        return bpe_encoder(TOKENIZER['bpe'])
    return char_encoder(TOKENIZER)


def read_text(path):
    """The --data file's text as lmp reads it: UTF-8, line ends kept (no \\r\\n -> \\n)."""
    with open(path, encoding='utf-8', newline='') as f:
        return f.read()


def examples(text):
    """(X, Y) as the playground trains this family: 'contexts', 'sequences' or 'text'."""
    kind, T = EXPORT['examples'], EXPORT['config']['blockSize']
    encode = make_encoder()
    if kind == 'text':
        return torch.tensor(encode(text), dtype=torch.long), None
    words = [w.strip() for w in text.splitlines() if w.strip()]
    X, Y = [], []
    for word in words:
        ids = encode(word)
        if kind == 'contexts':  # makemore part 2: every (blockSize-context, next char) of the word
            context = [0] * T
            for ix in ids + [0]:
                X.append(context)
                Y.append(ix)
                context = context[1:] + [ix]
        else:  # makemore.py: x = <start> + word, y = word + <end>, then -1 (ignored)
            ids = ids[:T - 1]
            X.append([0] + ids + [0] * (T - 1 - len(ids)))
            Y.append(ids + [0] + [-1] * (T - 1 - len(ids)))
    return torch.tensor(X, dtype=torch.long), torch.tensor(Y, dtype=torch.long)


def batch(X, Y, rows):
    if Y is not None:
        return X[rows], Y[rows]
    T = EXPORT['config']['blockSize']  # 'text': random windows of one long text
    return torch.stack([X[i:i + T] for i in rows]), torch.stack([X[i + 1:i + T + 1] for i in rows])


def js_number(x):
    """A number as JavaScript's JSON.stringify writes it (for the checksum)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return json.dumps(x, ensure_ascii=False)
    if isinstance(x, int) or x == int(x) and abs(x) < 1e21:
        return str(int(x))
    sign, digits, exponent = decimal.Decimal(repr(x)).normalize().as_tuple()
    d, k = ''.join(map(str, digits)), len(digits)
    n = k + exponent
    text = (d + '0' * (n - k) if k <= n <= 21 else d[:n] + '.' + d[n:] if 0 < n <= 21
            else '0.' + '0' * -n + d if -6 < n <= 0
            else d[0] + ('.' + d[1:] if k > 1 else '') + 'e' + ('+' if n > 0 else '-') + str(abs(n - 1)))
    return ('-' if sign else '') + text


def canonical(value):
    """JSON with keys sorted at every level, as the playground's checkpoint checksum reads it."""
    if isinstance(value, list):
        return '[' + ','.join(canonical(v) for v in value) + ']'
    if isinstance(value, dict):
        return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' + canonical(value[k])
                              for k in sorted(value)) + '}'
    return js_number(value)


def save(out, net, step, data):
    os.makedirs(out, exist_ok=True)
    # Our names, and int32 counters (BatchNorm's num_batches_tracked is int64 in PyTorch).
    ours = {EXPORT['names'].get(name, name): value.int() if value.dtype == torch.int64 else value
            for name, value in net.state_dict().items()}
    # As lmp saves: the old weights stay as model.safetensors.previous (which lmp falls back to)
    # until the new checkpoint.json is in place, so a kill between the two files loses nothing.
    weights = os.path.join(out, 'model.safetensors')
    had_weights = os.path.exists(weights)
    if had_weights:
        os.replace(weights, weights + '.previous')
    saved = exported.save_safetensors(weights, ours, {'format': 'pt', 'step': str(step)})
    checkpoint = {
        'format': EXPORT['checkpoint']['format'], 'version': EXPORT['checkpoint']['version'],
        'config': EXPORT['config'], 'tokenizer': TOKENIZER, 'step': step,
        'weights': {'file': 'model.safetensors', 'bytes': len(saved), 'sha256': hashlib.sha256(saved).hexdigest()},
        'optimizer': None, 'generatorState': None,
        # input: the text trained on, so lmp eval and lmp sample find it without -i.
        'metadata': {'trainedWith': f'PyTorch {torch.__version__} (exported train.py)',
                     'input': os.path.abspath(data)},
    }
    checkpoint['checksum'] = 'sha256:' + hashlib.sha256(canonical(checkpoint).encode()).hexdigest()
    path = os.path.join(out, 'checkpoint.json')
    with open(path + '.tmp', 'w', encoding='utf-8') as f:
        json.dump(checkpoint, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + '.tmp', path)
    if had_weights:
        os.remove(weights + '.previous')


def main():
    run = EXPORT['run']
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True, help='the training text (one word a line, or one long text for gpt)')
    p.add_argument('--steps', type=int, default=1000)
    p.add_argument('--batch-size', type=int, default=run['batchSize'], help='global batch (all processes)')
    p.add_argument('--optimizer', choices=['sgd', 'adamw', 'adam'], default=run['optimizer'])
    p.add_argument('--lr', type=float, default=run['lr'])
    p.add_argument('--weight-decay', type=float, default=run.get('weightDecay', 0.01))
    p.add_argument('--seed', type=int, default=1337)
    p.add_argument('--log-every', type=int, default=100)
    p.add_argument('--out', default=os.path.join(HERE, 'trained'))
    args = p.parse_args()

    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    cuda = torch.cuda.is_available()
    if world > 1:
        dist.init_process_group('nccl' if cuda else 'gloo')
    if args.batch_size % world:
        raise SystemExit(f'--batch-size {args.batch_size} must be a multiple of the {world} processes')
    device = torch.device(f'cuda:{int(os.environ.get("LOCAL_RANK", "0"))}' if cuda else 'cpu')
    torch.manual_seed(args.seed)

    net = exported.build_model(EXPORT['config'])
    net.load_state_dict(exported.load_safetensors(os.path.join(HERE, 'model.safetensors')))
    net.to(device).train()
    ddp = DistributedDataParallel(net) if world > 1 else net
    X, Y = examples(read_text(args.data))
    if args.optimizer == 'sgd':
        optimizer = torch.optim.SGD(net.parameters(), lr=args.lr)
    else:
        kind = torch.optim.AdamW if args.optimizer == 'adamw' else torch.optim.Adam
        optimizer = kind(net.parameters(), lr=args.lr, betas=tuple(run.get('betas', (0.9, 0.999))),
                         weight_decay=args.weight_decay if args.optimizer == 'adamw' else 0, eps=1e-8)
    sampler = torch.Generator().manual_seed(args.seed)
    count = len(X) - EXPORT['config']['blockSize'] if Y is None else len(X)
    window = []
    for step in range(1, args.steps + 1):
        rows = torch.randint(count, (args.batch_size,), generator=sampler)[rank::world]
        xb, yb = (t.to(device) for t in batch(X, Y, rows))
        # The family's loss with its forward called through DDP (whose hooks average the gradients).
        loss = type(net).loss(ddp, xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        window.append(loss.detach())
        if step % args.log_every == 0 or step == args.steps:
            # The mean training loss since the last line, over all processes.
            mean = torch.stack(window).mean()
            if world > 1:
                dist.all_reduce(mean)
                mean /= world
            window = []
            if rank == 0:
                print(json.dumps({'step': EXPORT['step'] + step, 'loss': mean.item()}), flush=True)
    if rank == 0:
        save(args.out, net, EXPORT['step'] + args.steps, args.data)
    if world > 1:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;
