"""What the Evaluate tab computes, and what it costs the window.

    python benchmarks/bench_evaluate.py [--data DIR] [--repeats 3]

(a) The robustness sweep (4 spoilers, 23 settings) on the 10,000 MNIST test digits with a 784-100-10
    network; target <= 3 s. Its reference, timed in the same run: one plain held-out evaluation of
    the same digits (the sweep is 23 of them plus the spoiling).
(b) One layer-map update (activations of 2,000 digits, 2-D PCA, alignment to the previous map) for
    each layer of the network; target <= 200 ms.
(c) The window: the Evaluate tab open while the timeline is scrubbed over six moments of a trained
    run (each asks for an evaluation, a robustness sweep and a map, off the GUI thread); lateness of
    a 10 ms QTimer on the GUI thread meanwhile; target p99 <= 50 ms.
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
from bench_common import open_window, print_table  # noqa: E402  (beside this script)
sys.path.insert(0, str(REPO))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets up BLAS threads as the app does)

import numpy as np  # noqa: E402

from engine import ModelConfig, TrainConfig, build_trainer, evaluate, load_folder  # noqa: E402
from engine.projection import align, fixed_subsample, layer_map  # noqa: E402
from engine.robustness import robustness_curves  # noqa: E402


def default_data_folder() -> Path:
    return Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"


def timed(function, repeats: int) -> float:
    """The median seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def headless_rows(folder: Path, repeats: int):
    test = load_folder(folder).test
    X, y = test.X, test.y
    trainer = build_trainer(ModelConfig("two-layer", hidden=(100,)), TrainConfig(epochs=1), X[:8000], y[:8000],
                            n_outputs=10)
    trainer.run_epoch()
    model = trainer.model
    plain = timed(lambda: evaluate(model, "softmax_ce", X, y), repeats)
    sweep = timed(lambda: robustness_curves(model, X, y, (28, 28)), repeats)
    rows = [("plain evaluation, 10,000 digits (reference)", f"{plain * 1000:.0f} ms", "1.0×", ""),
            ("robustness sweep, 10,000 digits × 23 settings", f"{sweep:.2f} s", f"{sweep / plain:.0f}×", "<= 3 s")]
    subsample = X[fixed_subsample(len(X))]
    for layer, name in enumerate(["input (784)", "hidden (100)", "output (10)"]):
        previous = layer_map(model, subsample, layer).coords
        update = timed(lambda: align(layer_map(model, subsample, layer).coords, previous), repeats)
        rows.append((f"map update, 2,000 digits, {name}", f"{update * 1000:.0f} ms", f"{update / plain:.1f}×",
                     "<= 200 ms"))
    return rows


def window_rows(folder: Path):
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from trainer_gui.state.run_state import RunState

    window = open_window(folder, 3)
    window.start()
    while window.state is not RunState.COMPLETED:
        QApplication.processEvents()
        time.sleep(0.01)
    tabs = window.workspace_tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Evaluate"))
    view = window.evaluate_view
    record = window.session.run
    moments = [record.step_of(i) for i in np.linspace(0, len(record) - 2, 6).astype(int)]
    lateness, clock = [], QElapsedTimer()
    probe = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=10)

    def on_probe():
        lateness.append(clock.nsecsElapsed() / 1e6 - 10.0)
        clock.restart()

    def settled(step):
        return (view.shown_step == step and not view.robustness.busy and not view.map_panel.busy
                and view.robustness.shown_step == step and view.map_panel.shown_step == step)

    probe.timeout.connect(on_probe)
    clock.start()
    probe.start()
    began = time.perf_counter()
    for step in moments:
        window.session.cursor.set(step=step)
        while not settled(step):
            loop = QEventLoop()
            QTimer.singleShot(5, loop.quit)
            loop.exec()
    elapsed = time.perf_counter() - began
    probe.stop()
    window.close()
    late = np.array(lateness)
    return [("six moments shown in the Evaluate tab (each: evaluation, sweep, map)", f"{elapsed:.1f} s", "", ""),
            ("10 ms QTimer lateness p50 meanwhile", f"{np.percentile(late, 50):.1f} ms", "", ""),
            ("10 ms QTimer lateness p99 meanwhile", f"{np.percentile(late, 99):.1f} ms", "", "<= 50 ms")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="folder of MNIST IDX files (the t10k pair)")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    folder = arguments.data or default_data_folder()
    make_application()
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, {os.cpu_count()} CPUs")
    print_table(["measure", "time", "÷ plain evaluation", "target"],
                headless_rows(folder, arguments.repeats) + window_rows(folder))


if __name__ == "__main__":
    main()
