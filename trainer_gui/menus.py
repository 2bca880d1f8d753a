"""The menu bar: File (data, models, model exports, exports, quit), Dataset (found and downloadable
datasets), View (presentation mode, theme) and Help."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from engine import datasets

from .file_actions import MODEL_EXPORTS, PNG_EXPORTS, FileActions
from .lessons import LessonError, built_in_lessons, load_lesson
from .help_texts import shortcuts_html, views_html
from .state.run_state import RunState, enabled_controls

StandardKey = QKeySequence.StandardKey


def _home_relative(path: Path) -> str:
    """~/… for folders under the home folder: shorter menu items."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


class Menus:
    """Builds the window's menu bar and keeps what it offers in step with the run.

    `actions` are the window's FileActions. The Dataset menu is rebuilt each time it opens, from
    engine.datasets.find_datasets: a download finished or a folder made since then shows up.
    """

    def __init__(self, window, actions: FileActions):
        self.window, self.actions = window, actions
        self.data_argument = None   # the command line's --data, first in the app's search order
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_data = self._add(file_menu, "Open &data folder…", window.data_panel.open_requested.emit,
                                   StandardKey.Open)
        self.open_data_file = self._add(file_menu, "Open data f&ile (CSV, npz)…", window._choose_file)
        self.open_model = self._add(file_menu, "Open &model…", actions.open_model, "Ctrl+Shift+O")
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.refresh_recent)
        self.save_model = self._add(file_menu, "&Save model…", actions.save_model, StandardKey.Save)
        self.export_model_menu = file_menu.addMenu("Export mode&l")
        self.export_model_menu.setObjectName("exportModelMenu")
        self.model_exports = {format: self._add(self.export_model_menu, text,
                                                lambda format=format: actions.export_model(format))
                              for format, text in MODEL_EXPORTS.items()}
        file_menu.addSeparator()
        lessons = window.lessons
        self.open_lesson = self._add(file_menu, "Open &lesson…", lessons.open_lesson)
        self.open_lesson.setObjectName("openLessonAction")
        self.lessons_menu = file_menu.addMenu("Lesso&ns")
        self.lessons_menu.setObjectName("lessonsMenu")
        self.lesson_actions = self._add_built_in_lessons(self.lessons_menu)
        self.save_lesson = self._add(file_menu, "Save as lesso&n…", lessons.save_lesson)
        self.save_lesson.setObjectName("saveLessonAction")
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        self.exports = {name: self._add(self.export_menu, f"{text} (PNG or SVG)…",
                                        lambda name=name: actions.export_view(name))
                        for name, (text, _, _) in PNG_EXPORTS.items()}
        self.export_animation = self._add(self.export_menu, "Weights animation (GIF)…", actions.export_animation)
        self.export_animation.setObjectName("exportAnimationAction")
        self.export_menu.addSeparator()
        self.exports["metrics"] = self._add(self.export_menu, "Metrics per epoch (CSV)…", actions.export_metrics)
        file_menu.addSeparator()
        self.quit = self._add(file_menu, "&Quit", window.close, StandardKey.Quit)
        self.dataset_menu = bar.addMenu("Data&set")
        self.dataset_menu.aboutToShow.connect(self.refresh_datasets)
        self.refresh_datasets()
        view_menu = bar.addMenu("&View")
        self.presentation = self._add(view_menu, "&Presentation mode", lambda: None, "F5")
        self.presentation.setObjectName("presentationAction")
        self.presentation.setCheckable(True)
        self.presentation.toggled.connect(window.appearance.set_presenting)
        self.presentation.setToolTip("Everything 1.5× larger and the settings on one line: for a projector")
        theme_menu = view_menu.addMenu("&Theme")
        themes = QActionGroup(theme_menu)
        self.themes = {}
        for name, text in (("light", "&Light"), ("dark", "&Dark")):
            action = self._add(theme_menu, text, lambda: None)
            action.setObjectName(f"{name}ThemeAction")
            action.setCheckable(True)
            action.toggled.connect(lambda checked, name=name: checked and window.appearance.set_theme(name))
            action.setChecked(name == window.appearance.theme)
            themes.addAction(action)
            self.themes[name] = action
        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._add(help_menu, "&Keyboard shortcuts",
                                          lambda: self._explain("Keyboard shortcuts", shortcuts_html()))
        self.views_action = self._add(help_menu, "&What am I looking at?",
                                      lambda: self._explain("What am I looking at?", views_html()),
                                      StandardKey.HelpContents)

    def _add(self, menu: QMenu, text: str, command, shortcut=None) -> QAction:
        action = QAction(text, menu)   # owned by the menu: the Dataset menu's clear() deletes its items
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # triggered sends `checked`; the commands take an optional path instead
        action.triggered.connect(lambda checked=False: command())
        menu.addAction(action)
        return action

    def _add_built_in_lessons(self, menu: QMenu) -> list[QAction]:
        """One item per lesson the app ships, by its title (a file that cannot be read, by its name, disabled)."""
        actions = []
        for number, path in enumerate(built_in_lessons(), 1):
            try:
                title, problem = load_lesson(path).title, None
            except LessonError as error:   # a broken installation: listed, greyed, with the reason
                title, problem = f"{path.name} (cannot be read)", str(error)
            action = self._add(menu, f"&{number} {title.replace('&', '&&')}", lambda path=path: self.window.lessons.open_lesson(path))
            action.setObjectName(f"lesson{number}Action")
            action.setData(str(path))
            if problem:
                action.setEnabled(False)
                action.setToolTip(problem)
            actions.append(action)
        if not actions:
            menu.addAction("No lessons found").setEnabled(False)
        return actions

    def _explain(self, title: str, html: str) -> None:
        """One help box, not modal to the run: training goes on while it is read."""
        if getattr(self, "help_box", None) is None:
            self.help_box = QMessageBox(QMessageBox.Icon.Information, "", "", QMessageBox.StandardButton.Close,
                                        self.window)
            self.help_box.setObjectName("helpBox")
            self.help_box.setTextFormat(Qt.TextFormat.RichText)
        self.help_box.setWindowTitle(title)
        self.help_box.setText(html)
        self.help_box.open()

    def refresh_recent(self) -> None:
        """The data folders and models opened or saved lately (WindowSettings), most recent first."""
        menu = self.recent_menu
        menu.clear()
        editable = enabled_controls(self.window.state)["settings"]
        for entry in self.window.settings.recent():
            path = Path(entry["path"])
            command = (lambda path=path: self.actions.open_dataset(path)) if entry["kind"] == "data" \
                else (lambda path=path: self.actions.open_model(path))
            action = self._add(menu, f"{'Data' if entry['kind'] == 'data' else 'Model'}: {_home_relative(path)}",
                               command)
            action.setEnabled(editable)
        if menu.isEmpty():
            menu.addAction("Nothing opened yet").setEnabled(False)

    def refresh_datasets(self) -> None:
        """The datasets found, to open with one click, then a Download item for each known one missing."""
        menu = self.dataset_menu
        menu.clear()
        found = datasets.find_datasets(self.data_argument)
        current = self.window.data.dataset.path if self.window.data is not None else None
        editable = enabled_controls(self.window.state)["settings"]
        for location in found:
            known = datasets.KNOWN.get(location.name)
            title = known.title if known else location.name
            action = self._add(menu, f"{title}  —  {_home_relative(location.path)}",
                               lambda path=location.path: self.actions.open_dataset(path))
            action.setCheckable(True)
            action.setChecked(current is not None and Path(current) == Path(location.path))
            action.setEnabled(editable)
            action.setToolTip(f"{location.path} (found via {location.source})")
        if not found:
            menu.addAction("No datasets found").setEnabled(False)
        menu.addSeparator()
        present = {location.name for location in found}
        for dataset in datasets.KNOWN.values():
            if dataset.name not in present:
                action = self._add(menu, f"Download {dataset.title}…",
                                   lambda name=dataset.name: self.actions.download(name))
                action.setEnabled(editable)
        menu.addSeparator()
        menu.addAction(self.open_data)

    def dataset_actions(self) -> dict[str, QAction]:
        """The Dataset menu's items by text (for tests and scripts)."""
        return {action.text(): action for action in self.dataset_menu.actions() if action.text()}

    def set_state(self, state: RunState, has_model: bool) -> None:
        """Data and models open only when no run is under way (as the data panel's Open button);
        saving and exporting need a model on screen, the weights animation a run (recorded moments)."""
        editable = enabled_controls(state)["settings"]
        for action in (self.open_data, self.open_data_file, self.open_model, self.open_lesson):
            action.setEnabled(editable)
        self.lessons_menu.setEnabled(editable)
        self.save_lesson.setEnabled(state is not RunState.NO_DATA)
        self.save_model.setEnabled(has_model)
        self.export_model_menu.setEnabled(has_model)
        for action in self.model_exports.values():
            action.setEnabled(has_model)
        self.export_menu.setEnabled(has_model)
        self.export_animation.setEnabled(has_model and self.window.session.run is not None)
