"""How much the window costs the training it shows, and how responsive it stays. Prints a table.

    python benchmarks/bench_gui.py [--data DIR] [--seconds 8] [--rounds 3] [--breakdown]
    python benchmarks/bench_gui.py --networks [--only TEXT] [--seconds 8] [--rounds 3]
    python benchmarks/bench_gui.py --plot

(a) samples/s of the two-layer network trained at full speed in the window (offscreen, 1280×800,
    every view visible) versus the headless engine Trainer over the same time; target >= 0.95× (issue 16).
    The headless Trainer is built as the window builds it, so it evaluates the held-out set at
    every epoch end as well; a second row leaves the held-out set out, for scale.
(b) lateness of a 10 ms QTimer on the GUI thread while training; target p99 <= 20 ms.
(g) for scale, the headless Trainer beside work of 3 ms in every 10 (as a GUI thread drawing does)
    in another process (what the other core's work alone takes from the training, whatever runs the
    GUI), and in a thread of its own process (pure Python: it holds the interpreter lock, the GIL,
    while it works, as the GUI thread's Python does: what that adds for a worker thread).
(c) time from launching the program to a shown window, with and without loading MNIST; target < 2 s.
(e) with --plot only: the loss plot's update + paint time per redraw at 10 thousand, 1 million and
    10 million recorded steps (100 steps and an epoch end added before each redraw: the epoch
    curves hold an epoch per 600 steps, 16,667 at 10 million), as shipped (decimated curves)
    and, for reference in the same run, drawing the whole arrays (pyqtgraph's own peak
    downsampling of what is visible, as before); target <= 8 ms at 10 million.
(f) with --networks only: (a), (b) and (g) for each of NETWORKS (784-100-10 at batch 10, 100 and
    1000, the wide 784-4000-10 and a 6×256 ReLU MLP at batch 100; --only TEXT keeps those whose name
    holds TEXT), each window against a headless Trainer built from that window's own settings;
    target >= 0.95× with p99 <= 20 ms. The window trains twice a round: as shipped (the worker in
    its QThread) and with the same worker loop in a child process (benchmarks/engine_process.py, a
    measuring prototype: the speed issue asked what would reach the target if a thread cannot).
    Each row gives the CPU time of the GUI thread and of the engine (its thread, or the child
    process) as a share of the wall time (Linux's /proc schedstat).
(d) what the run record costs in those GUI rounds: the GUI thread's time in RunRecord.add_progress
    (the worker's moments and snapshots added to the record) and in its thinning (RunRecord._thin,
    which runs at every addition once the record is at its budget), the worker's time copying
    parameters (Trainer.snapshot), the snapshots handed to the record per second (add_snapshot
    calls) and when the budget was reached.
    With --breakdown, each round also trains in the window twice more, for reference: without the
    moments between reports (the worker's MOMENTS_PER_EPOCH set to 1: only reports and epoch ends
    are recorded) and with a record never thinned (MNIST_TRAINER_RECORD_MB=4096 for that round: it
    holds up to ~1 GiB in an 8 s round on the 8,000 default digits).
Rounds alternate headless and GUI so a slow moment of the machine does not favour either; the
table gives the median round. Each round trains WARM_UP seconds before its samples are counted
(`--seconds` is what is counted; the timer's lateness is taken over the whole round). Timings are
reported, never asserted.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
from bench_common import fresh_settings, open_window, print_table  # noqa: E402  (beside this script)
from engine_process import in_child_process  # noqa: E402
sys.path.insert(0, str(REPO))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets up BLAS threads as the app does)

import numpy as np  # noqa: E402

from engine import ModelConfig, TrainConfig, build_trainer, load_folder  # noqa: E402
from trainer_gui.training_data import prepare_training_data  # noqa: E402

EPOCHS = 100_000   # never reached: every run here is cut by time
# seconds each round trains before its samples are counted (the window's and the headless alike):
# the first seconds of a run, and of a new thread, were up to 2x slower here, which decided short
# rounds' ratios more than the window did
WARM_UP = 2.0
START_TIMEOUT = 30.0   # seconds a round waits for the engine's first report
UNTHINNED_BUDGET = 4 << 30   # bytes: the --breakdown round whose record is never thinned
NETWORKS = {   # (f): name -> (model kind, hidden sizes as typed, batch size)
    "784-100-10, batch 10": ("two-layer", "100", 10),
    "784-100-10, batch 100": ("two-layer", "100", 100),
    "784-100-10, batch 1000": ("two-layer", "100", 1000),
    "784-4000-10, batch 100": ("two-layer", "4000", 100),
    "784-6×256-10 MLP, batch 100": ("mlp", ", ".join(["256"] * 6), 100),
}
VARIANTS = {   # name: the column of the --breakdown table
    "shipped": "as shipped",
    "reports only": "no moments between reports",
    "never thinned": "record never thinned",
}


def default_data_folder() -> Path:
    configured = os.environ.get("MNIST_TRAINER_DATA")
    if configured:
        return Path(configured)
    return Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"


def headless_rate(data, seconds: float, held_out: bool, configs=None) -> float:
    """Samples per second of the engine alone, on the two-layer network or on `configs` (a
    window's (ModelConfig, TrainConfig)).

    held_out: give the Trainer the held-out set, which it then evaluates at every epoch end.
    """
    held_out_set = (data.X_eval, data.y_eval) if held_out else ()
    model, training = configs or (ModelConfig(kind="two-layer"), TrainConfig(epochs=EPOCHS))
    trainer = build_trainer(model, training, data.X_train, data.y_train, *held_out_set)
    began = time.perf_counter()
    while time.perf_counter() - began < WARM_UP:
        trainer.step()
    started, seen = time.perf_counter(), trainer.samples_seen
    while time.perf_counter() - started < seconds:
        trainer.step()
    return (trainer.samples_seen - seen) / (time.perf_counter() - started)


BUSY, PERIOD = 0.003, 0.010   # seconds: work as a GUI thread drawing at ~30 Hz does, 3 ms in every 10
BURSTS = f"""import time
while True:
    began = time.perf_counter()
    while time.perf_counter() - began < {BUSY}:
        pass
    time.sleep({PERIOD - BUSY})
"""   # the same work in a process of its own


def headless_beside_bursts(data, seconds: float, configs=None) -> float:
    """headless_rate (with the held-out set) while another process works in short bursts: what the
    machine alone takes from the training when the other core wakes and sleeps (a window's GUI
    thread does; a GUI in another process would too)."""
    burner = subprocess.Popen([sys.executable, "-c", BURSTS])
    try:
        time.sleep(0.3)
        return headless_rate(data, seconds, held_out=True, configs=configs)
    finally:
        burner.kill()
        burner.wait()


def busy_python(stop: threading.Event) -> None:
    """BURSTS in a thread of this process: pure Python, so it holds the interpreter lock while busy."""
    while not stop.is_set():
        began = time.perf_counter()
        while time.perf_counter() - began < BUSY:
            pass
        time.sleep(PERIOD - BUSY)


def headless_beside_thread(data, seconds: float, configs=None) -> float:
    """headless_rate beside a thread of this process doing BURSTS' work (with the window's GIL switch
    interval): what a GUI thread's Python alone takes from an engine in a thread of the same process."""
    from trainer_gui.main_window import GIL_SWITCH_INTERVAL
    saved = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    stop = threading.Event()
    burner = threading.Thread(target=busy_python, args=(stop,), daemon=True)
    burner.start()
    try:
        return headless_rate(data, seconds, held_out=True, configs=configs)
    finally:
        stop.set()
        burner.join()
        sys.setswitchinterval(saved)


