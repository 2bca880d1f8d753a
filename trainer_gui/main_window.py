"""The main window: layout and wiring of the panels, the views and the training worker."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QScrollArea,
                               QVBoxLayout, QWidget)

from engine import load_folder
from engine.datasets import DATA_ENV

from .background import BackgroundJob
from .file_actions import FILE_DIALOGS, FileActions
from .hyperparameters import delay_for_speed
from .menus import Menus
from .opened_run import describes_same_model, trainer_to_start
from .panels.controls_panel import ControlsPanel
from .panels.data_panel import DataPanel
from .panels.model_panel import ModelPanel
from .progress import describe_progress
from .redraw_schedule import RedrawSchedule
from .run_state import RunState, enabled_controls, has_run
from .training_data import prepare_training_data
from .training_run import TrainingRun
from .views.dashboard import Dashboard

SETTINGS_WIDTH = 340      # px of the settings column; the views take the rest
REDRAW_INTERVAL_MS = 33   # the timer ticks ~30 times a second; RedrawSchedule picks the views to draw
STATE_NAMES = {RunState.NO_DATA: "No data", RunState.READY: "Ready", RunState.RUNNING: "Training",
               RunState.PAUSED: "Paused", RunState.COMPLETED: "Finished"}


def _load(path, validation_fraction):
    """(Dataset, TrainingData) of a folder: run off the GUI thread (a full dataset takes seconds)."""
    dataset = load_folder(path)
    return dataset, prepare_training_data(dataset, validation_fraction)


class MainWindow(QMainWindow):
    """Load data, choose a model, train it in a worker thread and watch it learn.

    `trainer` is the engine Trainer of the current run, or None. Only the worker thread calls its
    methods while the run is active; the window reads what the worker reports.
    """
    run_paused = Signal()   # the worker is idle, and everything it reported has reached the window
    data_loaded = Signal(bool)   # a load_data has ended: the data is on screen (True) or the panel says why

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("MNIST trainer")
        self.data = None            # TrainingData of the loaded folder
        self._dataset = None
        self._loading = None        # the BackgroundJob loading a folder, while it runs
        self._state = RunState.NO_DATA
        # the run on screen, active or stopped, or an OpenedRun (a saved model that Start continues)
        self._run: TrainingRun | None = None
        self._run_config = None     # the ModelConfig of that run
        self._run_train_config = None   # and its TrainConfig, for saving it
        self._schedule = RedrawSchedule()   # which views have news, and which of them to draw now
        self._build_layout()
        self._connect()
        self.file_actions = FileActions(self)   # the File and Dataset menus' commands
        self.file_actions.message.connect(self._show_message)
        self.menus = Menus(self, self.file_actions)
        self._redraw_timer = QTimer(self, interval=REDRAW_INTERVAL_MS, timeout=self._redraw)
        self._redraw_timer.start()
        # an application quitting without closing the window must still join the worker thread
        QApplication.instance().aboutToQuit.connect(self._end_run)
        self._set_state(RunState.NO_DATA)

    # --- layout ---------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.data_panel, self.model_panel, self.controls = DataPanel(), ModelPanel(), ControlsPanel()
        self.dashboard = Dashboard()
        # the views by name, for tests and scripts
        self.loss_plot, self.error_plot = self.dashboard.loss_plot, self.dashboard.error_plot
        self.weights_view, self.mistakes_view = self.dashboard.weights_view, self.dashboard.mistakes_view
        self.confusion_view = self.dashboard.confusion_view
        self.message_banner = QLabel(objectName="messageBanner", wordWrap=True)
        self.message_banner.hide()
        self.status_label = QLabel(objectName="statusLabel")
        self.statusBar().addWidget(self.status_label, 1)

        settings = QWidget(objectName="settingsColumn")
        column = QVBoxLayout(settings)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.data_panel)
        column.addWidget(self.model_panel)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, horizontalScrollBarPolicy=Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(settings)
        scroll.setFixedWidth(SETTINGS_WIDTH)

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(4, 6, 6, 0)
        right_column.addWidget(self.controls)
        right_column.addWidget(self.message_banner)
        right_column.addWidget(self.dashboard, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(scroll)
        row.addWidget(right, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.data_panel.open_requested.connect(self._choose_folder)
        self.data_panel.validation_fraction_changed.connect(self._on_validation_fraction_changed)
        self.model_panel.learning_rate_changed.connect(self._on_learning_rate_changed)
        self.model_panel.model_changed.connect(self._on_model_changed)
        buttons = self.controls.buttons
        buttons["start"].clicked.connect(self.start)
        buttons["pause"].clicked.connect(self.toggle_pause)
        buttons["step"].clicked.connect(self.step)
        buttons["step_epoch"].clicked.connect(self.step_epoch)
        buttons["stop"].clicked.connect(self.stop)
        buttons["reset"].clicked.connect(self.reset)
        self.controls.speed_slider.valueChanged.connect(self._on_speed_changed)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_pause)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self.step)

    # --- data -----------------------------------------------------------------------------
    def load_data(self, path) -> None:
        """Load a folder of IDX files in the background; `data_loaded(ok)` says how it went. On a bad
        folder the data panel says why and the data and the run on screen are kept."""
        if self._loading is not None:
            self._loading.cancel()   # the newer request wins
        fraction = self.data_panel.validation_fraction
        job = BackgroundJob(lambda: _load(path, fraction), "load data")
        job.path = path
        job.succeeded.connect(self._on_data_loaded)   # connected before it starts: nothing is missed
        job.failed.connect(self._on_data_failed)
        self._loading = job.start()
        self.data_panel.show_loading(path)
        self.data_panel.set_editable(False)   # the validation share it splits by is fixed until then
        self._update_status()

    @property
    def loading(self) -> bool:
        """A folder is being loaded (load_data was called and has not reported yet)."""
        return self._loading is not None

    @Slot(object)
    def _on_data_loaded(self, loaded) -> None:
        if self.sender() is not self._loading:   # a load that a newer one superseded
            return
        self._loading = None
        dataset, data = loaded
        self.reset()
        self._dataset = dataset
        self._use_data(data)
        self.data_loaded.emit(True)

    @Slot(object)
    def _on_data_failed(self, error) -> None:
        if self.sender() is not self._loading:
            return
        path, self._loading = self._loading.path, None
        if isinstance(error, MemoryError):
            error = "there is not enough memory to load it"
        self.data_panel.show_error(f"Could not load {os.fspath(path)}:\n{error}")
        self._set_state(self._state)   # the data panel editable again, as the state says
        self.data_loaded.emit(False)

    def _use_data(self, data) -> None:
        self.data = data
        self.data_panel.show_data(data)
        self.model_panel.set_training_size(len(data.y_train))
        self.dashboard.set_eval_name(data.eval_name)
        self.setWindowTitle(f"MNIST trainer — {data.dataset.path}")
        self._set_state(RunState.READY)

    @Slot()
    def _choose_folder(self) -> None:
        start = os.fspath(self._dataset.path) if self._dataset else os.environ.get(DATA_ENV, "")
        folder = self._ask_path("data_folder", start)
        if folder:
            self.load_data(folder)

    @Slot(float)
    def _on_validation_fraction_changed(self, fraction: float) -> None:
        if self._dataset is None or has_run(self._state):
            return
        try:
            data = prepare_training_data(self._dataset, fraction)
        except ValueError as error:
            self.data_panel.show_error(str(error))
            return
        self.reset()
        self._use_data(data)

    # --- commands -------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if enabled_controls(self._state)["start"]:
            self._begin_run(paused=False)

    @Slot()
    def toggle_pause(self) -> None:
        if self._state is RunState.RUNNING:
            self._run.control.pause()
            self._set_state(RunState.PAUSED)
        elif self._state is RunState.PAUSED:
            self._show_message("")   # a divergence reported at the pause is past; a new one says so again
            self._run.control.resume()
            self._set_state(RunState.RUNNING)

    @Slot()
    def step(self) -> None:
        """One batch, then pause (starting a paused run first if there is none)."""
        if self._ready_to_step():
            self._run.control.request_batch()

    @Slot()
    def step_epoch(self) -> None:
        if self._ready_to_step():
            self._run.control.request_epoch()

    def _ready_to_step(self) -> bool:
        if not enabled_controls(self._state)["step"]:
            return False
        if self._state is RunState.READY and not self._begin_run(paused=True):
            return False
        if self._state is RunState.RUNNING:
            self._set_state(RunState.PAUSED)
        self._show_message("")
        return True

    @Slot()
    def stop(self) -> None:
        """End the run; its plots and `trainer` stay until the next Start or Reset."""
        self._end_run()
        if self.data is not None:
            self._set_state(RunState.READY)

    @Slot()
    def reset(self) -> None:
        """End the run and clear what it drew."""
        self._end_run()
        self._run = None
        self._schedule.clear()
        self.dashboard.clear()
        self._show_message("")
        self._set_state(RunState.READY if self.data is not None else RunState.NO_DATA)

    @Slot(float)
    def _on_learning_rate_changed(self, learning_rate: float) -> None:
        if self._run is not None:
            self._run.control.set_learning_rate(learning_rate)

    @Slot()
    def _on_model_changed(self) -> None:
        """The panel locks the model during a run, but code (a script, a menu) may still change it:
        a run training another model than the one shown is ended, as a new dataset ends it."""
        if self._run is None or not self._run.active:
            return
        try:
            unchanged = describes_same_model(self.model_panel.model_config(), self._run_config)
        except ValueError:   # unfinished hidden sizes: not the model of the run either
            unchanged = False
        if not unchanged:
            self.reset()
            self._show_message("The model was changed, so the run was ended. Press Start to train the new one.")

    @Slot(int)
    def _on_speed_changed(self, value: int) -> None:
        if self._run is not None:
            self._run.control.set_delay(delay_for_speed(value))

    # --- the run --------------------------------------------------------------------------
    def _begin_run(self, paused: bool) -> bool:
        """Start a worker thread that builds the Trainer the panels describe and trains it; False
        (and a message) if a value is bad or the model could not fit in memory."""
        if self.loading:
            self._show_message("The data is still loading: start when it is on screen.")
            return False
        data = self.data
        try:
            model_config, train_config = self.model_panel.model_config(), self.model_panel.train_config()
            model_config, initial_weights, build = trainer_to_start(self._run, model_config, train_config, data)
        except ValueError as error:
            self._show_message(f"Cannot start: {error}")
            return False
        self.reset()
        self._run_config, self._run_train_config = model_config, train_config
        self.dashboard.begin_run(data.image_shape, model_config.kind in ("softmax", "linear"), train_config.epochs,
                                 initial_weights)
        batches_per_epoch = -(-len(data.y_train) // train_config.batch_size)
        run = TrainingRun(build, batches_per_epoch, data, train_config.epochs, paused,
                          delay_for_speed(self.controls.speed_slider.value()), initial_weights)
        run.built.connect(self._on_built)
        run.progressed.connect(lambda: self._schedule.mark("status", "plots", "weights"))
        run.evaluated.connect(lambda: self._schedule.mark("plots", "evaluation"))
        run.paused.connect(self.run_paused)
        run.completed.connect(self._on_completed)
        run.diverged.connect(self._on_diverged)
        run.errored.connect(self._show_message)
        run.finished.connect(self.stop)   # the worker ended by itself, after an error: join its thread
        self._run = run
        self._set_state(RunState.PAUSED if paused else RunState.RUNNING)
        return True

    @Slot()
    def _on_built(self) -> None:
        """The worker has built the model: the menus that save and export it can be used."""
        self._set_state(self._state)

    def _end_run(self) -> None:
        """Stop the worker and join its thread; the run stays on screen."""
        if self._run is not None:
            self._run.stop()

    @property
    def trainer(self):
        """The engine Trainer of the run on screen, or None."""
        return self._run.trainer if self._run is not None else None

    @property
    def history(self):
        """The TrainingHistory of the run on screen, or None."""
        return self._run.history if self._run is not None else None

    @property
    def training_thread(self):
        """The QThread of the active run, or None."""
        return self._run.thread if self._run is not None else None

    @Slot()
    def _on_completed(self) -> None:
        if self._run is not None and self._run.active:   # not a report that crossed a Stop
            self._set_state(RunState.COMPLETED)

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self._show_message(message)
        if self._run is not None and self._run.active:
            self._set_state(RunState.PAUSED)

    # --- drawing --------------------------------------------------------------------------
    def redraw_now(self) -> None:
        """Draw every report received so far without waiting for the timer (for tests and screenshots)."""
        self._draw(self._schedule.due(running=False))

    @Slot()
    def _redraw(self) -> None:
        """Draw the newest reports; runs on the timer, so a burst of reports costs one redraw."""
        if self._schedule.pending:
            self._draw(self._schedule.due(running=self._state is RunState.RUNNING))

    def _draw(self, views: set[str]) -> None:
        if self._run is not None:
            self.dashboard.draw(views, self._run, self.data, self._run_config.loss_name() == "softmax_ce")
        if "status" in views:
            self._update_status()

    def _set_state(self, state: RunState) -> None:
        self._state = state
        self.controls.set_state(state)
        settings_editable = enabled_controls(state)["settings"]
        self.model_panel.set_running(not settings_editable)
        self.data_panel.set_editable(settings_editable)
        self.menus.set_state(state, self.trainer is not None)
        self._update_status()

    def _update_status(self) -> None:
        progress = self._run.latest_progress if self._run is not None else None
        state = "Loading data…" if self.loading else STATE_NAMES[self._state]
        self.status_label.setText(describe_progress(progress, state))

    def _show_message(self, text: str) -> None:
        self.message_banner.setText(text)
        self.message_banner.setVisible(bool(text))

    @property
    def state(self) -> RunState:
        return self._state

    # --- files ----------------------------------------------------------------------------
    def _ask_path(self, kind: str, start: str = "") -> str:
        """Every file dialog of the window opens here (tests replace it): the path chosen, or "".

        kind: a key of FILE_DIALOGS ("data_folder", "open_model", "save_model", "png", "csv").
        """
        function, caption, name_filter = FILE_DIALOGS[kind]
        ask = getattr(QFileDialog, function)   # looked up now: a test may have replaced it
        if name_filter is None:
            return ask(self, caption, start)
        return ask(self, caption, start, name_filter)[0]

    @property
    def run_configs(self):
        """(ModelConfig, TrainConfig) of the run on screen, or None."""
        return (self._run_config, self._run_train_config) if self._run is not None else None

    def show_opened_run(self, opened) -> None:
        """Show an OpenedRun (a saved model restored on the loaded data) as a stopped run: its
        settings in the panels, its curves, weights and evaluation in the views. Start or Step
        continues it."""
        self.reset()
        self.model_panel.show_config(opened.model_config, opened.train_config)
        self._run, self._run_config, self._run_train_config = opened, opened.model_config, opened.train_config
        self.dashboard.begin_run(self.data.image_shape, len(opened.trainer.model.weights) == 1,
                                 opened.train_config.epochs, opened.initial_weights)
        self._schedule.mark("status", "plots", "weights", "evaluation")
        self.redraw_now()
        self._set_state(RunState.READY)

    def closeEvent(self, event) -> None:
        """Closing mid-training stops the worker and joins its thread before the window goes."""
        self._redraw_timer.stop()
        self._end_run()
        self.file_actions.shut_down()
        super().closeEvent(event)
