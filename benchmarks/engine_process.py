"""A measuring prototype, not part of the app: the window's TrainingWorker run in a child process.

bench_gui.py --networks uses it to answer the speed issue's question "if a thread cannot reach
0.95x the headless Trainer, what would?": the same worker loop (trainer_gui.training.worker, its
reports, copies and moments, on a GuardedTrainer as in the window), but in a process of its own,
so the GUI thread's Python never holds the interpreter lock the engine needs between its NumPy
calls. Its reports cross a pipe (pickled) and arrive in the window's TrainingRun as the thread's
queued signals do; the window draws them as it always does. Sending a report's copies of the
weights counts in the worker's copy budget (it is part of what copying them costs here), so the
child may keep fewer moments than the thread: bench_gui prints both rates.

What it leaves out (a product would need them): commands other than Stop (pause, step, the learning
rate and the speed are the GUI's RunControl, not forwarded), the trainer object itself (the window
gets a stand-in that knows the epoch and the samples seen, so nothing can save the run), twin runs,
a continued run; the data is sent to the child through a pipe rather than shared memory; and
reports still queued when the run is stopped are dropped with it (the thread's are delivered).

    with in_child_process(window, epochs=100):   # the next window.start() trains in a child process
        window.start()
"""
from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import threading
import time
from types import SimpleNamespace

from PySide6.QtCore import QObject, QThread, Signal

# TrainingWorker's signals, forwarded as (name, args) through the pipe
SIGNALS = ("started", "built", "progressed", "evaluated", "twin_progressed", "twin_evaluated", "paused",
           "completed", "diverged", "overflowed", "errored", "finished")
JOIN_SECONDS = 10.0


def serve(reports, commands, configs, epochs: int) -> None:
    """The child process: receives (X_train, y_train, X_eval, y_eval, n_outputs, image_shape) on
    `commands`, then runs the worker loop on a Trainer built from `configs`, reporting into
    `reports` until a "stop" arrives on `commands` (or the pipe closes)."""
    from engine import build_trainer
    from trainer_gui.state.run_control import RunControl
    from trainer_gui.training.guarded_trainer import GuardedTrainer
    from trainer_gui.training.worker import TrainingWorker

    model_config, train_config = configs
    try:
        X_train, y_train, X_eval, y_eval, n_outputs, image_shape = commands.recv()
    except (EOFError, OSError):
        return
    control = RunControl(paused=False, delay=0.0, epochs=epochs)
    worker = TrainingWorker(lambda: GuardedTrainer(build_trainer(
        model_config, train_config, X_train, y_train, X_eval, y_eval, n_outputs=n_outputs, image_shape=image_shape)),
        control, X_eval, y_eval)

    def forwarder(name):
        def forward(*args):
            began = time.perf_counter()
            reports.send_bytes(pickle.dumps((name, () if name == "built" else args), pickle.HIGHEST_PROTOCOL))
            if name in ("progressed", "twin_progressed") and (args[0].snapshot is not None or args[0].moments):
                # sending copies of the weights is part of what copying them costs: the worker's
                # budget for copies (worker.COPY_SHARE) counts it, or the child would spend a sixth
                # of its time pickling moments into the pipe (measured)
                worker._copies.spent += time.perf_counter() - began
        return forward
    for name in SIGNALS:   # called in this thread, directly: the child runs no event loop
        getattr(worker, name).connect(forwarder(name))

    def listen():
        with contextlib.suppress(EOFError, OSError):
            while commands.recv() != "stop":
                pass
        control.stop()
    threading.Thread(target=listen, daemon=True).start()
    worker.run()


class _Reader(QThread):
    """Receives the child's reports; `received` is queued to the RemoteWorker in the GUI thread."""
    received = Signal(str, object)

    def __init__(self, connection):
        super().__init__()
        self._connection = connection

    def run(self):
        with contextlib.suppress(EOFError, OSError):
            while True:
                name, args = self._connection.recv()
                self.received.emit(name, args)
                if name == "finished":
                    return
        self.received.emit("finished", ())   # the child died: the run ends as after an error


class RemoteWorker(QObject):
    """Stands where TrainingRun puts its TrainingWorker: the same signals, fed by the child."""
    started = Signal()
    built = Signal(object)
    progressed = Signal(object)
    evaluated = Signal(object)
    twin_progressed = Signal(object)
    twin_evaluated = Signal(object)
    paused = Signal()
    completed = Signal()
    diverged = Signal(str)
    overflowed = Signal(float)
    errored = Signal(str)
    finished = Signal()

    def __init__(self, configs, arrays, epochs):
        super().__init__()
        self.trainer = SimpleNamespace(epoch=0, samples_seen=0, steps=0)   # what the window reads of it
        self._configs, self._arrays, self._epochs = configs, arrays, epochs

    def start(self) -> "_ChildHandle":
        context = multiprocessing.get_context("spawn")   # never fork a process running Qt's threads
        reports_in, reports_out = context.Pipe(duplex=False)
        commands_in, commands_out = context.Pipe(duplex=False)
        process = context.Process(target=serve, args=(reports_out, commands_in, self._configs, self._epochs),
                                  daemon=True)
        process.start()
        reports_out.close()
        commands_in.close()
        # the data goes through the pipe from a thread of its own: the GUI thread never waits for
        # the child to read tens of megabytes (or forever, for a child that died first)
        sender = threading.Thread(target=_send_quietly, args=(commands_out, self._arrays), daemon=True)
        sender.start()
        reader = _Reader(reports_in)
        reader.received.connect(self._dispatch)
        reader.start()
        return _ChildHandle(process, commands_out, reader, sender)

    def _dispatch(self, name, args):
        if name == "built":
            args = (self.trainer,)
        elif name == "progressed":
            progress, = args
            self.trainer.epoch, self.trainer.samples_seen = progress.epoch, progress.samples_seen
            if progress.snapshot is not None:
                self.trainer.steps = progress.snapshot.steps
        getattr(self, name).emit(*args)


def _send_quietly(connection, message) -> None:
    with contextlib.suppress(OSError):   # the child has gone: the reader says so
        connection.send(message)


class _ChildHandle:
    """Stands where TrainingRun keeps its QThread: quit() stops the child, wait() joins it."""

    def __init__(self, process, commands, reader, sender):
        self._process, self._commands, self._reader, self._sender = process, commands, reader, sender

    @property
    def pid(self) -> int:
        return self._process.pid

    def quit(self):
        self._sender.join(JOIN_SECONDS)   # the data first, then the stop
        _send_quietly(self._commands, "stop")

    def wait(self):
        self._process.join(JOIN_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._reader.wait()
        return True


@contextlib.contextmanager
def in_child_process(window, epochs: int):
    """While inside, a run the window starts trains in a child process (this module's prototype)."""
    from trainer_gui.training import training_run

    data = window.data
    arrays = (data.X_train, data.y_train, data.X_eval, data.y_eval, data.n_classes, data.image_shape)
    configs = (window.model_panel.model_config(), window.model_panel.train_config())
    real_worker, real_start = training_run.TrainingWorker, training_run.start_in_thread
    training_run.TrainingWorker = lambda *args, **kwargs: RemoteWorker(configs, arrays, epochs)
    training_run.start_in_thread = lambda worker: worker.start()
    try:
        yield
    finally:
        training_run.TrainingWorker, training_run.start_in_thread = real_worker, real_start
