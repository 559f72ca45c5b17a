"""The PyTorch 1.13 numbers behind manual-backprop's tests (run: /usr/bin/python3 torch_reference.py).

makemore part 4 ("becoming a backprop ninja") as in the lecture's notebook, on ../shared/data/names.txt
(or $LMP_NAMES) with the lecture's split, except that bngain/bnbias come from
torch.Generator().manual_seed(67280421310721) instead of torch's randomly seeded global generator.
Prints: the first minibatch and loss, exercise 1's cmp table, exercises 2 and 3 (float32, then
float64), and exercise 4's first losses, speed and calibrated train/dev losses after STEPS steps.
"""
import os, sys
NAMES = os.environ.get('LMP_NAMES') or os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../../shared/data/names.txt')
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
import torch, random, time, torch.nn.functional as F
words = open(NAMES).read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s:i+1 for i,s in enumerate(chars)}; stoi['.'] = 0
vocab_size = 27; block_size = 3
def build_dataset(words):
  X, Y = [], []
  for w in words:
    context = [0] * block_size
    for ch in w + '.':
      ix = stoi[ch]; X.append(context); Y.append(ix); context = context[1:] + [ix]
  return torch.tensor(X), torch.tensor(Y)
random.seed(42); random.shuffle(words)
n1 = int(0.8*len(words)); n2 = int(0.9*len(words))
Xtr, Ytr = build_dataset(words[:n1]); Xdev, Ydev = build_dataset(words[n1:n2])
def cmp(s, dt, t):
  ex = torch.all(dt == t.grad).item(); app = torch.allclose(dt, t.grad); maxdiff = (dt - t.grad).abs().max().item()
  print(f'{s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff}')
def exercises_1_to_3(dtype):
  print('---', dtype)
  n_embd = 10; n_hidden = 64
  g = torch.Generator().manual_seed(2147483647)
  C  = torch.randn((vocab_size, n_embd), generator=g)
  W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
  b1 = torch.randn(n_hidden, generator=g) * 0.1
  W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
  b2 = torch.randn(vocab_size, generator=g) * 0.1
  gbn = torch.Generator().manual_seed(67280421310721)
  bngain = torch.randn((1, n_hidden), generator=gbn)*0.1 + 1.0
  bnbias = torch.randn((1, n_hidden), generator=gbn)*0.1
  parameters = [C, W1, b1, W2, b2, bngain, bnbias]
  parameters = [p.to(dtype) for p in parameters]
  C, W1, b1, W2, b2, bngain, bnbias = parameters
  for p in parameters: p.requires_grad = True
  batch_size = 32; n = batch_size
  ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
  Xb, Yb = Xtr[ix], Ytr[ix]
  print('ix', ix[:5].tolist(), 'bngain', bngain[0,:3].tolist(), 'Xb', Xb[:2].tolist(), 'Yb', Yb[:5].tolist())
  emb = C[Xb]
  embcat = emb.view(emb.shape[0], -1)
  hprebn = embcat @ W1 + b1
  bnmeani = 1/n*hprebn.sum(0, keepdim=True)
  bndiff = hprebn - bnmeani
  bndiff2 = bndiff**2
  bnvar = 1/(n-1)*(bndiff2).sum(0, keepdim=True)
  bnvar_inv = (bnvar + 1e-5)**-0.5
  bnraw = bndiff * bnvar_inv
  hpreact = bngain * bnraw + bnbias
  h = torch.tanh(hpreact)
  logits = h @ W2 + b2
  logit_maxes = logits.max(1, keepdim=True).values
  norm_logits = logits - logit_maxes
  counts = norm_logits.exp()
  counts_sum = counts.sum(1, keepdims=True)
  counts_sum_inv = counts_sum**-1
  probs = counts * counts_sum_inv
  logprobs = probs.log()
  loss = -logprobs[range(n), Yb].mean()
  for t in [logprobs, probs, counts, counts_sum, counts_sum_inv, norm_logits, logit_maxes, logits, h, hpreact, bnraw, bnvar_inv, bnvar, bndiff2, bndiff, hprebn, bnmeani, embcat, emb]:
    t.retain_grad()
  loss.backward()
  print('loss', repr(loss.item()))
  dlogprobs = torch.zeros_like(logprobs)
  dlogprobs[range(n), Yb] = -1.0/n
  dprobs = (1.0 / probs) * dlogprobs
  dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
  dcounts = counts_sum_inv * dprobs
  dcounts_sum = (-counts_sum**-2) * dcounts_sum_inv
  dcounts += torch.ones_like(counts) * dcounts_sum
  dnorm_logits = counts * dcounts
  dlogits = dnorm_logits.clone()
  dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
  dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes
  dh = dlogits @ W2.T
  dW2 = h.T @ dlogits
  db2 = dlogits.sum(0)
  dhpreact = (1.0 - h**2) * dh
  dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
  dbnraw = bngain * dhpreact
  dbnbias = dhpreact.sum(0, keepdim=True)
  dbndiff = bnvar_inv * dbnraw
  dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
  dbnvar = (-0.5*(bnvar + 1e-5)**-1.5) * dbnvar_inv
  dbndiff2 = (1.0/(n-1))*torch.ones_like(bndiff2) * dbnvar
  dbndiff += (2*bndiff) * dbndiff2
  dhprebn = dbndiff.clone()
  dbnmeani = (-dbndiff).sum(0)
  dhprebn += 1.0/n * (torch.ones_like(hprebn) * dbnmeani)
  dembcat = dhprebn @ W1.T
  dW1 = embcat.T @ dhprebn
  db1 = dhprebn.sum(0)
  demb = dembcat.view(emb.shape)
  dC = torch.zeros_like(C)
  for k in range(Xb.shape[0]):
    for j in range(Xb.shape[1]):
      dC[Xb[k,j]] += demb[k,j]
  for name, d, t in [('logprobs', dlogprobs, logprobs), ('probs', dprobs, probs), ('counts_sum_inv', dcounts_sum_inv, counts_sum_inv), ('counts_sum', dcounts_sum, counts_sum), ('counts', dcounts, counts), ('norm_logits', dnorm_logits, norm_logits), ('logit_maxes', dlogit_maxes, logit_maxes), ('logits', dlogits, logits), ('h', dh, h), ('W2', dW2, W2), ('b2', db2, b2), ('hpreact', dhpreact, hpreact), ('bngain', dbngain, bngain), ('bnbias', dbnbias, bnbias), ('bnraw', dbnraw, bnraw), ('bnvar_inv', dbnvar_inv, bnvar_inv), ('bnvar', dbnvar, bnvar), ('bndiff2', dbndiff2, bndiff2), ('bndiff', dbndiff, bndiff), ('bnmeani', dbnmeani, bnmeani), ('hprebn', dhprebn, hprebn), ('embcat', dembcat, embcat), ('W1', dW1, W1), ('b1', db1, b1), ('emb', demb, emb), ('C', dC, C)]:
    cmp(name, d, t)
  loss_fast = F.cross_entropy(logits, Yb)
  print('loss_fast', loss_fast.item(), 'diff', (loss_fast - loss).item())
  dl = F.softmax(logits, 1); dl[range(n), Yb] -= 1; dl /= n
  cmp('logits(ex2)', dl, logits)
  dhp = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
  cmp('hprebn(ex3)', dhp, hprebn)
  print('sums', dW1.sum().item(), dbngain.sum().item(), dC.abs().sum().item())

