/**
 * The Python text of the exported `model.py`: a safetensors reader/writer in plain torch (no
 * `safetensors` package needed) and one `torch.nn` class per family, with our attribute names so
 * `load_state_dict` takes our weights unchanged. Kept as readable Python, not built up by code:
 * what the user opens is what is written here.
 */

/** The file's head: imports and the safetensors helpers. `{{TITLE}}` is replaced by the export. */
export const MODEL_HEAD = `"""{{TITLE}}, exported from llm-playground: plain torch.nn, no other dependency.

    import json, model
    exported = json.load(open('config.json'))
    net = model.build_model(exported['config'])
    net.load_state_dict(model.load_safetensors('model.safetensors'))

Attribute names are the playground's (camelCase), so the state dict names are the same in both;
Linear weights are [out_features, in_features] in both, as PyTorch's. The initial values drawn
here are placeholders: the trained weights come from model.safetensors.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'I64': torch.int64}


def load_safetensors(path):
    """Reads a .safetensors file: an 8-byte little-endian header length, a JSON header, the data."""
    with open(path, 'rb') as f:
        data = f.read()
    (length,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[info['dtype']]) if end > start \\
            else torch.empty(0, dtype=DTYPES[info['dtype']])
        tensors[name] = flat.reshape(info['shape']).clone()
    return tensors


def save_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} as .safetensors (widest dtype first, then by name), atomically."""
    codes = {dtype: code for code, dtype in DTYPES.items()}
    header = {'__metadata__': metadata} if metadata else {}
    chunks, offset = [], 0
    for name in sorted(tensors, key=lambda n: (-tensors[n].element_size(), n)):
        t = tensors[name].detach().cpu().contiguous()
        raw = t.numpy().tobytes()
        header[name] = {'dtype': codes[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(',', ':')).encode()
    head += b' ' * (-len(head) % 8)
    blob = struct.pack('<Q', len(head)) + head + b''.join(chunks)
    with open(path + '.tmp', 'wb') as f:
        f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + '.tmp', path)
    return blob

`;

/** mlp and mlp-bn: makemore part 2's MLP, with part 3's hand-written BatchNorm. */
export const MLP_PY = `
class MLP(nn.Module):
    """Bengio et al. (2003), makemore part 2: logits = tanh(C[X].view(B, -1) @ W1 + b1) @ W2 + b2.

    With batchNorm (mlp-bn), part 3's BatchNorm of the pre-activation: (h - mean) / std with the
    *unbiased* std and no eps (not nn.BatchNorm1d), and running mean and std at momentum 0.001.
    """

    def __init__(self, config):
        super().__init__()
        V, T = config['vocabSize'], config['blockSize']
        E, H = config.get('nEmbd', 10), config.get('nHidden', 200)
        self.blockSize = T
        self.C = nn.Parameter(torch.randn(V, E))
        self.W1 = nn.Parameter(torch.randn(T * E, H) * (5 / 3) / (T * E) ** 0.5)
        self.b1 = nn.Parameter(torch.randn(H) * 0.01)
        self.W2 = nn.Parameter(torch.randn(H, V) * 0.01)
        self.b2 = nn.Parameter(torch.zeros(V))
        self.batchNorm = bool(config.get('batchNorm', False))
        if self.batchNorm:
            self.bngain = nn.Parameter(torch.ones(H))
            self.bnbias = nn.Parameter(torch.zeros(H))
            self.register_buffer('bnmean_running', torch.zeros(H))
            self.register_buffer('bnstd_running', torch.ones(H))

    def forward(self, idx):
        """idx: int64 [B, blockSize] contexts -> logits [B, vocabSize]."""
        h = self.C[idx].view(idx.shape[0], -1) @ self.W1 + self.b1
        if self.batchNorm:
            if self.training:
                mean, std = h.mean(0, keepdim=True), h.std(0, keepdim=True)
                with torch.no_grad():
                    self.bnmean_running.copy_(0.999 * self.bnmean_running + 0.001 * mean.view(-1))
                    self.bnstd_running.copy_(0.999 * self.bnstd_running + 0.001 * std.view(-1))
            else:
                mean, std = self.bnmean_running, self.bnstd_running
            h = self.bngain * (h - mean) / std + self.bnbias
        return torch.tanh(h) @ self.W2 + self.b2

    def loss(self, idx, targets):
        return F.cross_entropy(self(idx), targets.view(-1))


def build_model(config):
    return MLP(config)
`;

/** Shared by the sequence models: the loss over every position whose target is not -1. */
const SEQUENCE_LOSS = `
    def loss(self, idx, targets):
        """Mean cross-entropy over the positions whose target is not -1 (makemore.py's)."""
        logits = self(idx)
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-1)
`;

