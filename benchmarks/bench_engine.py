"""Time one epoch of the two-layer network four ways in one run, and print a table.

    python benchmarks/bench_engine.py [--data DIR] [--repeats 5] [--threads N] [--batches 10,100,1000]

DIR holds train-images-idx3-ubyte.gz / train-labels-idx1-ubyte.gz of a 60,000 × 784 IDX set
(default: $TRAINER_DATA_DIR/fashion-mnist, Fashion-MNIST having exactly MNIST's shapes).

- floor: the epoch's unavoidable matrix products alone (X·W1, Z1·W2, G2·W2ᵀ, Z1ᵀ·G2, Xᵀ·G1, with the
  exact batch shapes), into preallocated outputs;
- Trainer: `Trainer.step()` over the epoch (in-order batches, per-step loss and error, gradient norms on
  the Trainer's default stride: every step from batch 100, every 10th at batch 10), and again with the
  norms on every step (grad_norm_every=1), which the Vital signs tab used to get;
- nn_epoch: the classic function;
- PyTorch (if installed): the same network and SGD with autograd on the CPU.
Each is timed `repeats` times, interleaved, and the median is reported, for the two-layer network of
100 hidden units at each batch size and of 400 at batch 100 (targets: the Trainer ≤ 1.15× the floor
at batch 100, ≤ 1.30× at batch 10). --threads sets the BLAS
threads of NumPy (OPENBLAS_NUM_THREADS) and PyTorch alike; the window runs its engine with one.
"""
import argparse
import os
import statistics
import time
from pathlib import Path


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(os.environ.get("TRAINER_DATA_DIR", Path(__file__).parents[2] / "shared" / "data"))
    parser.add_argument("--data", type=Path, default=default / "fashion-mnist")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, help="BLAS threads (default: the libraries' own choice)")
    parser.add_argument("--batches", default="10,100,1000", help="batch sizes, comma-separated")
    return parser.parse_args()


if __name__ == "__main__":
    ARGS = parse_arguments()
    if ARGS.threads:   # read by OpenBLAS when NumPy loads, so before the imports below
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import numpy as np  # noqa: E402

from engine import ModelConfig, TrainConfig, build_trainer, nn_epoch, parse_mnist  # noqa: E402

LR, CLASSES = 0.1, 10


def initial_weights(n, d, k=CLASSES, seed=0):
    rng = np.random.default_rng(seed)
    return ((rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32),
            (rng.standard_normal((d, k)) / np.sqrt(k)).astype(np.float32))


def floor_epoch(X, d, BATCH):
    """The matrix products of one epoch and nothing else."""
    W1, W2 = initial_weights(X.shape[1], d)
    G1, gW1, gW2 = np.ones((BATCH, d), np.float32), np.empty_like(W1), np.empty_like(W2)
    Z1, Z2, G2 = np.empty((BATCH, d), np.float32), np.empty((BATCH, CLASSES), np.float32), \
        np.full((BATCH, CLASSES), 0.01, np.float32)
    start = time.perf_counter()
    for i in range(0, len(X), BATCH):
        Xb = X[i:i + BATCH]
        m = len(Xb)
        np.matmul(Xb, W1, out=Z1[:m])
        np.matmul(Z1[:m], W2, out=Z2[:m])
        np.matmul(G2[:m], W2.T, out=G1[:m])
        np.matmul(Z1[:m].T, G2[:m], out=gW2)
        np.matmul(Xb.T, G1[:m], out=gW1)
    return time.perf_counter() - start


def trainer_epoch(X, y, d, BATCH, grad_norm_every=None):
    trainer = build_trainer(ModelConfig(kind="two-layer", hidden=(d,)),
                            TrainConfig(learning_rate=LR, batch_size=BATCH), X, y)
    if grad_norm_every is not None:
        trainer.grad_norm_every = grad_norm_every
    start = time.perf_counter()
    results = trainer.run_epoch()
    elapsed = time.perf_counter() - start
    assert len(results) == -(-len(X) // BATCH) and all(r.finite for r in results)
    return elapsed


def nn_epoch_epoch(X, y, d, BATCH):
    W1, W2 = initial_weights(X.shape[1], d)
    start = time.perf_counter()
    nn_epoch(X, y, W1, W2, lr=LR, batch=BATCH)
    return time.perf_counter() - start


def torch_epoch(X, y, d, BATCH):
    import torch
    W1, W2 = (torch.from_numpy(w).requires_grad_() for w in initial_weights(X.shape[1], d))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    start = time.perf_counter()
    for i in range(0, len(X), BATCH):
        loss = torch.nn.functional.cross_entropy(torch.relu(Xt[i:i + BATCH] @ W1) @ W2, yt[i:i + BATCH])
        loss.backward()
        with torch.no_grad():
            for W in (W1, W2):
                W -= LR * W.grad
                W.grad = None
    return time.perf_counter() - start


def main(args):
    X, y = parse_mnist(args.data / "train-images-idx3-ubyte.gz", args.data / "train-labels-idx1-ubyte.gz")
    methods = {"floor (matmuls only)": lambda d, b: floor_epoch(X, d, b),
               "Trainer.step()": lambda d, b: trainer_epoch(X, y, d, b),
               "Trainer.step(), norms every step": lambda d, b: trainer_epoch(X, y, d, b, grad_norm_every=1),
               "nn_epoch": lambda d, b: nn_epoch_epoch(X, y, d, b)}
    try:
        import torch
        methods["PyTorch (CPU, autograd)"] = lambda d, b: torch_epoch(X, y, d, b)
        if args.threads:
            torch.set_num_threads(args.threads)
        torch_note = f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch_note = "PyTorch not installed: column skipped (pip install -e '.[bench]')"
    print(f"one epoch, {len(X):,} × {X.shape[1]} float32, median of {args.repeats}; "
          f"NumPy {np.__version__}, BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; "
          f"{torch_note}\n")
    print("| network | batch | method | seconds / epoch | × floor | × PyTorch |")
    print("|---|---:|---|---:|---:|---:|")
    batches = [int(b) for b in args.batches.split(",")]
    for d, batch in [(100, b) for b in batches] + [(400, 100)]:
        for method in methods.values():
            method(d, batch)    # warm up caches, BLAS threads and buffers
        times = {name: [] for name in methods}
        for _ in range(args.repeats):
            for name, method in methods.items():
                times[name].append(method(d, batch))
        median = {name: statistics.median(t) for name, t in times.items()}
        floor = median["floor (matmuls only)"]
        reference = median.get("PyTorch (CPU, autograd)")
        for name, seconds in median.items():
            vs_torch = f"{seconds / reference:.2f}" if reference else "–"
            print(f"| 784-{d}-10 | {batch} | {name} | {seconds:.3f} | {seconds / floor:.2f} | {vs_torch} |")


if __name__ == "__main__":
    main(ARGS)