def cpu_seconds(pid: int | None = None) -> dict[str, float]:
    """CPU seconds of each thread of this process by name ("main" for the GUI thread), or the total
    of process `pid` under "total"; from Linux's /proc/*/task/*/schedstat ({} elsewhere)."""
    own = pid is None
    pid = os.getpid() if own else pid
    seconds: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError, ValueError):
                with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                    ran = int(stat.read().split()[0]) / 1e9
                with open(f"/proc/{pid}/task/{task}/comm") as comm:
                    name = "main" if int(task) == pid else comm.read().strip()
                name = name if own else "total"
                seconds[name] = seconds.get(name, 0.0) + ran
    return seconds


class RecordCost:
    """Times the run record's work while installed (a context manager): RunRecord.add_progress and
    RunRecord._thin in the GUI thread, the engine's Trainer.snapshot (parameter copies) in the
    worker. Two perf_counter calls a call: microseconds next to what they time."""

    def __init__(self):
        self.seconds = {"add_progress": 0.0, "thin": 0.0, "snapshot": 0.0}
        self.snapshots = 0         # add_snapshot calls (a step recorded already is not added again)
        self.first_thin = None     # perf_counter of the first thinning: the record was at its budget
        self._undo = []

    def _wrap(self, owner, name, key, on_call=None):
        real = getattr(owner, name)
        seconds = self.seconds

        def timed(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                if key is not None:
                    seconds[key] += time.perf_counter() - begun
                if on_call is not None:
                    on_call(begun)
        setattr(owner, name, timed)
        self._undo.append((owner, name, real))

    def _on_thin(self, begun):
        if self.first_thin is None:
            self.first_thin = begun

    def _on_snapshot_added(self, begun):
        self.snapshots += 1

    def __enter__(self):
        from engine.trainer import Trainer
        from trainer_gui.state.record import RunRecord
        self._wrap(RunRecord, "add_progress", "add_progress")
        self._wrap(RunRecord, "add_snapshot", None, self._on_snapshot_added)
        if hasattr(RunRecord, "_thin"):
            self._wrap(RunRecord, "_thin", "thin", self._on_thin)
        self._wrap(Trainer, "snapshot", "snapshot")
        return self

    def __exit__(self, *exc):
        for owner, name, real in reversed(self._undo):
            setattr(owner, name, real)
        self._undo.clear()


@contextlib.contextmanager
def variant_installed(variant: str):
    """The window as shipped, or one of the --breakdown references (see the module's doc)."""
    import trainer_gui.training.worker as worker
    from trainer_gui.state.record import BUDGET_ENV
    saved_moments, saved_budget = worker.MOMENTS_PER_EPOCH, os.environ.get(BUDGET_ENV)
    if variant == "reports only":
        worker.MOMENTS_PER_EPOCH = 1     # a moment every batches_per_epoch steps: the epoch ends
    elif variant == "never thinned":
        os.environ[BUDGET_ENV] = str(UNTHINNED_BUDGET >> 20)
    try:
        yield
    finally:
        worker.MOMENTS_PER_EPOCH = saved_moments
        if saved_budget is None:
            os.environ.pop(BUDGET_ENV, None)
        else:
            os.environ[BUDGET_ENV] = saved_budget


def gui_round(folder: Path, seconds: float, variant: str = "shipped", network=None, engine: str = "thread"):
    """(samples/s, timer lateness in ms, RecordCost, elapsed s, the window's (ModelConfig,
    TrainConfig), CPU shares) of the window training at full speed: the two-layer network, or
    `network` (a NETWORKS value). engine: "thread" (as shipped) or "process" (engine_process's
    prototype: the same worker loop in a child process). CPU shares: {"GUI thread", "engine"} ->
    CPU seconds ÷ wall seconds over the counted part of the round (empty off Linux)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    kind, hidden, batch = network or ("two-layer", None, None)
    window = open_window(folder, EPOCHS, hidden=hidden, kind=kind, batch=batch)
    configs = (window.model_panel.model_config(), window.model_panel.train_config())
    lateness, clock = [], QElapsedTimer()
    probe = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=10)

    def on_probe():
        lateness.append(clock.nsecsElapsed() / 1e6 - 10.0)
        clock.restart()
    probe.timeout.connect(on_probe)
    loop = QEventLoop()
    marks = []   # (time, samples, GUI thread CPU s, engine CPU s) once the warm-up is over, and at the end

    def engine_cpu():
        handle = window.training_thread
        if handle is None:   # the run ended early (an error): nothing more to count
            return 0.0
        return cpu_seconds(handle.pid).get("total", 0.0) if engine == "process" \
            else cpu_seconds().get("training", 0.0)

    def mark():
        samples = window.trainer.samples_seen if window.trainer is not None else 0
        marks.append((time.perf_counter(), samples, cpu_seconds().get("main", 0.0), engine_cpu()))

    def first_report():
        # the warm-up counts from the engine's first report: a child process takes a second or so
        # to start, which must not count as training time
        if window.trainer is None or window.trainer.samples_seen == 0:
            return
        waiting.stop()
        QTimer.singleShot(int(WARM_UP * 1000), mark)
        QTimer.singleShot(int((WARM_UP + seconds) * 1000), loop.quit)
    waiting = QTimer(interval=10)
    waiting.timeout.connect(first_report)
    QTimer.singleShot(int((START_TIMEOUT + WARM_UP + seconds) * 1000), loop.quit)
    placed = in_child_process(window, EPOCHS) if engine == "process" else contextlib.nullcontext()
    with variant_installed(variant), RecordCost() as cost, placed:
        started = time.perf_counter()
        window.start()
        waiting.start()
        clock.start()
        probe.start()
        loop.exec()
        mark()
        ended = time.perf_counter()
        probe.stop()
        waiting.stop()
        window.close()
    if len(marks) != 2:
        raise RuntimeError(f"the {engine} engine sent no report within {START_TIMEOUT:g} s, or stopped early")
    if cost.first_thin is not None:
        cost.first_thin -= started
    (warm_time, warm_samples, gui_warm, engine_warm), (end_time, samples, gui_end, engine_end) = marks
    wall = end_time - warm_time
    shares = {"GUI thread": (gui_end - gui_warm) / wall, "engine": (engine_end - engine_warm) / wall} \
        if engine_end else {}
    return (samples - warm_samples) / wall, lateness, cost, ended - started, configs, shares


ENGINES = {"thread": "as shipped (worker QThread)", "process": "engine in a child process (prototype)"}


def network_rows(folder: Path, data, seconds: float, rounds: int, networks=NETWORKS) -> None:
    """(f): window ÷ headless and the GUI thread's lateness for each of NETWORKS, with the worker in
    its thread (as shipped) and in a child process (the prototype), and for reference the headless
    Trainer beside work that holds the interpreter lock (a thread) or does not (a process)."""
    shipped, prototype, references = [], [], []
    percent = lambda values: f"{statistics.median(values):.0%}" if values else "–"   # noqa: E731
    for name, network in networks.items():
        headless, beside_thread, beside_process = [], [], []
        rates = {engine: [] for engine in ENGINES}
        late = {engine: [] for engine in ENGINES}
        cpu = {(engine, who): [] for engine in ENGINES for who in ("GUI thread", "engine")}
        snapshots = {engine: [] for engine in ENGINES}
        for _ in range(rounds):   # alternating, so a slow moment of the machine favours none
            for engine in ENGINES:
                rate, lateness, cost, elapsed, configs, shares = gui_round(folder, seconds, network=network,
                                                                           engine=engine)
                rates[engine].append(rate)
                snapshots[engine].append(cost.snapshots / elapsed)
                late[engine].extend(lateness)
                for who, share in shares.items():
                    cpu[engine, who].append(share)
            headless.append(headless_rate(data, seconds, held_out=True, configs=configs))
            beside_thread.append(headless_beside_thread(data, seconds, configs))
            beside_process.append(headless_beside_bursts(data, seconds, configs))
        base = statistics.median(headless)
        for engine, rows in (("thread", shipped), ("process", prototype)):
            rows.append((name, f"{base:,.0f}", f"{statistics.median(rates[engine]):,.0f}",
                         f"{statistics.median(rates[engine]) / base:.2f}×", percent(cpu[engine, "GUI thread"]),
                         percent(cpu[engine, "engine"]), f"{statistics.median(snapshots[engine]):,.0f}",
                         f"{np.percentile(late[engine], 99):.1f} ms"))
        references.append((name, f"{base:,.0f}", f"{statistics.median(beside_thread) / base:.2f}×",
                           f"{statistics.median(beside_process) / base:.2f}×"))
    header = ["network", "headless samples/s", "window samples/s", "window / headless", "GUI thread CPU",
              "engine CPU", "moments/s", "timer p99"]
    print(f"window (1280×800, Train tab) ÷ headless Trainer of the same settings, {len(data.y_train):,} training "
          f"digits; {rounds} rounds of {seconds:g} s, medians; targets >= 0.95× and p99 <= 20 ms; "
          f"{os.cpu_count()} CPUs; CPU = CPU seconds ÷ wall seconds; moments/s = snapshots handed to the "
          f"run record a second\n")
    print(f"{ENGINES['thread']}:\n")
    print_table(header, shipped)
    print(f"\n{ENGINES['process']}: benchmarks/engine_process.py, the same worker loop and reports\n")
    print_table(header, prototype)
    print(f"\nfor reference, the headless Trainer beside work of {BUSY * 1e3:g} ms in every {PERIOD * 1e3:g} ms in a "
          f"thread of its process (pure Python: it holds the interpreter lock meanwhile) or in another process\n")
    print_table(["network", "headless samples/s", "beside a thread", "beside a process"], references)


def epoch_record(epoch: int, batches_per_epoch: int):
    """An EpochRecord (train and held-out) for the loss plot's epoch curves."""
    from engine.trainer import EpochRecord
    return EpochRecord(epoch, epoch * batches_per_epoch * 100, 0.3, 0.1, 0.35, 0.12, 0.1)


def plot_redraws(plot, history, redraws: int = 15) -> tuple[float, float]:
    """Median ms of (update, paint) of `plot` drawing `history` after 100 new steps and a new epoch
    (the worst redraw: the one after an epoch end, when the epoch curves change too), `redraws`
    times."""
    rng = np.random.default_rng(0)
    update, paint = [], []
    for _ in range(redraws):
        last = history.batch_x.values[-1]
        history.batch_x.extend(last + np.arange(1, 101) / history.batches_per_epoch)
        history.batch_loss.extend(0.2 + 0.1 * rng.random(100))
        history.batch_loss_smoothed.extend(np.full(100, 0.25))
        history.add_epochs([epoch_record(len(history.epoch_x) + 1, history.batches_per_epoch)])
        history.revision += 1
        began = time.perf_counter()
        plot.show_history(history)
        drawn = time.perf_counter()
        plot.viewport().repaint()   # painted now, into the window's backing store, as the event loop would
        painted = time.perf_counter()
        update.append((drawn - began) * 1e3)
        paint.append((painted - drawn) * 1e3)
    return statistics.median(update), statistics.median(paint)


def plot_rows() -> None:
    """(e): the loss plot at 10k, 1M and 10M steps, decimated (as shipped) and whole (reference)."""
    from PySide6.QtTest import QTest

    from trainer_gui.state.history import TrainingHistory
    from trainer_gui.views.loss_plot import LossPlot

    class WholeArrays(LossPlot):
        """The reference: every step handed to pyqtgraph (its peak downsampling and clipping on), every
        epoch point marked."""

        def __init__(self):
            super().__init__()
            self.plot.setDownsampling(mode="peak", auto=True)
            self.plot.setClipToView(True)

        def show_history(self, history) -> None:
            x = history.batch_x.values
            self.batch_curve.setData(x, history.batch_loss.values, connect="finite")
            self.smoothed_curve.setData(x, history.batch_loss_smoothed.values, connect="finite")
            # and a mark on every epoch point, whatever their number (as before MARKED_EPOCHS)
            if self.train_curve.xData is None or len(history.epoch_x) != len(self.train_curve.xData):
                self.train_curve.setData(history.epoch_x.values, history.train_loss.values)
                self.eval_curve.setData(history.eval_x.values, history.eval_loss.values)
            self._fit_range(history, (x, history.batch_loss.values), (x, history.batch_loss_smoothed.values))

    rows = []
    for steps in (10_000, 1_000_000, 10_000_000):
        times = {}
        for name, kind in (("decimated", LossPlot), ("whole", WholeArrays)):
            if name == "whole" and steps > 1_000_000:
                continue   # ~1 s a redraw: measured at 1M, where it already fails
            rng = np.random.default_rng(steps)
            history = TrainingHistory(batches_per_epoch=600)
            history.batch_x.extend(np.arange(1, steps + 1) / 600)
            history.batch_loss.extend(0.2 + np.exp(-np.arange(steps) / 1e5) + 0.1 * rng.random(steps))
            history.batch_loss_smoothed.extend(0.25 + np.exp(-np.arange(steps) / 1e5))
            history.add_epochs([epoch_record(epoch, 600) for epoch in range(1, steps // 600 + 1)])
            plot = kind()
            plot.resize(900, 320)
            plot.show()
            QTest.qWaitForWindowExposed(plot)   # else a repaint paints nothing
            plot.set_epochs_planned(int((steps + 1500) / 600) + 1)   # the x axis holds the redraws as a run's planned epochs do
            plot.show_history(history)   # the first draw builds what is kept
            plot.viewport().repaint()
            times[name] = plot_redraws(plot, history)
            plot.close()
        row = [f"{steps:,} steps", *(f"{u:.1f} + {p:.1f} ms" for u, p in (times["decimated"],))]
        row.append(f"{times['whole'][0]:.1f} + {times['whole'][1]:.1f} ms" if "whole" in times else "(not run)")
        row.append("<= 8 ms" if steps == 10_000_000 else "")
        rows.append(row)
    print("loss plot redraw (update + paint) after 100 new steps and an epoch end (600 steps an epoch: 16,667 "
          "epoch points at 10 million steps), 900×320 px, medians of 15 redraws\n")
    print_table(["recorded steps", "decimated (shipped)", "whole arrays (reference)", "target"], rows)


def startup_seconds(folder: Path | None) -> float:
    """Wall time from launching a Python process to its window being shown and painted."""
    command = [sys.executable, __file__, "--child-startup"] + (["--data", str(folder)] if folder else [])
    fresh_settings()   # the child inherits it: a first launch, without a remembered folder or size
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
    parser.add_argument("--breakdown", action="store_true",
                        help="also train in the window without the moments between reports and with a "
                             "record never thinned, for reference (two more GUI rounds a round)")
    parser.add_argument("--plot", action="store_true", help="only (e): the loss plot's redraw at 10k-10M steps")
    parser.add_argument("--networks", action="store_true",
                        help="only (f): window / headless for each network and batch size of NETWORKS")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="with --networks: only the networks whose name holds TEXT (e.g. 'batch 100')")
    parser.add_argument("--child-startup", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_startup:
        child_startup(arguments.data and str(arguments.data))
        return
    if arguments.plot:
        make_application()
        plot_rows()
        return
    folder = arguments.data or default_data_folder()
    make_application()
    data = prepare_training_data(load_folder(folder))
    if arguments.networks:
        chosen = {name: network for name, network in NETWORKS.items()
                  if not arguments.only or any(text in name for text in arguments.only)}
        if not chosen:
            parser.error(f"--only {' / '.join(arguments.only)}: no such network; they are: {', '.join(NETWORKS)}")
        network_rows(folder, data, arguments.seconds, arguments.rounds, chosen)
        return
    variants = list(VARIANTS) if arguments.breakdown else ["shipped"]
    headless, steps_only, lateness, beside, beside_thread = [], [], [], [], []
    gui = {variant: [] for variant in variants}
    costs = {variant: [] for variant in variants}   # (RecordCost, elapsed) of each GUI round
    for _ in range(arguments.rounds):
        headless.append(headless_rate(data, arguments.seconds, held_out=True))
        for variant in variants:
            rate, late, cost, elapsed, _, _ = gui_round(folder, arguments.seconds, variant)
            gui[variant].append(rate)
            costs[variant].append((cost, elapsed))
            if variant == "shipped":
                lateness.extend(late)
        steps_only.append(headless_rate(data, arguments.seconds, held_out=False))
        beside.append(headless_beside_bursts(data, arguments.seconds))
        beside_thread.append(headless_beside_thread(data, arguments.seconds))
    startup = [startup_seconds(None) for _ in range(3)]
    startup_data = [startup_seconds(folder) for _ in range(3)]
    late = np.array(lateness)
    median = statistics.median

    def share(variant, key):
        return f"{median(cost.seconds[key] / elapsed for cost, elapsed in costs[variant]):.1%}"

    def snapshots_per_second(variant):
        return f"{median(cost.snapshots / elapsed for cost, elapsed in costs[variant]):,.0f}"

    def budget_reached(variant):
        reached = [cost.first_thin for cost, _ in costs[variant] if cost.first_thin is not None]
        if not reached:
            return "never"
        return f"{median(reached):.1f} s" if len(reached) == len(costs[variant]) else \
            f"{len(reached)} of {len(costs[variant])} rounds"

    rows = [
        ("headless Trainer, samples/s", f"{median(headless):,.0f}", ""),
        ("window, all views visible, samples/s", f"{median(gui['shipped']):,.0f}", ""),
        ("window / headless Trainer", f"{median(gui['shipped']) / median(headless):.2f}×", ">= 0.95×"),
        ("headless Trainer without held-out set, samples/s", f"{median(steps_only):,.0f}", ""),
        ("headless Trainer beside a process busy 3 ms in 10, samples/s", f"{median(beside):,.0f}", ""),
        ("… / headless Trainer (the other core's work alone)", f"{median(beside) / median(headless):.2f}×", ""),
        ("headless Trainer beside a thread busy 3 ms in 10 (holding the GIL) / headless",
         f"{median(beside_thread) / median(headless):.2f}×", ""),
        ("10 ms QTimer lateness p50 while training", f"{np.percentile(late, 50):.1f} ms", ""),
        ("10 ms QTimer lateness p99 while training", f"{np.percentile(late, 99):.1f} ms", "<= 20 ms"),
        ("snapshots handed to the record per second", snapshots_per_second("shipped"), ""),
        ("record at its budget (thinning from then on) after", budget_reached("shipped"), ""),
        ("GUI thread in RunRecord.add_progress", share("shipped", "add_progress"), ""),
        ("… of which thinning (RunRecord._thin)", share("shipped", "thin"), ""),
        ("worker thread copying parameters (snapshot)", share("shipped", "snapshot"), ""),
        ("launch to shown window", f"{median(startup):.2f} s", "< 2 s"),
        ("launch to shown window with MNIST loaded", f"{median(startup_data):.2f} s", ""),
    ]
    from trainer_gui.state.record import record_budget
    print(f"two-layer network (784-100-10), batch 100, {len(data.y_train):,} training digits; "
          f"{arguments.rounds} rounds of {arguments.seconds:g} s, medians; run record budget "
          f"{record_budget() >> 20} MiB; {os.cpu_count()} CPUs\n")
    print_table(["measure", "value", "target"], rows)
    if arguments.breakdown:
        print("\nThe run record's cost: the window as shipped and two references (see --help), measured "
              "in the same rounds (shares of each round's wall time)\n")
        print_table(["measure", *(VARIANTS[v] for v in variants)], [
            ("window / headless Trainer", *(f"{median(gui[v]) / median(headless):.2f}×" for v in variants)),
            ("snapshots handed to the record per second", *(snapshots_per_second(v) for v in variants)),
            ("record at its budget after", *(budget_reached(v) for v in variants)),
            ("GUI thread in RunRecord.add_progress", *(share(v, "add_progress") for v in variants)),
            ("… of which thinning (RunRecord._thin)", *(share(v, "thin") for v in variants)),
            ("worker thread copying parameters (snapshot)", *(share(v, "snapshot") for v in variants)),
        ])


if __name__ == "__main__":
    main()