/** transformer: makemore.py's GPT-2 blocks. */
export const TRANSFORMER_PY = `
class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention with one Linear for q, k, v (nanoGPT's)."""

    def __init__(self, nEmbd, nHead, blockSize):
        super().__init__()
        self.nHead = nHead
        self.cAttn = nn.Linear(nEmbd, 3 * nEmbd)
        self.cProj = nn.Linear(nEmbd, nEmbd)
        self.register_buffer('bias', torch.tril(torch.ones(blockSize, blockSize)).view(1, 1, blockSize, blockSize))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.cAttn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.nHead, C // self.nHead).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / k.size(-1) ** 0.5)
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf')).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.cProj(y)


class Block(nn.Module):
    """x + attn(ln1(x)), then x + cProj(gelu(cFc(ln2(x)))) with the tanh GELU."""

    def __init__(self, nEmbd, nHead, blockSize):
        super().__init__()
        self.ln1 = nn.LayerNorm(nEmbd)
        self.attn = CausalSelfAttention(nEmbd, nHead, blockSize)
        self.ln2 = nn.LayerNorm(nEmbd)
        self.cFc = nn.Linear(nEmbd, 4 * nEmbd)
        self.cProj = nn.Linear(4 * nEmbd, nEmbd)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.cProj(F.gelu(self.cFc(self.ln2(x)), approximate='tanh'))


class Transformer(nn.Module):
    """makemore.py's Transformer (its transformer.h.0.attn.c_attn is h.0.attn.cAttn here)."""

    def __init__(self, config):
        super().__init__()
        V, T = config['vocabSize'], config['blockSize']
        E, L, H = config['nEmbd'], config['nLayer'], config['nHead']
        self.blockSize = T
        self.wte = nn.Embedding(V, E)
        self.wpe = nn.Embedding(T, E)
        self.h = nn.ModuleList([Block(E, H, T) for _ in range(L)])
        self.lnF = nn.LayerNorm(E)
        self.lmHead = nn.Linear(E, V, bias=False)

    def forward(self, idx):
        """idx: int64 [B, T], T <= blockSize -> logits [B, T, vocabSize]."""
        T = idx.size(1)
        assert T <= self.blockSize, f'Cannot forward sequence of length {T}, block size is only {self.blockSize}'
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for block in self.h:
            x = block(x)
        return self.lmHead(self.lnF(x))
${SEQUENCE_LOSS}

def build_model(config):
    return Transformer(config)
`;

/** gpt: the "let's build GPT" lecture's model, every rung of its ladder. */
export const GPT_PY = `
class Head(nn.Module):
    """One head of causal self-attention (no biases), weights scaled by headSize ** -0.5."""

    def __init__(self, nEmbd, headSize, blockSize, dropout):
        super().__init__()
        self.key = nn.Linear(nEmbd, headSize, bias=False)
        self.query = nn.Linear(nEmbd, headSize, bias=False)
        self.value = nn.Linear(nEmbd, headSize, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(blockSize, blockSize)))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        T = x.size(1)
        k, q = self.key(x), self.query(x)
        wei = (q @ k.transpose(-2, -1)) * k.size(-1) ** -0.5
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf')).softmax(dim=-1)
        return self.dropout(wei) @ self.value(x)


class MultiHeadAttention(nn.Module):
    """numHeads heads in parallel, concatenated, then a projection."""

    def __init__(self, nEmbd, numHeads, headSize, blockSize, dropout):
        super().__init__()
        self.heads = nn.ModuleList([Head(nEmbd, headSize, blockSize, dropout) for _ in range(numHeads)])
        self.proj = nn.Linear(numHeads * headSize, nEmbd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.proj(torch.cat([h(x) for h in self.heads], dim=-1)))


class FeedForward(nn.Module):
    def __init__(self, nEmbd, dropout):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(nEmbd, 4 * nEmbd), nn.ReLU(), nn.Linear(4 * nEmbd, nEmbd), nn.Dropout(dropout))

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    """x + sa(ln1(x)), then x + ffwd(ln2(x))."""

    def __init__(self, nEmbd, nHead, blockSize, dropout):
        super().__init__()
        self.sa = MultiHeadAttention(nEmbd, nHead, nEmbd // nHead, blockSize, dropout)
        self.ffwd = FeedForward(nEmbd, dropout)
        self.ln1 = nn.LayerNorm(nEmbd)
        self.ln2 = nn.LayerNorm(nEmbd)

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        return x + self.ffwd(self.ln2(x))


class GPT(nn.Module):
    """The lecture's GPT at one rung of its ladder: config['architecture'] is 'bigram', 'one-head',
    'multi-head', 'feed-forward' or 'blocks' (gpt.py)."""

    def __init__(self, config):
        super().__init__()
        V, T = config['vocabSize'], config['blockSize']
        E, H, L = config['nEmbd'], config['nHead'], config['nLayer']
        dropout = config.get('dropout', 0)
        self.architecture = arch = config.get('architecture', 'blocks')
        self.blockSize = T
        if arch == 'bigram':
            self.tokenEmbeddingTable = nn.Embedding(V, V)
            return
        self.tokenEmbeddingTable = nn.Embedding(V, E)
        self.positionEmbeddingTable = nn.Embedding(T, E)
        if arch == 'one-head':
            self.saHead = Head(E, E, T, dropout)
        if arch in ('multi-head', 'feed-forward'):
            self.saHeads = MultiHeadAttention(E, H, E // H, T, dropout)
        if arch == 'feed-forward':
            self.ffwd = FeedForward(E, dropout)
        if arch == 'blocks':
            self.blocks = nn.ModuleList([Block(E, H, T, dropout) for _ in range(L)])
            self.lnF = nn.LayerNorm(E)
        self.lmHead = nn.Linear(E, V)

    def forward(self, idx):
        """idx: int64 [B, T], T <= blockSize -> logits [B, T, vocabSize]."""
        T = idx.size(1)
        assert T <= self.blockSize, f'Cannot forward sequence of length {T}, block size is only {self.blockSize}'
        x = self.tokenEmbeddingTable(idx)
        if self.architecture == 'bigram':
            return x
        x = x + self.positionEmbeddingTable(torch.arange(T, device=idx.device))
        for name in ('saHead', 'saHeads', 'ffwd'):
            if hasattr(self, name):
                x = getattr(self, name)(x)
        if self.architecture == 'blocks':
            for block in self.blocks:
                x = block(x)
            x = self.lnF(x)
        return self.lmHead(x)
${SEQUENCE_LOSS}

def build_model(config):
    return GPT(config)
`;

