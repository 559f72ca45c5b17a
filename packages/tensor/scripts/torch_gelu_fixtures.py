# PyTorch 1.13 reference values for gelu (src/ops/gelu.test.ts): /usr/bin/python3 scripts/torch_gelu_fixtures.py > src/fixtures/torch-gelu.json
import torch, json
torch.manual_seed(0)
xs = [-10.0, -5.0, -3.0, -1.5, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]
out = {}
for approx in ['none', 'tanh']:
    for dt in [torch.float32, torch.float64]:
        x = torch.tensor(xs, dtype=dt, requires_grad=True)
        y = torch.nn.functional.gelu(x, approximate=approx)
        g = torch.linspace(-1, 1, len(xs), dtype=dt)
        y.backward(g)
        out[f'{approx}-{dt}'] = {'y': y.tolist(), 'dx': x.grad.tolist()}
print(json.dumps(out))
