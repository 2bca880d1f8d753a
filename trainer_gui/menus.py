"""The menu bar: File (data, models, model exports, exports, quit), Dataset (found and downloadable
datasets), View (presentation mode, theme, language) and Help."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from engine import datasets

from .file_actions import MODEL_EXPORTS, PNG_EXPORTS, FileActions
from .lessons import LessonError, built_in_lessons, load_lesson
from .help_texts import shortcuts_html, views_html
from .i18n import LANGUAGES, current_language, translate
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
        # the texts are set by retranslate(), again when the language changes
        self.file_menu = file_menu = bar.addMenu("")
        self.file_menu.setObjectName("fileMenu")
        self.open_data = self._add(file_menu, "", window.data_panel.open_requested.emit, StandardKey.Open)
        self.open_data_file = self._add(file_menu, "", window._choose_file)
        self.open_model = self._add(file_menu, "", actions.open_model, "Ctrl+Shift+O")
        self.recent_menu = file_menu.addMenu("")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.refresh_recent)
        self.save_model = self._add(file_menu, "", actions.save_model, StandardKey.Save)
        self.export_model_menu = file_menu.addMenu("")
        self.export_model_menu.setObjectName("exportModelMenu")
        self.model_exports = {format: self._add(self.export_model_menu, "",
                                                lambda format=format: actions.export_model(format))
                              for format in MODEL_EXPORTS}
        file_menu.addSeparator()
        lessons = window.lessons
        self.open_lesson = self._add(file_menu, "", lessons.open_lesson)
        self.open_lesson.setObjectName("openLessonAction")
        self.lessons_menu = file_menu.addMenu("")
        self.lessons_menu.setObjectName("lessonsMenu")
        self.lesson_actions = self._add_built_in_lessons(self.lessons_menu)
        self.save_lesson = self._add(file_menu, "", lessons.save_lesson)
        self.save_lesson.setObjectName("saveLessonAction")
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("")
        self.exports = {name: self._add(self.export_menu, "", lambda name=name: actions.export_view(name))
                        for name in PNG_EXPORTS}
        self.export_animation = self._add(self.export_menu, "", actions.export_animation)
        self.export_animation.setObjectName("exportAnimationAction")
        self.export_menu.addSeparator()
        self.exports["metrics"] = self._add(self.export_menu, "", actions.export_metrics)
        file_menu.addSeparator()
        self.quit = self._add(file_menu, "", window.close, StandardKey.Quit)
        self.dataset_menu = bar.addMenu("")
        self.dataset_menu.setObjectName("datasetMenu")
        self.dataset_menu.aboutToShow.connect(self.refresh_datasets)
        self.view_menu = view_menu = bar.addMenu("")
        self.view_menu.setObjectName("viewMenu")
        self.presentation = self._add(view_menu, "", lambda: None, "F5")
        self.presentation.setObjectName("presentationAction")
        self.presentation.setCheckable(True)
        self.presentation.toggled.connect(window.appearance.set_presenting)
        self.theme_menu = theme_menu = view_menu.addMenu("")
        themes = QActionGroup(theme_menu)
        self.themes = {}
        for name in ("light", "dark"):
            action = self._add(theme_menu, "", lambda: None)
            action.setObjectName(f"{name}ThemeAction")
            action.setCheckable(True)
            action.toggled.connect(lambda checked, name=name: checked and window.appearance.set_theme(name))
            action.setChecked(name == window.appearance.theme)
            themes.addAction(action)
            self.themes[name] = action
        # each language by its own name, so that someone who does not read the current one finds theirs
        self.language_menu = language_menu = view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        languages = QActionGroup(language_menu)
        self.languages = {}
        for code, name in LANGUAGES.items():
            action = self._add(language_menu, name, lambda: None)
            action.setObjectName(f"language{code.capitalize()}Action")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda checked, code=code: checked and window.set_language(code))
            languages.addAction(action)
            self.languages[code] = action
        self.help_menu = help_menu = bar.addMenu("")
        self.help_menu.setObjectName("helpMenu")
        self.shortcuts_action = self._add(help_menu, "", self._explain_shortcuts)
        self.views_action = self._add(help_menu, "", self._explain_views, StandardKey.HelpContents)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text of the menus in the current language (the Dataset and Open recent menus
        are rebuilt, in the current language, each time they open)."""
        for item, text in (
                (self.file_menu, translate("Menus", "&File")),
                (self.open_data, translate("Menus", "Open &data folder…")),
                (self.open_data_file, translate("Menus", "Open data f&ile (CSV, npz)…")),
                (self.open_model, translate("Menus", "Open &model…")),
                (self.recent_menu, translate("Menus", "Open &recent")),
                (self.save_model, translate("Menus", "&Save model…")),
                (self.export_model_menu, translate("Menus", "Export mode&l")),
                (self.open_lesson, translate("Menus", "Open &lesson…")),
                (self.lessons_menu, translate("Menus", "Lesso&ns")),
                (self.save_lesson, translate("Menus", "Save as lesso&n…")),
                (self.export_menu, translate("Menus", "&Export")),
                (self.export_animation, translate("Menus", "Weights animation (GIF)…")),
                (self.exports["metrics"], translate("Menus", "Metrics per epoch (CSV)…")),
                (self.quit, translate("Menus", "&Quit")),
                (self.dataset_menu, translate("Menus", "Data&set")),
                (self.view_menu, translate("Menus", "&View")),
                (self.presentation, translate("Menus", "&Presentation mode")),
                (self.theme_menu, translate("Menus", "&Theme")),
                (self.themes["light"], translate("Menus", "&Light")),
                (self.themes["dark"], translate("Menus", "&Dark")),
                (self.language_menu, translate("Menus", "Lan&guage")),
                (self.help_menu, translate("Menus", "&Help")),
                (self.shortcuts_action, translate("Menus", "&Keyboard shortcuts")),
                (self.views_action, translate("Menus", "&What am I looking at?"))):
            if isinstance(item, QMenu):
                item.setTitle(text)
            else:
                item.setText(text)
        for format, action in self.model_exports.items():
            action.setText(translate("FileActions", MODEL_EXPORTS[format]))
        for name, (text, _, _) in PNG_EXPORTS.items():
            self.exports[name].setText(translate("Menus", "{view} (PNG or SVG)…").format(view=translate("FileActions", text)))
        self.presentation.setToolTip(translate("Menus", "Everything 1.5× larger and the settings on one line: "
                                                        "for a projector"))
        for code, action in self.languages.items():
            action.setChecked(code == current_language())
        if not self.lesson_actions:
            self._no_lessons.setText(translate("Menus", "No lessons found"))
        self.refresh_datasets()

    def _explain_shortcuts(self) -> None:
        self._explain(translate("Menus", "Keyboard shortcuts"), shortcuts_html(translate))

    def _explain_views(self) -> None:
        self._explain(translate("Menus", "What am I looking at?"), views_html(translate))

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
                title, problem = translate("Menus", "{file} (cannot be read)").format(file=path.name), str(error)
            action = self._add(menu, f"&{number} {title.replace('&', '&&')}", lambda path=path: self.window.lessons.open_lesson(path))
            action.setObjectName(f"lesson{number}Action")
            action.setData(str(path))
            if problem:
                action.setEnabled(False)
                action.setToolTip(problem)
            actions.append(action)
        self._no_lessons = None
        if not actions:
            self._no_lessons = menu.addAction(translate("Menus", "No lessons found"))
            self._no_lessons.setEnabled(False)
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
            kind = translate("Menus", "Data: {path}") if entry["kind"] == "data" else translate("Menus", "Model: {path}")
            action = self._add(menu, kind.format(path=_home_relative(path)), command)
            action.setEnabled(editable)
        if menu.isEmpty():
            menu.addAction(translate("Menus", "Nothing opened yet")).setEnabled(False)

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
            action.setToolTip(translate("Menus", "{path} (found via {source})").format(path=location.path,
                                                                                        source=location.source))
        if not found:
            menu.addAction(translate("Menus", "No datasets found")).setEnabled(False)
        menu.addSeparator()
        present = {location.name for location in found}
        for dataset in datasets.KNOWN.values():
            if dataset.name not in present:
                action = self._add(menu, translate("Menus", "Download {dataset}…").format(dataset=dataset.title),
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