for dtype in (torch.float32, torch.float64):
  exercises_1_to_3(dtype)

# ---- exercise 4 ----
torch.set_num_threads(1)
n_embd = 10; n_hidden = 200
g = torch.Generator().manual_seed(2147483647)
C  = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
gbn = torch.Generator().manual_seed(67280421310721)
bngain = torch.randn((1, n_hidden), generator=gbn)*0.1 + 1.0
bnbias = torch.randn((1, n_hidden), generator=gbn)*0.1
parameters = [C, W1, b1, W2, b2, bngain, bnbias]
max_steps = STEPS; batch_size = 32; n = batch_size
losses = []
t0 = time.time()
with torch.no_grad():
  for i in range(max_steps):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]; embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmean = hprebn.mean(0, keepdim=True)
    bnvar = hprebn.var(0, keepdim=True, unbiased=True)
    bnvar_inv = (bnvar + 1e-5)**-0.5
    bnraw = (hprebn - bnmean) * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    dlogits = F.softmax(logits, 1); dlogits[range(n), Yb] -= 1; dlogits /= n
    dh = dlogits @ W2.T; dW2 = h.T @ dlogits; db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnbias = dhpreact.sum(0, keepdim=True)
    dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
    dembcat = dhprebn @ W1.T; dW1 = embcat.T @ dhprebn; db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    for k in range(Xb.shape[0]):
      for j in range(Xb.shape[1]):
        dC[Xb[k,j]] += demb[k,j]
    grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
    lr = 0.1 if i < max_steps // 2 else 0.01
    for p, grad in zip(parameters, grads):
      p.data += -lr * grad
    losses.append(loss.item())
el = time.time() - t0
print('steps/s', max_steps / el)
print('losses', [round(l, 6) for l in losses[:5]], 'at 10', losses[10], 'at 100', losses[100], 'last', losses[-1])
with torch.no_grad():
  emb = C[Xtr]; embcat = emb.view(emb.shape[0], -1); hpreact = embcat @ W1 + b1
  bnmean = hpreact.mean(0, keepdim=True); bnvar = hpreact.var(0, keepdim=True, unbiased=True)
  for x, y in [(Xtr, Ytr), (Xdev, Ydev)]:
    emb = C[x]; embcat = emb.view(emb.shape[0], -1); hpreact = embcat @ W1 + b1
    hpreact = bngain * (hpreact - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias
    h = torch.tanh(hpreact); logits = h @ W2 + b2
    print(F.cross_entropy(logits, y).item())
