#!/usr/bin/python3
"""The rnn bench workloads in PyTorch: one training step = forward over the whole sequence through
nn.LSTM / nn.GRU / nn.RNN (time-major [T, B, I]), loss = sum of all outputs, backward to every parameter,
no optimizer update. Prints one line per workload; the last field is the median in ms.

    /usr/bin/python3 bench/compare_pytorch.py --cell lstm --batch 32 --steps 50 --input 128 --hidden 256 --threads 2
"""
import argparse
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru", "elman"])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--input", type=int, default=128)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dtype", default="F32", choices=["F32", "F64"])
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--repeat", type=int, default=15)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dtype = torch.float32 if a.dtype == "F32" else torch.float64
    layer = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "elman": torch.nn.RNN}[a.cell](a.input, a.hidden).to(dtype)
    x = torch.rand(a.steps, a.batch, a.input, dtype=dtype) * 2 - 1

    def step():
        for q in layer.parameters():
            q.grad = None
        out, _ = layer(x)
        out.sum().backward()

    for _ in range(a.warmup):
        step()
    ms = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1e3)
    gates = {"elman": 1, "lstm": 4, "gru": 3}[a.cell]
    flops = 3 * 2 * a.steps * a.batch * (a.input + a.hidden) * gates * a.hidden
    med = statistics.median(ms)
    print(f"pytorch {torch.__version__} {a.cell} B={a.batch} T={a.steps} I={a.input} H={a.hidden} {a.dtype} "
          f"threads={torch.get_num_threads()} blas={blas()}")
    print(f"training step: median {med:.2f} ms, min {min(ms):.2f} ms, max {max(ms):.2f} ms over {a.repeat} steps "
          f"({a.warmup} warm-up); {flops / (med * 1e6):.2f} GFLOP/s")
    print(f"{med:.3f}")


def blas():
    """BLAS_INFO from torch's build settings, and the library libblas.so.3 resolves to (Debian alternatives)."""
    import os
    import re
    m = re.search(r"BLAS_INFO=([^,]+)", torch.__config__.show())
    info = m.group(1) if m else "unknown"
    for path in ("/etc/alternatives/libblas.so.3-x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/libblas.so.3"):
        if os.path.exists(path):
            return f"{info}({os.path.realpath(path)})"
    return info


if __name__ == "__main__":
    main()
