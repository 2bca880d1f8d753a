"""What the run record costs: its memory over a long run, and the time to show a past moment. Prints tables.

    python benchmarks/bench_record.py [--data DIR] [--part record|moment|all] [--epochs 50]
                                      [--hidden 400] [--steps-per-second N] [--repeats 7]

(a) record: the RunRecord of a 50-epoch run of a 784-400-10 MLP on Fashion-MNIST (60,000 training
    images, batches of 100) must stay within its budget (256 MiB unless $MNIST_TRAINER_RECORD_MB
    says otherwise), keep every epoch end and >= MOMENTS_PER_EPOCH moments in each of its last
    epochs. Fifty real epochs would take long here, so the record is fed what the worker would
    give it over that run (see trainer_gui/training/worker.py): a moment every
    max(1, batches_per_epoch // MOMENTS_PER_EPOCH) steps, and a snapshot at each report (one per
    1/30 s of training, and at every epoch end), at the pace of the real model: a Trainer of that
    model trains for a few seconds first, which gives both its steps per second (unless
    --steps-per-second sets one) and its parameters; each snapshot is a fresh copy of them moved a
    little. The thinning only sees bytes, steps and epochs; add_snapshot is timed per call, as the
    GUI thread would spend it.
(b) moment: in the window (offscreen, 1280×800) on Fashion-MNIST (60,000 training, 10,000 test
    images), a 784-100-10 two-layer network trains 2 epochs; then the cursor is moved to a recorded
    moment inside an epoch (which the run did not evaluate) and timed until the mistakes view shows
    it, and for one more event pass (its paint): the MomentEvaluator's debounce, the evaluation of
    the 10,000 test images off the GUI thread and the draw at the window's next redraw. The window's
    own timers draw, and each move comes at a random time (up to the slowest redraw interval) after
    the last one, as a user's would. Then the cursor goes live and back to the same moment, now
    cached. Targets: <= 300 ms and <= 50 ms. The same again while the run trains on.
Timings are reported, never asserted. Each window gets a settings folder of its own (fresh_settings).
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
from bench_common import open_window  # noqa: E402  (beside this script)
sys.path.insert(0, str(REPO))

import trainer_gui  # noqa: E402,F401  (first: it sets up BLAS threads as the app does)

import numpy as np  # noqa: E402

from engine import ModelConfig, Snapshot, TrainConfig, build_trainer, load_folder  # noqa: E402
from trainer_gui.state.record import MOMENTS_PER_EPOCH, RunRecord  # noqa: E402
from trainer_gui.redraw_schedule import REFRESH_INTERVALS  # noqa: E402
from trainer_gui.training.worker import PUBLISH_INTERVAL  # noqa: E402
from trainer_gui.training_data import prepare_training_data  # noqa: E402

MiB = 1 << 20


def default_data_folder() -> Path:
    configured = os.environ.get("MNIST_TRAINER_DATA")
    if configured:
        return Path(configured)
    return Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "fashion-mnist"


def print_table(title: str, rows) -> None:
    print(f"\n{title}\n")
    width = max(len(r[0]) for r in rows)
    value_width = max(12, *(len(r[1]) for r in rows))
    target_width = max(8, *(len(r[2]) for r in rows))
    print(f"| {'measure':<{width}} | {'value':>{value_width}} | {'target':>{target_width}} |")
    print(f"|{'-' * (width + 2)}|{'-' * (value_width + 2)}|{'-' * (target_width + 2)}|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:>{value_width}} | {target:>{target_width}} |")


def resident_mib() -> float:
    """This process's resident memory (Linux), nan elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# --- (a) the record over a long run --------------------------------------------------------------
