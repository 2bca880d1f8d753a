"""How long the data readers take, against reading the same digits from IDX files in the same run.

    python benchmarks/bench_data.py [--data DIR] [--repeats 3]

Writes, in a temporary folder, the MNIST test digits ($TRAINER_DATA_DIR/mnist) as a Kaggle-layout
CSV of 42,000 rows (the digits repeated, as Kaggle's train.csv has), as a Keras-style mnist.npz and
as raw IDX files of the same 42,000 digits, then times engine.load_data on each (the best of
`repeats`). Target: the CSV in under 2 s. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from bench_common import print_table  # noqa: E402  (beside this script)

from engine import read_idx, write_idx  # noqa: E402
from engine.formats import load_data  # noqa: E402

ROWS = 42_000


def best_of(repeats: int, load) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        load()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    images = read_idx(args.data / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(args.data / "t10k-labels-idx1-ubyte.gz")
    picks = np.arange(ROWS) % len(labels)
    X, y = images[picks], labels[picks]
    with tempfile.TemporaryDirectory(prefix="mnist-trainer-bench-") as folder:
        folder = Path(folder)
        idx = folder / "idx"
        idx.mkdir()
        write_idx(idx / "train-images-idx3-ubyte", X)
        write_idx(idx / "train-labels-idx1-ubyte", y)
        csv = folder / "train.csv"
        with open(csv, "w") as out:
            out.write("label," + ",".join(f"pixel{i}" for i in range(784)) + "\n")
            np.savetxt(out, np.column_stack([y, X.reshape(ROWS, -1)]), fmt="%d", delimiter=",")
        npz = folder / "mnist.npz"
        np.savez(npz, x_train=X, y_train=y, x_test=X[:1], y_test=y[:1])
        reference = best_of(args.repeats, lambda: load_data(idx))
        rows = [("IDX folder (reference)", f"{reference:.2f} s", "1.0×", "")]
        for name, path, target in (("Kaggle CSV", csv, "< 2 s"), ("Keras npz", npz, "")):
            seconds = best_of(args.repeats, lambda: load_data(path))
            rows.append((name, f"{seconds:.2f} s", f"{seconds / reference:.1f}×", target))
        size = csv.stat().st_size >> 20
    print(f"{ROWS:,} digits of 28×28, best of {args.repeats}; the CSV is {size} MiB; {os.cpu_count()} CPUs\n")
    print_table(("format", "load", "÷ IDX", "target"), rows)


if __name__ == "__main__":
    main()
