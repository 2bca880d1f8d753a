"""The main window: layout and wiring of the panels, the views and the training worker."""
from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QMainWindow, QScrollArea, QTabWidget, QVBoxLayout, QWidget)

from engine import load_folder
from engine.datasets import DATA_ENV

from .training.background import BackgroundJob
from .file_actions import FILE_DIALOGS, FileActions
from .hyperparameters import delay_for_speed
from .menus import Menus
from .training.moment_evaluator import MomentEvaluator
from .training.opened_run import continued_run, describes_same_model, trainer_to_start
from .panels.controls_panel import ControlsPanel
from .panels.data_panel import DataPanel
from .panels.model_panel import ModelPanel
from .panels.timeline import TimelinePanel
from .state.progress import describe_progress
from .redraw_schedule import RedrawSchedule
from .state.run_state import RunState, enabled_controls
from .state import Session
from .training_data import prepare_training_data
from .training.training_run import TrainingRun
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
        # Qt appends the application's display name ("MNIST trainer") to every title itself
        self.setWindowTitle("")
        self.data = None            # TrainingData of the loaded folder
        self._dataset = None
        self._loading = None        # the BackgroundJob loading a folder, while it runs
        self._state = RunState.NO_DATA
        # the run on screen, active or stopped, or an OpenedRun (a saved model that Start continues);
        # each knows its model_config and train_config
        self._run: TrainingRun | None = None
        self._schedule = RedrawSchedule()   # which views have news, and which of them to draw now
        # the data, the run on screen and the cursor every view follows
        self.session = Session()
        self.evaluator = MomentEvaluator(self)   # past moments' evaluations, off the GUI thread
        self._build_layout()
        self._connect()
        self.file_actions = FileActions(self)   # the File and Dataset menus' commands
        self.file_actions.message.connect(self._show_message)
        self.menus = Menus(self, self.file_actions)
        self._redraw_timer = QTimer(self, interval=REDRAW_INTERVAL_MS, timeout=self._redraw)
        self._redraw_timer.start()
        # an application quitting without closing the window must still join the worker thread
        QApplication.instance().aboutToQuit.connect(self._end_run)
        QApplication.instance().installEventFilter(self)   # the run shortcuts win over the fields
        self._set_state(RunState.NO_DATA)

    # --- layout ---------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.data_panel, self.model_panel, self.controls = DataPanel(), ModelPanel(), ControlsPanel()
        self.dashboard = Dashboard(self.session, self.evaluator)
        self.timeline = TimelinePanel(self.session.cursor)
        self.workspace_tabs = QTabWidget(objectName="workspaceTabs", documentMode=True)
        self.workspace_tabs.addTab(self.dashboard, "Train")
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
        # wide enough for the fields beside the vertical scroll bar a short screen brings
        scroll.setFixedWidth(max(SETTINGS_WIDTH, settings.minimumSizeHint().width())
                             + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth())

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(4, 0, 6, 0)
        right_column.addWidget(self.message_banner)
        right_column.addWidget(self.workspace_tabs, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(scroll)
        row.addWidget(right, 1)
        # the run's controls span the window, above the settings and the views, so that the window
        # still fits a 1024 px screen
        central = QWidget()
        rows = QVBoxLayout(central)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(6, 6, 6, 0)
        toolbar.addWidget(self.controls)
        rows.addLayout(toolbar)
        timeline_row = QHBoxLayout()
        timeline_row.setContentsMargins(6, 0, 6, 0)
        timeline_row.addWidget(self.timeline)
        rows.addLayout(timeline_row)
        rows.addLayout(row, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.data_panel.open_requested.connect(self._choose_folder)
        self.data_panel.validation_fraction_changed.connect(self._on_validation_fraction_changed)
        self.model_panel.learning_rate_changed.connect(self._on_learning_rate_changed)
        self.model_panel.epochs_changed.connect(self._on_epochs_changed)
        self.model_panel.model_changed.connect(self._on_model_changed)
        buttons = self.controls.buttons
        buttons["start"].clicked.connect(self.start)
        buttons["pause"].clicked.connect(self.toggle_pause)
        buttons["step"].clicked.connect(self.step)
        buttons["step_epoch"].clicked.connect(self.step_epoch)
        buttons["stop"].clicked.connect(self.stop)
        buttons["reset"].clicked.connect(self.reset)
        self.controls.speed_slider.valueChanged.connect(self._on_speed_changed)
        self.session.cursor.changed.connect(self._on_cursor_changed)
        self.evaluator.ready.connect(self._on_moment_evaluated)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.toggle_pause)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self.step)

    def eventFilter(self, watched, event) -> bool:
        """Space and Right are the run's shortcuts wherever the focus is in this window: a field
        never takes them (Space would blank a spin box, tick a check box or open a list), except
        the hidden-sizes text, which is typed with spaces, and a text cursor that Right can still
        move (Right steps once the cursor is at the end of the field)."""
        if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Right) \
                and isinstance(watched, QWidget) and self.isAncestorOf(watched):
            # accepted: the field receives the key; ignored: the window's shortcut does
            event.setAccepted(self._field_takes(watched, event.key()))
            return True
        return super().eventFilter(watched, event)

    def _field_takes(self, widget, key) -> bool:
        """Whether the focused `widget` keeps `key` for editing (see eventFilter)."""
        if widget is self.model_panel.hidden_edit or widget is self.timeline.slider:   # typed in; moved along
            return True
        if key == Qt.Key.Key_Right:
            text = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
            return isinstance(text, QLineEdit) and text.cursorPosition() < len(text.text())
        return False

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
        self.setWindowTitle(str(data.dataset.path))
        self._set_state(RunState.READY)

    @Slot()
    def _choose_folder(self) -> None:
        start = os.fspath(self._dataset.path) if self._dataset else os.environ.get(DATA_ENV, "")
        folder = self._ask_path("data_folder", start)
        if folder:
            self.load_data(folder)

    @Slot(float)
    def _on_validation_fraction_changed(self, fraction: float) -> None:
        if self._dataset is None or not enabled_controls(self._state)["settings"]:
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
        """Train: a new model, or the run on screen continued (an opened model, or a finished run
        whose Epochs were raised)."""
        if not enabled_controls(self._state)["start"]:
            return
        self.model_panel.commit_typed()
        if self._state is RunState.COMPLETED and self._extends_finished_run():
            if self._trained_enough(self.trainer.epoch):
                self._run.control.resume()
                self._set_state(RunState.RUNNING)
            return
        self._begin_run(paused=False)

    def _extends_finished_run(self) -> bool:
        """A finished run goes on when the panels still describe it but for the learning rate and
        the epochs (both reach its worker as they change); any other change trains a new model."""
        try:
            model_config, train_config = self.model_panel.model_config(), self.model_panel.train_config()
        except ValueError:   # unfinished settings: _begin_run says what is wrong
            return False
        unchanged = dict(learning_rate=0.0, epochs=1)
        return describes_same_model(model_config, self._run.model_config) and \
            replace(train_config, **unchanged) == replace(self._run.train_config, **unchanged)

    def _trained_enough(self, epochs_done: int) -> bool:
        """False, and a message saying what to do, when the model on screen has already trained the
        Epochs asked for (Start would stop at once)."""
        epochs = self.model_panel.epochs_spin.value()
        if epochs > epochs_done:
            return True
        self._show_message(f"This model has already trained {epochs_done} epoch{'s' * (epochs_done != 1)}: "
                           f"raise Epochs above {epochs_done} and press Start to train it further, "
                           "or press Reset to train a new one.")
        return False

    @Slot()
    def toggle_pause(self) -> None:
        self.model_panel.commit_typed()
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
        self.model_panel.commit_typed()
        if self._state is RunState.COMPLETED and not self._extends_finished_run():
            self._set_state(RunState.READY)   # changed settings: a new model, as from Ready
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
        self.evaluator.cancel()
        self.session.clear_runs()
        self._schedule.clear()
        self.dashboard.clear()
        self._show_message("")
        self._set_state(RunState.READY if self.data is not None else RunState.NO_DATA)

    @Slot(float)
    def _on_learning_rate_changed(self, learning_rate: float) -> None:
        if self._run is not None:
            self._run.control.set_learning_rate(learning_rate)

    @Slot(int)
    def _on_epochs_changed(self, epochs: int) -> None:
        if self._run is not None:
            self._run.control.set_epochs(epochs)
            self._run.train_config = replace(self._run.train_config, epochs=epochs)
            self._update_status()

    @Slot()
    def _on_model_changed(self) -> None:
        """The panel locks the model during a run, but code (a script, a menu) may still change it:
        a run training another model than the one shown is ended, as a new dataset ends it. (A
        finished run stays: Start decides whether the settings continue it.)"""
        if self._run is None or self._state not in (RunState.RUNNING, RunState.PAUSED):
            return
        try:
            unchanged = describes_same_model(self.model_panel.model_config(), self._run.model_config)
        except ValueError:   # unfinished hidden sizes: not the model of the run either
            unchanged = False
        if not unchanged:
            self.reset()
            self._show_message("The model was changed, so the run was ended. Press Start to train the new one.")

    def _on_cursor_changed(self, names) -> None:
        self._schedule.mark("status", "plots", "weights", "evaluation")

    @Slot(object, int)
    def _on_moment_evaluated(self, record, step: int) -> None:
        if record is self.session.cursor.run:
            self._schedule.mark("evaluation")

    def _on_progressed(self) -> None:
        # at an earlier moment only the curves and the status grow; the weights shown stay
        self._schedule.mark("status", "plots", *(("weights",) if self.session.cursor.live else ()))

    def _on_evaluated(self) -> None:
        self._schedule.mark("plots", *(("evaluation",) if self.session.cursor.live else ()))

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
            to_start = trainer_to_start(self._run, model_config, train_config, data)
        except ValueError as error:
            self._show_message(f"Cannot start: {error}")
            return False
        if to_start.continued_from is not None and not paused and not self._trained_enough(to_start.continued_from):
            return False
        self.reset()
        self.dashboard.begin_run(data.image_shape, to_start.model_config.kind in ("softmax", "linear"),
                                 train_config.epochs, to_start.initial_weights)
        run = TrainingRun(to_start, data, train_config, paused, delay_for_speed(self.controls.speed_slider.value()))
        run.built.connect(self._on_built)
        run.progressed.connect(self._on_progressed)
        run.evaluated.connect(self._on_evaluated)
        run.paused.connect(self.run_paused)
        run.completed.connect(self._on_completed)
        run.diverged.connect(self._on_diverged)
        run.errored.connect(self._show_message)
        run.finished.connect(self.stop)   # the worker ended by itself, after an error: join its thread
        self._run = run
        self.session.show_run(run.record)
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
            self.dashboard.draw(views, self._run, self.data, self._run.model_config.loss_name() == "softmax_ce")
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
        return (self._run.model_config, self._run.train_config) if self._run is not None else None

    def show_opened_run(self, opened) -> None:
        """Show an OpenedRun (a saved model restored on the loaded data) as a stopped run: its
        settings in the panels, its curves, weights and evaluation in the views. Start or Step
        continues it."""
        self.reset()
        self.model_panel.show_config(opened.model_config, opened.train_config)
        self._run = opened
        self.session.show_run(opened.record)
        self.dashboard.begin_run(self.data.image_shape, len(opened.trainer.model.weights) == 1,
                                 opened.train_config.epochs, opened.initial_weights)
        self._schedule.mark("status", "plots", "weights", "evaluation")
        self.redraw_now()
        self._set_state(RunState.READY)

    def closeEvent(self, event) -> None:
        """Closing mid-training stops the worker and joins its thread before the window goes."""
        QApplication.instance().removeEventFilter(self)
        self._redraw_timer.stop()
        self._end_run()
        self.file_actions.shut_down()
        super().closeEvent(event)