def worker_schedule(batches_per_epoch: int, epochs: int, steps_per_second: float):
    """What the worker hands the record over `epochs` epochs at `steps_per_second`: yields, per
    report, the list of (step, batch) snapshots it carries (its moments, then its own snapshot)."""
    every = max(1, batches_per_epoch // MOMENTS_PER_EPOCH)
    last_publish, carried = -float("inf"), []
    for step in range(1, epochs * batches_per_epoch + 1):
        batch = step % batches_per_epoch
        if step % every == 0:
            carried.append((step, batch))
        now = step / steps_per_second
        if batch == 0 or now - last_publish >= PUBLISH_INTERVAL:   # an epoch end forces a report
            last_publish = now
            if not carried or carried[-1][0] != step:
                carried.append((step, batch))
            yield carried
            carried = []


def record_rows(data, hidden: int, epochs: int, warm_seconds: float, kind: str, pace: float | None = None):
    model_config = ModelConfig(kind=kind, hidden=(hidden,))
    train_config = TrainConfig(epochs=epochs)
    trainer = build_trainer(model_config, train_config, data.X_train, data.y_train, data.X_eval, data.y_eval)
    initial = trainer.snapshot()
    started = time.perf_counter()
    while time.perf_counter() - started < warm_seconds:
        trainer.step()
    steps_per_second = pace or trainer.steps / (time.perf_counter() - started)
    bpe = trainer.batches_per_epoch
    trained = trainer.snapshot()
    parameters = [*trained.weights, *trained.biases]
    n_weights = len(trained.weights)
    drift = [(p - q).astype(np.float32) / max(trainer.steps, 1)
             for p, q in zip(parameters, [*initial.weights, *initial.biases])]
    del trainer
    gc.collect()

    def snapshot_at(step: int, batch: int) -> Snapshot:
        # fresh arrays as Trainer.snapshot makes them, moved along the measured drift per step
        arrays = [p + (step * 0.01) * d for p, d in zip(parameters, drift)]
        return Snapshot(arrays[:n_weights], arrays[n_weights:], step, step // bpe, step * train_config.batch_size)

    rss_before = resident_mib()
    record = RunRecord(model_config, train_config, bpe)
    record.add_snapshot(Snapshot([w.copy() for w in initial.weights], [b.copy() for b in initial.biases],
                                 0, 0, 0), 0)
    calls, reports, peak = [], 0, 0
    for carried in worker_schedule(bpe, epochs, steps_per_second):
        reports += 1
        for step, batch in carried:
            snapshot = snapshot_at(step, batch)
            begun = time.perf_counter()
            record.add_snapshot(snapshot, batch)
            calls.append(time.perf_counter() - begun)
            peak = max(peak, record.nbytes)
            del snapshot
    gc.collect()
    rss_grown = resident_mib() - rss_before

    steps = record.steps
    ends = [s for s in steps if s % bpe == 0]
    last_steps = epochs * bpe
    in_epoch = {e: sum(1 for s in steps if e * bpe < s < (e + 1) * bpe) for e in range(epochs)}   # inside
    with_end = {e: in_epoch[e] + ((e + 1) * bpe in steps) for e in range(epochs)}
    moment_bytes = sum(p.nbytes for p in parameters)
    calls = np.array(calls)
    run_seconds = last_steps / steps_per_second
    sizes = "-".join(str(n) for n in (data.X_train.shape[1], hidden, int(data.y_train.max()) + 1))
    title = (f"Run record: {epochs} epochs of a {sizes} {kind} ({moment_bytes / MiB:.2f} MiB a moment in float32) "
             f"on {len(data.y_train):,} training images, batch {train_config.batch_size} ({bpe} batches an "
             f"epoch): {len(calls):,} snapshots fed as the worker reports them at {'the measured ' * (not pace)}"
             f"{steps_per_second:,.0f} steps/s ({reports / epochs:.0f} reports an epoch, a moment every "
             f"{max(1, bpe // MOMENTS_PER_EPOCH)} steps)")
    rows = [
        ("record.nbytes at the end", f"{record.nbytes / MiB:.1f} MiB", f"<= {record.budget / MiB:.0f} MiB"),
        ("record.nbytes at its largest (after each add)", f"{peak / MiB:.1f} MiB", f"<= {record.budget / MiB:.0f} MiB"),
        ("process memory grown by the record (RSS)", f"{rss_grown:.0f} MiB", ""),
        ("snapshots fed / moments kept", f"{len(calls):,} / {len(steps):,}", ""),
        ("W₀ and epoch ends kept", f"{len(ends)} of {epochs + 1}", f"{epochs + 1}"),
        (f"moments in epoch {epochs - 1} / epoch {epochs} (with its end)",
         f"{with_end[epochs - 2]} / {with_end[epochs - 1]}", f">= {MOMENTS_PER_EPOCH}"),
        ("epochs keeping moments inside them", f"{sum(1 for n in in_epoch.values() if n)} of {epochs}", ""),
        ("add_snapshot, mean per call", f"{calls.mean() * 1e3:.2f} ms", ""),
        ("add_snapshot, p99 / max per call", f"{np.percentile(calls, 99) * 1e3:.1f} / {calls.max() * 1e3:.1f} ms", ""),
        ("add_snapshot, total", f"{calls.sum():.1f} s", ""),
        ("… as a share of the run's training time", f"{calls.sum() / run_seconds:.1%}", ""),
    ]
    return title, rows


# --- (b) a past moment in the window -------------------------------------------------------------
class MomentClock:
    """Timestamps of one past moment's way to the screen, from hooks on the window's own objects:
    the evaluation in its job thread, the evaluator's `ready`, and each Dashboard.draw."""

    def __init__(self, window, seed: int = 0):
        import trainer_gui.training.moment_evaluator as moment_evaluator
        self.window, self.module = window, moment_evaluator
        self.target = None
        self._random = np.random.default_rng(seed)
        self.reset()
        real_evaluate = self._real_evaluate = moment_evaluator.evaluate

        def timed_evaluate(*args):
            self.evaluation_started = time.perf_counter()
            try:
                return real_evaluate(*args)
            finally:
                self.evaluation_ended = time.perf_counter()
        moment_evaluator.evaluate = timed_evaluate
        window.evaluator.ready.connect(self._on_ready)
        dashboard = window.dashboard
        real_draw = dashboard.draw

        def timed_draw(views, *args):
            begun = time.perf_counter()
            real_draw(views, *args)
            # the moment at the target (while the run trains on, thinning may drop the very step)
            if self.target is not None and self.shown is None and \
                    window.mistakes_view.shown_step == window.session.run.moment_step(self.target):
                self.draw_started, self.shown = begun, time.perf_counter()
        dashboard.draw = timed_draw

    def reset(self) -> None:
        self.evaluation_started = self.evaluation_ended = self.ready = self.draw_started = self.shown = None

    def _on_ready(self, record, step) -> None:
        if self.target is not None and step == record.moment_step(self.target):
            self.ready = time.perf_counter()

    def close(self) -> None:
        self.module.evaluate = self._real_evaluate

    def show(self, step, timeout: float = 20.0) -> dict | None:
        """Move the cursor to `step` (None: live) and wait for the mistakes view to show it (live:
        any evaluation the run made); the durations in ms, None after `timeout` seconds. The
        window's own timers draw, as they do for a user, and the move comes at a random time
        (up to the slowest redraw interval) after the last one, as a user's would."""
        from PySide6.QtWidgets import QApplication
        window = self.window
        settle = time.perf_counter() + self._random.uniform(0, max(REFRESH_INTERVALS.values()))
        while time.perf_counter() < settle:
            QApplication.processEvents()
            time.sleep(0.001)
        cursor, mistakes = window.session.cursor, window.mistakes_view
        self.reset()
        if step is None and cursor.live and mistakes.shown_step is not None:
            return None   # there already
        if step is None:
            record = cursor.run
            self.target = None
            shown = lambda: mistakes.shown_step is not None and record.evaluation(mistakes.shown_step) is not None  # noqa: E731
        else:
            self.target = step
            shown = lambda: self.shown is not None  # noqa: E731
        began = time.perf_counter()
        cursor.set(step=step)
        while not shown():
            if time.perf_counter() - began > timeout:
                return None
            QApplication.processEvents()
            time.sleep(0.001)   # an event loop's wait: the job thread and the worker need the GIL
        if step is None:
            return {}
        painting = time.perf_counter()
        QApplication.processEvents()   # the paints the draw asked for (one event pass: whatever else is queued too)
        painted = time.perf_counter()
        times = {"total": painted - began, "draw": self.shown - self.draw_started, "paint": painted - painting}
        if self.evaluation_started is not None:
            times.update(before_evaluation=self.evaluation_started - began,
                         evaluation=self.evaluation_ended - self.evaluation_started,
                         to_ready=self.ready - self.evaluation_ended,
                         tick_wait=self.draw_started - self.ready)
        return {name: seconds * 1e3 for name, seconds in times.items()}


def moment_rows(folder: Path, repeats: int, hidden: int, epochs: int):
    from PySide6.QtWidgets import QApplication

    from trainer_gui.app import make_application
    from trainer_gui.training.moment_evaluator import DEBOUNCE_MS
    from trainer_gui.state.run_state import RunState
    make_application()
    window = open_window(folder, epochs, hidden)
    data = window.data
    clock = MomentClock(window)

    def pump_until(condition, timeout=600.0):
        began = time.perf_counter()
        while not condition():
            if time.perf_counter() - began > timeout:
                raise TimeoutError("the window did not get there")
            QApplication.processEvents()
            time.sleep(0.005)

    def measure(pick):
        """(uncached, cached) timings of `repeats` moments, the i-th being pick(i): each is shown
        from the live end, then again (cached) after going live once more."""
        uncached, cached, missed = [], [], 0
        for i in range(repeats):
            step = pick(i)
            clock.show(None)                   # from the live end, drawn
            first = clock.show(step)
            clock.show(None)
            again = clock.show(step) if first is not None else None
            if first is None or again is None:
                missed += 1   # e.g. thinned away while the run trains on
                continue
            uncached.append(first)
            cached.append(again)
        return uncached, cached, missed

    def inside_moments(record):
        bpe = record.batches_per_epoch
        return [s for s in record.steps if s % bpe and record.evaluation(s) is None]

    began = time.perf_counter()
    window.start()
    pump_until(lambda: window.state is RunState.COMPLETED and window.session.run is not None
               and window.session.run.latest_evaluation()[0] == window.session.run.latest_step)
    trained_seconds = time.perf_counter() - began
    record = window.session.run
    finished = inside_moments(record)
    idle = measure(lambda i: finished[round(i * (len(finished) - 1) / max(repeats - 1, 1))])

    # again while the run goes on training (the evaluation then shares the CPUs with the training)
    window.model_panel.epochs_spin.setValue(1000)
    window.start()
    pump_until(lambda: window.state is RunState.RUNNING)
    pump_until(lambda: window.trainer.steps > record.batches_per_epoch * (epochs + 1), timeout=120)
    # each time a moment of the epoch before the current one (recent enough not to be thinned)
    training = measure(lambda i: [s for s in inside_moments(record)
                                  if s < record.latest_step - record.batches_per_epoch // 2][-1])
    window.stop()
    clock.close()
    window.close()

    def stats(samples, key):
        values = [s[key] for s in samples if key in s]
        return f"{statistics.median(values):.0f} / {max(values):.0f} ms" if values else "–"

    sizes = f"{data.X_train.shape[1]}-{hidden}-{data.n_classes}"
    title = (f"A past moment in the window: {sizes} two-layer network, {len(data.y_train):,} training and "
             f"{len(data.y_eval):,} {data.eval_name} images ({folder.name}), {epochs} epochs trained in "
             f"{trained_seconds:.1f} s; moments inside epochs (the run did not evaluate them), each shown "
             f"uncached, then cached after going live; median / max")
    rows = []
    for label, (uncached, cached, missed) in (("finished run", idle), ("while training", training)):
        rows += [
            (f"{label}: moments shown (missed)", f"{len(uncached)} ({missed})", ""),
            (f"{label}: not evaluated yet, cursor to shown", stats(uncached, "total"), "<= 300 ms"),
            (f"  … cursor to evaluation start (redraw wait, draw, {DEBOUNCE_MS} ms debounce)",
             stats(uncached, "before_evaluation"), ""),
            (f"  … evaluation of {len(data.y_eval):,} images (job thread)", stats(uncached, "evaluation"), ""),
            ("  … job end to `ready` in the GUI thread", stats(uncached, "to_ready"), ""),
            ("  … `ready` to the redraw (the schedule's wait)", stats(uncached, "tick_wait"), ""),
            ("  … the draw (Dashboard.draw)", stats(uncached, "draw"), ""),
            ("  … the paint (the next event pass)", stats(uncached, "paint"), ""),
            (f"{label}: evaluation cached, cursor to shown", stats(cached, "total"), "<= 50 ms"),
            ("  … the draw (Dashboard.draw)", stats(cached, "draw"), ""),
            ("  … the paint (the next event pass)", stats(cached, "paint"), ""),
        ]
    return title, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="a folder with the Fashion-MNIST (or MNIST) files")
    parser.add_argument("--part", choices=("record", "moment", "all"), default="all")
    parser.add_argument("--epochs", type=int, default=50, help="of the recorded run (a)")
    parser.add_argument("--hidden", type=int, default=400, help="hidden width of the recorded run (a)")
    parser.add_argument("--kind", choices=("mlp", "two-layer"), default="mlp", help="model of the recorded run (a)")
    parser.add_argument("--warm-seconds", type=float, default=4.0,
                        help="real training of (a)'s model, for its pace and parameters")
    parser.add_argument("--steps-per-second", type=float, default=None,
                        help="the pace of (a)'s run (default: the model's, measured headless)")
    parser.add_argument("--repeats", type=int, default=7, help="moments shown in (b), each uncached then cached")
    arguments = parser.parse_args()
    folder = arguments.data or default_data_folder()
    print(f"{os.cpu_count()} CPUs; data {folder}")
    if arguments.part in ("record", "all"):
        data = prepare_training_data(load_folder(folder))
        print_table(*record_rows(data, arguments.hidden, arguments.epochs, arguments.warm_seconds, arguments.kind,
                                arguments.steps_per_second))
        del data
        gc.collect()
    if arguments.part in ("moment", "all"):
        print_table(*moment_rows(folder, arguments.repeats, hidden=100, epochs=2))


if __name__ == "__main__":
    main()
