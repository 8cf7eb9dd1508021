"""PyTorch reference for the `speed` benchmark: the same prompt-tuning step in eager PyTorch.

Optional cross-check (CI never runs it). Debian: `apt install python3-torch`; the `anchor` benchmark runs it
alternately with this project's steps (docs/benchmarks.md), or by hand:
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 tests/DP.Benchmarks/Anchor/pytorch_prompt_step.py [--threads 2] [--json]
Shapes match `speed`: MiniLM-L6 sized BERT (6 layers, 384 hidden, 12 heads, 1536 FFN, vocab 30522), batch 16 x 128
tokens + 20 prompt rows, frozen backbone, bfloat16 autocast around the forward, AdamW on prompt and head.
Weights are random: the step's cost does not depend on their values.
"""
import argparse, json, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

HIDDEN, HEADS, FFN, LAYERS, VOCAB = 384, 12, 1536, 6, 30522


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(HIDDEN, HIDDEN) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(HIDDEN, eps=1e-12), nn.LayerNorm(HIDDEN, eps=1e-12)
        self.up, self.down = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)

    def forward(self, x, bias):
        b, t, _ = x.shape
        split = lambda y: y.view(b, t, HEADS, HIDDEN // HEADS).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.down(F.gelu(self.up(x))))


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.words, self.positions = nn.Embedding(VOCAB, HIDDEN), nn.Embedding(512, HIDDEN)
        self.types, self.ln = nn.Embedding(2, HIDDEN), nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))

    def embed(self, ids):
        return self.words(ids)

    def encode(self, x, mask):
        t = x.shape[1]
        x = self.ln(x + self.positions.weight[:t] + self.types.weight[0])
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--dtype", choices=["bfloat16", "float32"], default="bfloat16")
    p.add_argument("--second-forward", action="store_true", help="the authors' DP design: one more frozen forward per step")
    p.add_argument("--json", action="store_true", help="one RESULT line with the step and this process's GEMM peak")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    bert = Bert().requires_grad_(False)
    prompt = nn.Parameter(torch.randn(20, HIDDEN) * 0.02)
    head = nn.Linear(HIDDEN, 2)
    opt = torch.optim.AdamW([prompt, *head.parameters()], lr=1e-2)
    ids = torch.randint(1000, VOCAB, (16, 128))
    labels = torch.randint(0, 2, (16,))
    mask = torch.ones(16, 148, dtype=torch.long)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.dtype == "bfloat16")

    def step():
        with autocast:
            if a.second_forward:
                with torch.no_grad():
                    bert.encode(bert.embed(ids), mask[:, :128]).mean(1)
            x = bert.embed(ids)
            x = torch.cat([x[:, :1], prompt.expand(16, -1, -1).to(x.dtype), x[:, 1:]], 1)
            logits = head(bert.encode(x, mask).float().mean(1))
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    s = (time.perf_counter() - start) / a.steps
    cpu_s = (time.process_time() - cpu) / a.steps  # all threads: the work itself, however the cores are shared
    if a.json:
        print("RESULT " + json.dumps({"Torch": torch.__version__, "Threads": a.threads, "SecondsPerStep": s, "CpuSecondsPerStep": cpu_s,
                                      "PeakGFlops": gemm_peak(torch.bfloat16 if a.dtype == "bfloat16" else torch.float32)}))
        return
    print(f"torch {torch.__version__} threads {a.threads} {a.dtype} second-forward {a.second_forward}: "
          f"{s:.3f} s/step, {16 / s:.1f} examples/s")


def gemm_peak(dtype, size=1024, seconds=2.0):
    """1024^3 matmuls for two seconds, as the .NET harness's GemmPeak measures it."""
    a, b = torch.randn(size, size).to(dtype), torch.randn(size, size).to(dtype)
    for _ in range(3):
        a @ b
    start, count = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2.0 * size ** 3 * count / (time.perf_counter() - start) / 1e9


if __name__ == "__main__":
    main()
