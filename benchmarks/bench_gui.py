"""How much the window costs the training it shows, and how responsive it stays. Prints a table.

    python benchmarks/bench_gui.py [--data DIR] [--seconds 8] [--rounds 3]

(a) samples/s of the two-layer network trained at full speed in the window (offscreen, 1280×800,
    every view visible) versus the headless engine Trainer over the same time; target >= 0.9×.
    The headless Trainer is built as the window builds it, so it evaluates the held-out set at
    every epoch end as well; a second row leaves the held-out set out, for scale.
(b) lateness of a 10 ms QTimer on the GUI thread while training; target p99 <= 50 ms.
(c) time from launching the program to a shown window, with and without loading MNIST; target < 2 s.
Rounds alternate headless and GUI so a slow moment of the machine does not favour either; the
table gives the median round. Timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets up BLAS threads as the app does)

import numpy as np  # noqa: E402

from engine import ModelConfig, TrainConfig, build_trainer, load_folder  # noqa: E402
from trainer_gui.training_data import prepare_training_data  # noqa: E402

EPOCHS = 100_000   # never reached: every run here is cut by time


def default_data_folder() -> Path:
    configured = os.environ.get("MNIST_TRAINER_DATA")
    if configured:
        return Path(configured)
    return Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"


def headless_rate(data, seconds: float, held_out: bool) -> float:
    """Samples per second of the engine alone on the two-layer network.

    held_out: give the Trainer the held-out set, which it then evaluates at every epoch end.
    """
    held_out_set = (data.X_eval, data.y_eval) if held_out else ()
    trainer = build_trainer(ModelConfig(kind="two-layer"), TrainConfig(epochs=EPOCHS),
                            data.X_train, data.y_train, *held_out_set)
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        trainer.step()
    return trainer.samples_seen / (time.perf_counter() - started)


def gui_round(folder: Path, seconds: float):
    """(samples/s, timer lateness in ms) of the window training the two-layer network at full speed."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from trainer_gui.main_window import MainWindow
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.load_data(folder)   # in the background: wait for it
    while window.loading:
        QApplication.processEvents()
        time.sleep(0.01)
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("two-layer"))
    panel.epochs_spin.setValue(EPOCHS)
    lateness, clock = [], QElapsedTimer()
    probe = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=10)

    def on_probe():
        lateness.append(clock.nsecsElapsed() / 1e6 - 10.0)
        clock.restart()
    probe.timeout.connect(on_probe)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    started = time.perf_counter()
    window.start()
    clock.start()
    probe.start()
    loop.exec()
    elapsed = time.perf_counter() - started
    samples = window.trainer.samples_seen
    probe.stop()
    window.close()
    return samples / elapsed, lateness


def startup_seconds(folder: Path | None) -> float:
    """Wall time from launching a Python process to its window being shown and painted."""
    command = [sys.executable, __file__, "--child-startup"] + (["--data", str(folder)] if folder else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    child.stdout.readline()    # the child prints once its event loop has run after show()
    elapsed = time.perf_counter() - started
    child.wait(timeout=60)
    return elapsed


def child_startup(folder: str | None) -> None:
    from PySide6.QtCore import QTimer

    app = make_application()
    from trainer_gui.main_window import MainWindow
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    if folder:
        window.load_data(folder)

    def shown():
        print("shown", flush=True)
        window.close()
        app.quit()
    QTimer.singleShot(0, shown)   # runs after the first pass of the event loop has painted the window
    app.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child-startup", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_startup:
        child_startup(arguments.data and str(arguments.data))
        return
    folder = arguments.data or default_data_folder()
    make_application()
    data = prepare_training_data(load_folder(folder))
    headless, steps_only, gui, lateness = [], [], [], []
    for _ in range(arguments.rounds):
        headless.append(headless_rate(data, arguments.seconds, held_out=True))
        rate, late = gui_round(folder, arguments.seconds)
        gui.append(rate)
        lateness.extend(late)
        steps_only.append(headless_rate(data, arguments.seconds, held_out=False))
    startup = [startup_seconds(None) for _ in range(3)]
    startup_data = [startup_seconds(folder) for _ in range(3)]
    late = np.array(lateness)
    median = statistics.median
    rows = [
        ("headless Trainer, samples/s", f"{median(headless):,.0f}", ""),
        ("window, all views visible, samples/s", f"{median(gui):,.0f}", ""),
        ("window / headless Trainer", f"{median(gui) / median(headless):.2f}×", ">= 0.9×"),
        ("headless Trainer without held-out set, samples/s", f"{median(steps_only):,.0f}", ""),
        ("10 ms QTimer lateness p50 while training", f"{np.percentile(late, 50):.1f} ms", ""),
        ("10 ms QTimer lateness p99 while training", f"{np.percentile(late, 99):.1f} ms", "<= 50 ms"),
        ("launch to shown window", f"{median(startup):.2f} s", "< 2 s"),
        ("launch to shown window with MNIST loaded", f"{median(startup_data):.2f} s", ""),
    ]
    print(f"two-layer network (784-100-10), batch 100, {len(data.y_train):,} training digits; "
          f"{arguments.rounds} rounds of {arguments.seconds:g} s, medians; {os.cpu_count()} CPUs\n")
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | {'value':>12} | {'target':>8} |")
    print(f"|{'-' * (width + 2)}|{'-' * 14}|{'-' * 10}|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:>12} | {target:>8} |")


if __name__ == "__main__":
    main()
