# PyTorch 1.13 reference values for layerNorm (src/ops/layer-norm.test.ts):
#   /usr/bin/python3 scripts/torch_layer_norm_fixtures.py > src/fixtures/torch-layer-norm.json
import json
import torch

out = {}
for dt in [torch.float32, torch.float64]:
    name = str(dt).replace('torch.', '')
    g = torch.Generator().manual_seed(0)
    x = (torch.randn(3, 4, 5, generator=g, dtype=dt) * 3 + 1).requires_grad_()
    w = torch.randn(4, 5, generator=g, dtype=dt).requires_grad_()
    b = torch.randn(4, 5, generator=g, dtype=dt).requires_grad_()
    up = torch.randn(3, 4, 5, generator=g, dtype=dt)
    y = torch.nn.functional.layer_norm(x, [4, 5], w, b, 1e-5)
    y.backward(up)
    x2 = x.detach().clone().requires_grad_()
    y2 = torch.nn.functional.layer_norm(x2, [5], None, None, 1e-3)
    y2.backward(up)
    out[name] = {
        'x': x.detach().flatten().tolist(), 'w': w.detach().flatten().tolist(),
        'b': b.detach().flatten().tolist(), 'up': up.flatten().tolist(),
        'y': y.detach().flatten().tolist(), 'dx': x.grad.flatten().tolist(),
        'dw': w.grad.flatten().tolist(), 'db': b.grad.flatten().tolist(),
        'y2': y2.detach().flatten().tolist(), 'dx2': x2.grad.flatten().tolist(),
    }
print(json.dumps(out))
