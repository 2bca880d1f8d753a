"""Twin runs: samples per second of each half of a twin run against a single run in the same window.

    python benchmarks/bench_twin.py [--seconds 6] [--rounds 3] [--hidden 100]

The window trains the two-layer network on the real MNIST test split ($TRAINER_DATA_DIR/mnist),
with the Train tab in front, at full speed: a single run (Start), then a twin of the same settings
(Start twin), each for `seconds` after a second of warm-up, alternately, `rounds` times. A twin
does twice the work of a single run in one worker thread, so each half can reach at most 0.5× a
single run; the target is ≥ 0.45×. Prints a Markdown table of medians.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets BLAS threads as the app does)
from bench_common import open_window, print_table  # noqa: E402

EPOCHS = 1000    # never reached: the rounds are timed


def run_for(seconds: float, records) -> list[float]:
    """Samples per second of each record over `seconds` of the window's event loop, after a second
    of warm-up (the model built, the first evaluation done)."""
    from PySide6.QtWidgets import QApplication

    def pump(duration):
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            QApplication.processEvents()
            time.sleep(0.002)

    pump(1.0)
    first = [r.at().samples_seen for r in records]
    began = time.perf_counter()
    pump(seconds)
    elapsed = time.perf_counter() - began
    return [(r.at().samples_seen - s) / elapsed for r, s in zip(records, first)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=100)
    args = parser.parse_args()
    make_application()
    folder = Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"
    window = open_window(folder, EPOCHS, hidden=args.hidden)
    single, twin_a, twin_b = [], [], []
    for _ in range(args.rounds):
        window.start()
        single += run_for(args.seconds, [window.session.run])
        window.reset()
        window.start_twin()   # B = A: the twin panel starts as a copy of the settings
        a, b = run_for(args.seconds, [window.session.run, window.session.twin])
        twin_a.append(a)
        twin_b.append(b)
        window.reset()
    window.close()
    one = statistics.median(single)
    rows = [("single run", f"{one:,.0f}", "1.00"),
            ("twin A", f"{statistics.median(twin_a):,.0f}", f"{statistics.median(twin_a) / one:.2f}"),
            ("twin B", f"{statistics.median(twin_b):,.0f}", f"{statistics.median(twin_b) / one:.2f}")]
    print(f"two-layer 784-{args.hidden}-10, batch 100, {args.rounds} rounds of {args.seconds:g} s, "
          f"Train tab in front, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print_table(("run", "samples/s (median)", "÷ single run"), rows)


if __name__ == "__main__":
    main()