/** bow: makemore.py's bag of words (a causal average of the previous positions, then an MLP). */
export const BOW_PY = `
class CausalBoW(nn.Module):
    """Each position averages the positions up to it (uniform causal attention)."""

    def __init__(self, blockSize):
        super().__init__()
        self.register_buffer('bias', torch.tril(torch.ones(blockSize, blockSize)).view(1, blockSize, blockSize))

    def forward(self, x):
        B, T, C = x.size()
        att = torch.zeros(B, T, T, device=x.device).masked_fill(self.bias[:, :T, :T] == 0, float('-inf'))
        return att.softmax(dim=-1) @ x


class BoWBlock(nn.Module):
    """x + cbow(x), then x + cProj(tanh(cFc(x)))."""

    def __init__(self, blockSize, nEmbd, nEmbd2):
        super().__init__()
        self.cbow = CausalBoW(blockSize)
        self.cFc = nn.Linear(nEmbd, nEmbd2)
        self.cProj = nn.Linear(nEmbd2, nEmbd)

    def forward(self, x):
        x = x + self.cbow(x)
        return x + self.cProj(torch.tanh(self.cFc(x)))


class BoW(nn.Module):
    def __init__(self, config):
        super().__init__()
        V, T, E, E2 = config['vocabSize'], config['blockSize'], config['nEmbd'], config['nEmbd2']
        self.blockSize = T
        self.wte = nn.Embedding(V, E)
        self.wpe = nn.Embedding(T, E)
        self.contextBlock = BoWBlock(T, E, E2)
        self.lmHead = nn.Linear(E, V)

    def forward(self, idx):
        """idx: int64 [B, T], T <= blockSize -> logits [B, T, vocabSize]."""
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        return self.lmHead(self.contextBlock(x))
${SEQUENCE_LOSS}

def build_model(config):
    return BoW(config)
`;

