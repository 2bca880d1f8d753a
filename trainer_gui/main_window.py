"""The main window: layout and wiring of the panels, the views and the training worker."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QPushButton, QScrollArea,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from .appearance import Appearance
from .data_commands import DataCommands
from .file_actions import FILE_DIALOGS, FileActions
from .i18n import QT_TRANSLATE_NOOP, SETTINGS_KEY, install_language, is_language_change, saved_language, translate
from .lesson_actions import LessonActions
from .menus import Menus
from .panels.controls_panel import ControlsPanel
from .panels.data_panel import DataPanel
from .panels.lesson_panel import LessonPanel, LessonTextDialog
from .panels.model_panel import ModelPanel
from .panels.timeline import TimelinePanel
from .panels.twin_panel import TwinPanel
from .panels.welcome import WelcomePage
from .redraw_schedule import RedrawSchedule
from .run_commands import RunCommands
from .settings import WindowSettings, app_settings
from .shortcuts import RunShortcuts
from .state import Session
from .state.compare import describe_settings
from .state.progress import describe_progress
from .state.run_state import RunState, enabled_controls
from .training.moment_evaluator import MomentEvaluator
from .views.dashboard import Dashboard
from .workspaces.inside import InsideWorkspace
from .workspaces.compare import CompareWorkspace
from .workspaces.evaluate import EvaluateWorkspace
from .workspaces.step import StepWorkspace
from .workspaces.vitals import VitalsWorkspace
from .workspaces import LazyTab

# seconds a thread runs Python before it must hand the GIL to another that waits (Python's default
# is 5 ms): the training thread then waits at most that long when the GUI thread draws, and the
# GUI thread as little for the training thread (benchmarks/bench_gui.py measures both)
GIL_SWITCH_INTERVAL = 0.0002
# the tabs after Train, built when first shown (the order of TAB_TITLES)
LAZY_TABS = ("inside", "step", "evaluate", "vitals", "compare")
SETTINGS_WIDTH = 340      # px of the settings column; the views take the rest
REDRAW_INTERVAL_MS = 33   # the timer ticks ~30 times a second; RedrawSchedule picks the views to draw
STATE_NAMES = {RunState.NO_DATA: QT_TRANSLATE_NOOP("MainWindow", "No data"),   # translated when shown
               RunState.READY: QT_TRANSLATE_NOOP("MainWindow", "Ready"),
               RunState.RUNNING: QT_TRANSLATE_NOOP("MainWindow", "Training"),
               RunState.PAUSED: QT_TRANSLATE_NOOP("MainWindow", "Paused"),
               RunState.COMPLETED: QT_TRANSLATE_NOOP("MainWindow", "Finished")}
# the workspace tabs, in order: as lessons.TABS, which names them in lesson files in English
TAB_TITLES = (QT_TRANSLATE_NOOP("MainWindow", "Train"), QT_TRANSLATE_NOOP("MainWindow", "Inside"),
              QT_TRANSLATE_NOOP("MainWindow", "Step"), QT_TRANSLATE_NOOP("MainWindow", "Evaluate"),
              QT_TRANSLATE_NOOP("MainWindow", "Vital signs"), QT_TRANSLATE_NOOP("MainWindow", "Compare"))


def with_chosen_suffix(path: str, chosen_filter: str) -> str:
    """A save path typed without a suffix gets the one of the filter chosen in the dialog ("loss"
    with "SVG drawings (*.svg)" chosen is loss.svg); a path with a suffix is kept as typed."""
    match = re.search(r"\*(\.[\w.]+)", chosen_filter or "")
    if not path or Path(path).suffix or match is None:
        return path
    return path + match.group(1)


class MainWindow(DataCommands, RunCommands, QMainWindow):
    """Load data, choose a model, train it in a worker thread and watch it learn. Its data and run
    commands live in data_commands.py and run_commands.py; this file lays out and wires.

    `trainer` is the engine Trainer of the current run, or None. Only the worker thread calls its
    methods while the run is active; the window reads what the worker reports.
    """
    run_paused = Signal()   # the worker is idle, and everything it reported has reached the window
    data_loaded = Signal(bool)   # a load_data has ended: the data is on screen (True) or the panel says why

    def __init__(self, parent=None):
        super().__init__(parent)
        sys.setswitchinterval(GIL_SWITCH_INTERVAL)
        # the language the window last had, before any text is made (English by default)
        install_language(saved_language(app_settings()))
        # Qt appends the application's display name ("MNIST trainer") to every title itself
        self.setWindowTitle("")
        self.data = None            # TrainingData of the loaded folder
        self._dataset = None
        self._loading = None        # the BackgroundJob loading a folder, while it runs
        self.predictions_dialog = None   # the PredictionsDialog of the last file without labels opened
        self._state = RunState.NO_DATA
        # the run on screen, active or stopped, or an OpenedRun (a saved model that Start continues);
        # each knows its model_config and train_config
        self._run = None
        self.race = None            # the optimiser race under way (training.race.Race), or None
        self._fix_rate = None       # the learning rate the hint button starts again with
        self._stepping = False      # the user steps batch by batch: the loss plot in close-up
        self._schedule = RedrawSchedule()   # which views have news, and which of them to draw now
        # the data, the run on screen and the cursor every view follows
        self.session = Session()
        self.evaluator = MomentEvaluator(self)   # past moments' evaluations, off the GUI thread
        self._build_layout()
        self._connect()
        self.file_actions = FileActions(self)   # the File and Dataset menus' commands
        self.file_actions.message.connect(self._show_message)
        self.lessons = LessonActions(self)   # File ▸ Open lesson…, Lessons, Save as lesson…
        self.lessons.message.connect(self._show_message)
        self.settings = WindowSettings(self)   # what the window remembers between sessions
        self.appearance = Appearance(self)   # presentation mode and the theme (View menu)
        self.menus = Menus(self, self.file_actions)
        self._redraw_timer = QTimer(self, interval=REDRAW_INTERVAL_MS, timeout=self._redraw)
        self._redraw_timer.start()
        # an application quitting without closing the window must still join the worker thread
        QApplication.instance().aboutToQuit.connect(self._end_run)
        QApplication.instance().aboutToQuit.connect(self.stop_race)
        self._set_state(RunState.NO_DATA)
        self.settings.restore()

    # --- layout ---------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.data_panel, self.model_panel, self.controls = DataPanel(), ModelPanel(), ControlsPanel()
        self.dashboard = Dashboard(self.session, self.evaluator)
        self.timeline = TimelinePanel(self.session.cursor)
        self.workspace_tabs = QTabWidget(objectName="workspaceTabs", documentMode=True)
        self.workspace_tabs.addTab(self.dashboard, "")
        # B of a twin run, in the Compare tab; the window's (hidden) until that tab is built
        self.twin_panel = TwinPanel(self.model_panel, parent=self)
        self.twin_panel.hide()
        # the other tabs are built when first shown (or asked for: window.evaluate_view...)
        self._lazy_tabs = {name: LazyTab(lambda name=name: self._build_workspace(name)) for name in LAZY_TABS}
        for tab in self._lazy_tabs.values():
            self.workspace_tabs.addTab(tab, "")
        self._retranslate_tabs()
        # the views by name, for tests and scripts
        self.loss_plot, self.error_plot = self.dashboard.loss_plot, self.dashboard.error_plot
        self.weights_view, self.mistakes_view = self.dashboard.weights_view, self.dashboard.mistakes_view
        self.confusion_view = self.dashboard.confusion_view
        self.message_banner = QLabel(objectName="messageBanner", wordWrap=True)
        self.message_banner.hide()
        # a hint's one-click fix beside the message (hints.py): start again at a better rate
        self.hint_button = QPushButton(objectName="hintFixButton", focusPolicy=Qt.FocusPolicy.NoFocus)
        self.hint_button.hide()
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
        self.settings_scroll = scroll
        # in presentation mode the settings column gives its width to the views: one line says them
        self.settings_summary = QLabel(objectName="settingsSummary", wordWrap=True)
        self.settings_summary.hide()
        self._fit_settings_column()

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(4, 0, 6, 0)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message_banner, 1)
        message_row.addWidget(self.hint_button, 0, Qt.AlignmentFlag.AlignVCenter)
        right_column.addLayout(message_row)
        # before any data, a welcome page one click from it; then the workspaces
        self.welcome = WelcomePage()
        self.workspace_stack = QStackedWidget(objectName="workspaceStack")
        self.workspace_stack.addWidget(self.welcome)
        self.workspace_stack.addWidget(self.workspace_tabs)
        right_column.addWidget(self.workspace_stack, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(scroll)
        row.addWidget(right, 1)
        self.lesson_panel = LessonPanel()   # the open lesson's notes and steps, beside the workspaces
        self.lesson_panel.hide()
        row.addWidget(self.lesson_panel)
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
        summary_row = QHBoxLayout()
        summary_row.setContentsMargins(6, 0, 6, 0)
        summary_row.addWidget(self.settings_summary)
        rows.addLayout(summary_row)
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
        self.twin_panel.start_requested.connect(self.start_twin)
        self.hint_button.clicked.connect(self.apply_fix)
        for changed in (self.model_panel.model_changed, self.model_panel.learning_rate_changed):
            changed.connect(self.hint_button.hide)   # the user changed the settings: the fix is moot
        self.welcome.open_folder.connect(lambda path: self.file_actions.open_dataset(path))
        self.welcome.download.connect(lambda name: self.file_actions.download(name))
        self.welcome.choose_folder.connect(self._choose_folder)
        self.shortcuts = RunShortcuts(self, self.toggle_pause, self.step,
                                      keep_keys=(self.model_panel.hidden_edit, self.timeline.slider))

    # --- the workspaces built when first shown ----------------------------------------------
    inside = property(lambda self: self._lazy_tabs["inside"].workspace())
    step_view = property(lambda self: self._lazy_tabs["step"].workspace())
    evaluate_view = property(lambda self: self._lazy_tabs["evaluate"].workspace())
    vitals_view = property(lambda self: self._lazy_tabs["vitals"].workspace())
    compare_view = property(lambda self: self._lazy_tabs["compare"].workspace())

    def _build_workspace(self, name: str):
        """The workspace of tab `name`, wired to the window, in the look the window has now, and
        showing what the session holds (it may be built in the middle of a run)."""
        with self.appearance.building():
            if name == "inside":
                workspace = InsideWorkspace(self.session, self.evaluator)
            elif name == "step":
                workspace = StepWorkspace(self.session)
                workspace.step_example_requested.connect(self.step_example)
            elif name == "evaluate":
                workspace = EvaluateWorkspace(self.session, self.evaluator)
            elif name == "vitals":
                workspace = VitalsWorkspace(self.session)
            else:
                workspace = CompareWorkspace(self.session, self.twin_panel)
                workspace.export_requested.connect(lambda: self.file_actions.export_comparison())
                workspace.race_requested.connect(self.toggle_race)
        self.appearance.adopt(workspace)
        workspace.catch_up()
        return workspace

    # --- drawing --------------------------------------------------------------------------
    def redraw_now(self) -> None:
        """Draw every report received so far without waiting for the timer (for tests, screenshots
        and exports), the Train tab's views too while another tab is in front."""
        self._draw(self._schedule.due(running=False))
        self.dashboard.catch_up()

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
        if state is RunState.NO_DATA:   # the datasets found may have changed (a download)
            self.welcome.refresh(self.menus.data_argument)
        self.workspace_stack.setCurrentWidget(self.welcome if state is RunState.NO_DATA else self.workspace_tabs)
        self._state = state
        self.controls.set_state(state)
        settings_editable = enabled_controls(state)["settings"]
        self.model_panel.set_running(not settings_editable)
        self.twin_panel.set_running(not settings_editable or state is RunState.NO_DATA)
        self.data_panel.set_editable(settings_editable)
        self.menus.set_state(state, self.trainer is not None)
        self._update_status()
        self._update_summary()

    def _update_status(self) -> None:
        progress = self._run.latest_progress if self._run is not None else None
        state = translate("MainWindow", "Loading data…") if self.loading \
            else translate("MainWindow", STATE_NAMES[self._state])
        self.status_label.setText(describe_progress(progress, state, translate))

    def _show_message(self, text: str) -> None:
        self.message_banner.setText(text)
        self.message_banner.setVisible(bool(text))
        self.hint_button.hide()   # a fix offered belongs to the message it came with

    def show_settings_summary(self, summary: bool) -> None:
        """The settings column (False), or in its place a line saying the settings (True:
        presentation mode, where the views need the width)."""
        self.settings_scroll.setVisible(not summary)
        self.settings_summary.setVisible(summary)
        self._update_summary()

    def _update_summary(self) -> None:
        if not self.settings_summary.isVisible():
            return
        try:
            model, training = self.model_panel.model_config(commit=False), self.model_panel.train_config(commit=False)
        except ValueError:   # unfinished hidden sizes: the run's own settings, if any
            if self._run is None:
                return
            model, training = self._run.model_config, self._run.train_config
        dataset = self.data.dataset.path.name if self.data is not None else ""
        self.settings_summary.setText(" · ".join(part for part in (dataset, describe_settings(model, training)) if part))

    def offer_fix(self, learning_rate: float, text: str | None = None) -> None:
        """Show `text` (if given) with a button that starts a new run at `learning_rate`."""
        if text is not None:
            self._show_message(text)
        spin = self.model_panel.lr_spin   # the rate as the field will hold it
        learning_rate = min(max(round(learning_rate, spin.decimals()), spin.minimum()), spin.maximum())
        self._fix_rate = learning_rate
        self.hint_button.setText(translate("MainWindow", "Start again at learning rate {rate}")
                                 .format(rate=f"{learning_rate:g}"))
        self.hint_button.show()

    @property
    def state(self) -> RunState:
        return self._state

    # --- language -------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """View ▸ Language: switch the application to `language` (a code of i18n.LANGUAGES) at once
        and remember it. The menus, the run buttons, the tabs, the settings and the status line
        change now; texts made earlier (a message shown, a dialog open) change when next made."""
        if install_language(language):
            self.settings.settings.setValue(SETTINGS_KEY, language)
            # Qt posts LanguageChange to each window: this one changes now, not at the next event loop turn
            QCoreApplication.sendEvent(self, QEvent(QEvent.Type.LanguageChange))

    def changeEvent(self, event) -> None:
        # the panels retranslate themselves: the event reaches them as children of the window
        if is_language_change(event) and hasattr(self, "menus"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The window's own texts in the current language: the tabs, the menus, the status line."""
        self._retranslate_tabs()
        self.menus.retranslate()
        # the loss and error plots' titles (their legends) too; other plot texts at the next start
        self.dashboard.set_eval_name(self.data.eval_name if self.data is not None else "validation")
        if self._fix_rate is not None and self.hint_button.isVisible():
            self.hint_button.setText(translate("MainWindow", "Start again at learning rate {rate}")
                                     .format(rate=f"{self._fix_rate:g}"))
        self._update_status()
        # the panels' labels change with their own LanguageChange, posted to them: measure after
        QTimer.singleShot(0, self, self._fit_settings_column)

    def _fit_settings_column(self) -> None:
        """The settings column as wide as its fields need (their labels are longer in some
        languages), beside the vertical scroll bar a short screen brings; SETTINGS_WIDTH at least."""
        scroll = self.settings_scroll
        scroll.setFixedWidth(max(SETTINGS_WIDTH, scroll.widget().minimumSizeHint().width())
                             + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth())

    def _retranslate_tabs(self) -> None:
        for index, title in enumerate(TAB_TITLES):
            self.workspace_tabs.setTabText(index, translate("MainWindow", title))

    # --- files ----------------------------------------------------------------------------
    def _ask_path(self, kind: str, start: str = "") -> str:
        """Every file dialog of the window opens here (tests replace it): the path chosen, or "".

        kind: a key of FILE_DIALOGS ("data_folder", "open_model", "save_model", "png", "csv", "gif",
            "onnx", "safetensors", "open_lesson", "save_lesson", ...).
        """
        function, caption, name_filter = FILE_DIALOGS[kind]
        ask = getattr(QFileDialog, function)   # looked up now: a test may have replaced it
        caption = translate("FileDialogs", caption)
        if name_filter is None:
            return ask(self, caption, start)
        path, chosen = ask(self, caption, start, translate("FileDialogs", name_filter))[:2]
        return with_chosen_suffix(path, chosen) if function == "getSaveFileName" else path

    def _ask_lesson_text(self, title: str = "", notes: str = "") -> tuple[str, str] | None:
        """The title and notes of a lesson to save, asked in a dialog (tests replace it); None: cancelled."""
        dialog = LessonTextDialog(title, notes, self)
        try:
            return dialog.text() if dialog.exec() == LessonTextDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def closeEvent(self, event) -> None:
        """Closing mid-training stops the worker and joins its thread before the window goes."""
        self.shortcuts.remove()
        self.settings.save()
        self._redraw_timer.stop()
        self._end_run()
        self.stop_race()
        self.file_actions.shut_down()
        super().closeEvent(event)