/** rnn and gru: makemore.py's recurrent models (its cells, not nn.RNN's). */
export const RNN_PY = `
class RNNCell(nn.Module):
    """h = tanh(xhToH([x, hprev]))."""

    def __init__(self, nEmbd, nEmbd2):
        super().__init__()
        self.xhToH = nn.Linear(nEmbd + nEmbd2, nEmbd2)

    def forward(self, xt, hprev):
        return torch.tanh(self.xhToH(torch.cat([xt, hprev], dim=1)))


class GRUCell(nn.Module):
    """makemore.py's GRU: r and z gates, h = (1 - z) * hprev + z * tanh(xhToHbar([x, r * hprev]))."""

    def __init__(self, nEmbd, nEmbd2):
        super().__init__()
        self.xhToZ = nn.Linear(nEmbd + nEmbd2, nEmbd2)
        self.xhToR = nn.Linear(nEmbd + nEmbd2, nEmbd2)
        self.xhToHbar = nn.Linear(nEmbd + nEmbd2, nEmbd2)

    def forward(self, xt, hprev):
        xh = torch.cat([xt, hprev], dim=1)
        r = torch.sigmoid(self.xhToR(xh))
        hbar = torch.tanh(self.xhToHbar(torch.cat([xt, r * hprev], dim=1)))
        z = torch.sigmoid(self.xhToZ(xh))
        return (1 - z) * hprev + z * hbar


class RNN(nn.Module):
    def __init__(self, config):
        super().__init__()
        V, E, E2 = config['vocabSize'], config['nEmbd'], config['nEmbd2']
        self.blockSize = config['blockSize']
        self.start = nn.Parameter(torch.zeros(1, E2))
        self.wte = nn.Embedding(V, E)
        self.cell = GRUCell(E, E2) if config['kind'] == 'gru' else RNNCell(E, E2)
        self.lmHead = nn.Linear(E2, V)

    def forward(self, idx):
        """idx: int64 [B, T] -> logits [B, T, vocabSize]."""
        h = self.start.expand(idx.size(0), -1)
        hiddens = []
        for xt in self.wte(idx).unbind(1):
            h = self.cell(xt, h)
            hiddens.append(h)
        return self.lmHead(torch.stack(hiddens, 1))
${SEQUENCE_LOSS}

def build_model(config):
    return RNN(config)
`;

/** bigram-net: makemore part 1's one-layer network (a V×V table of logits, L2-regularised). */
export const BIGRAM_NET_PY = `
class BigramNet(nn.Module):
    """logits = W[x] (one_hot(x) @ W), loss = cross-entropy + regularization * mean(W ** 2)."""

    def __init__(self, config):
        super().__init__()
        V = config['vocabSize']
        self.regularization = config.get('regularization', 0.01)
        self.W = nn.Parameter(torch.randn(V, V))

    def forward(self, idx):
        """idx: int64 [B, 1] contexts (the last token is read) -> logits [B, vocabSize]."""
        return self.W[idx[:, -1]]

    def loss(self, idx, targets):
        return F.cross_entropy(self(idx), targets.view(-1)) + self.regularization * (self.W ** 2).mean()


def build_model(config):
    return BigramNet(config)
`;

/**
 * deep-mlp and wavenet: makemore part 3/5's stacks of layers, as an nn.Sequential built from
 * `LAYERS` (the config's layer plan, written by the export as a Python literal at `{{LAYERS}}`).
 */
export const LAYER_STACK_PY = `
class FlattenConsecutive(nn.Module):
    """The lecture's layer: [B, T, C] -> [B, T // n, C * n], the middle dim dropped when it is 1."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        B, T, C = x.shape
        x = x.reshape(B, T // self.n, C * self.n)
        return x.squeeze(1) if x.shape[1] == 1 else x


class BatchNorm1d(nn.BatchNorm1d):
    """PyTorch's BatchNorm1d; with channelsLast it takes the lecture's [N, L, C] and normalises
    each channel over N and L (PyTorch's own layout is [N, C, L])."""

    def __init__(self, numFeatures, channelsLast):
        super().__init__(numFeatures)
        self.channelsLast = channelsLast

    def forward(self, x):
        if self.channelsLast and x.dim() == 3:
            return super().forward(x.transpose(1, 2)).transpose(1, 2)
        return super().forward(x)


LAYERS = {{LAYERS}}


def make_layer(spec):
    kind = spec['kind']
    if kind == 'embedding':
        return nn.Embedding(spec['numEmbeddings'], spec['embeddingDim'])
    if kind == 'flatten':
        return nn.Flatten()
    if kind == 'flattenConsecutive':
        return FlattenConsecutive(spec['n'])
    if kind == 'tanh':
        return nn.Tanh()
    if kind == 'batchNorm':
        return BatchNorm1d(spec['numFeatures'], spec['channelsLast'])
    return nn.Linear(spec['inFeatures'], spec['outFeatures'], bias=spec['bias'])


class LayerStack(nn.Sequential):
    """The layers in order: idx int64 [B, blockSize] contexts -> logits [B, vocabSize]."""

    def __init__(self, config, layers=LAYERS):
        super().__init__(*[make_layer(spec) for spec in layers])
        self.blockSize = config['blockSize']

    def loss(self, idx, targets):
        return F.cross_entropy(self(idx), targets.view(-1))


def build_model(config):
    return LayerStack(config)
`;
