"""What File ▸ Open lesson…, File ▸ Lessons and File ▸ Save as lesson… do, and the lesson panel's Close.

Opening a lesson (trainer_gui.lessons reads and checks the file) hides the tabs and controls it
lists, shows its side panel, and loads its dataset through the window's own background load,
found as the Dataset menu finds datasets (engine.datasets.find_datasets); once the data is on
screen, the model panel shows the lesson's settings. A missing dataset is said in the message
banner, and the panel offers its Download. Every failure is one message in the banner; the window
keeps what it had.
"""
from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine import datasets

from .i18n import translate
from .lessons import CONTROLS, TABS, Lesson, LessonError, load_lesson, save_lesson
from .state.run_state import enabled_controls


class LessonActions(QObject):
    """The window's lesson commands; `window` is the MainWindow they act on.

    message(text): a failure, for the message banner. applied(ok): the open lesson's data has
    loaded and its settings are in the model panel (True), or its data could not be loaded (False).
    """
    message = Signal(str)
    applied = Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.lesson: Lesson | None = None
        self.path: Path | None = None
        self._waiting = False   # the lesson's settings wait for its data to load
        window.data_loaded.connect(self._on_data_loaded)
        panel = window.lesson_panel
        panel.close_requested.connect(self.close_lesson)
        panel.download_requested.connect(lambda name: window.file_actions.download(name))

    # --- open -----------------------------------------------------------------------------
    def open_lesson(self, path=None) -> bool:
        """Open a lesson file (asking for one without `path`). True when it opened (its data may
        still be loading or missing); False, with a message, when the file cannot be used."""
        window = self.window
        if not enabled_controls(window.state)["settings"]:
            self.message.emit(translate("LessonActions", "Stop the run before opening a lesson."))
            return False
        path = path or window.file_actions._ask("open_lesson")
        if not path:
            return False
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            self.message.emit(translate("LessonActions", "Could not open the lesson {error}").format(error=error))
            return False
        self.message.emit("")
        self._restore_view()
        self.lesson, self.path = lesson, Path(path)
        window.lesson_panel.show_lesson(lesson)
        self._hide(lesson.hide_tabs, lesson.hide_controls)
        window.train_limit = lesson.train_digits   # applied by the load below
        # shown at once, and again (and checked) once the data is loaded: its size bounds the batch
        window.model_panel.show_config(lesson.model, lesson.training)
        self._waiting = True
        location = self._find(lesson.dataset)
        if location is not None:
            window.load_data(location.path)
        else:
            self._say_missing(lesson)
        return True

    def _find(self, name: str):
        """Where the dataset called `name` is, in the order the Dataset menu lists them, or None."""
        return next((location for location in datasets.find_datasets(self.window.menus.data_argument)
                     if location.name == name), None)

    def _say_missing(self, lesson: Lesson) -> None:
        known = datasets.KNOWN.get(lesson.dataset)
        argument, variable = self.window.menus.data_argument, os.environ.get(datasets.DATA_ENV)
        places = ([f"--data {argument}"] if argument else []) \
            + ([f"${datasets.DATA_ENV} = {variable}"] if variable else []) \
            + [translate("LessonActions", "the download folder {folder}").format(folder=datasets.cache_root())]
        where = ", ".join(places)
        if known is not None:
            self.window.lesson_panel.offer_download(lesson.dataset, known.title)
            self.message.emit(translate("LessonActions", "The lesson “{lesson}” trains on {dataset}, which was not "
                                                         "found on this computer (looked in {where}). Download it with "
                                                         "the button in the lesson panel or the Dataset menu; the "
                                                         "lesson goes on once it is loaded.")
                              .format(lesson=lesson.title, dataset=known.title, where=where))
        else:
            self.message.emit(translate("LessonActions", "The lesson “{lesson}” trains on the dataset “{dataset}”, "
                                                         "which was not found (looked in {where}). Open a folder "
                                                         "called {dataset} with File ▸ Open data folder…; the lesson "
                                                         "goes on once it is loaded.")
                              .format(lesson=lesson.title, dataset=lesson.dataset, where=where))

    def _on_data_loaded(self, ok: bool) -> None:
        if not self._waiting or self.lesson is None:
            return
        lesson, data = self.lesson, self.window.data
        if not ok:
            self.message.emit(translate("LessonActions", "The data of the lesson “{lesson}” could not be loaded "
                                                         "(the data panel says why).").format(lesson=lesson.title))
            self.applied.emit(False)
            return
        if Path(data.dataset.path).name != lesson.dataset:
            self.message.emit(translate("LessonActions", "The lesson “{lesson}” trains on {dataset}; other data was "
                                                         "opened, so its settings wait until {dataset} is loaded.")
                              .format(lesson=lesson.title, dataset=lesson.dataset))
            return
        self._waiting = False
        self.window.lesson_panel.offer_download(None)
        self._show_settings(lesson)
        self.applied.emit(True)

    def _show_settings(self, lesson: Lesson) -> None:
        """The lesson's settings in the model panel; any the panel cannot show (a value beyond a
        field's range) is said, with what the panel shows instead."""
        panel = self.window.model_panel
        panel.show_config(lesson.model, lesson.training)
        try:
            model, training = panel.model_config(), panel.train_config()
        except ValueError as error:
            self.message.emit(f"{self.path.name}: the model panel cannot show the lesson's model: {error}")
            return
        differ = [f"model.{name} is {value!r}, shown as {getattr(model, name)!r}"
                  for name, value in asdict(lesson.model).items()
                  if (name == "kind" or lesson.model.applies(name)) and getattr(model, name) != value]
        differ += [f"training.{name} is {value!r}, shown as {getattr(training, name)!r}"
                   for name, value in asdict(lesson.training).items() if getattr(training, name) != value]
        if differ:
            self.message.emit(f"{self.path.name}: the window cannot show every setting of the lesson: "
                              + "; ".join(differ) + ".")

    # --- tabs and controls ----------------------------------------------------------------
    def _hide(self, tabs, controls) -> None:
        window = self.window
        bar = window.workspace_tabs
        for index in range(bar.count()):   # by their English titles (TABS), whatever the language shown
            bar.setTabVisible(index, TABS[index] not in tabs)
        if not bar.isTabVisible(bar.currentIndex()):
            bar.setCurrentIndex(next(i for i in range(bar.count()) if bar.isTabVisible(i)))
        window.model_panel.hide_controls(controls)

    def _restore_view(self) -> None:
        self._hide((), ())

    def hidden_tabs(self) -> tuple[str, ...]:
        bar = self.window.workspace_tabs
        return tuple(TABS[i] for i in range(bar.count()) if not bar.isTabVisible(i))

    # --- close ----------------------------------------------------------------------------
    def close_lesson(self) -> None:
        """End the lesson: every tab and control back, the panel gone, the whole training set
        back (at once, or, while a run trains on the lesson's part of it, from the next load)."""
        window = self.window
        self._restore_view()
        window.lesson_panel.hide()
        window.lesson_panel.offer_download(None)
        self.lesson, self.path, self._waiting = None, None, False
        if window.train_limit is not None:
            window.set_train_limit(None)

    # --- save -----------------------------------------------------------------------------
    def save_lesson(self, path=None, text=None) -> bool:
        """Save the data, settings, hidden tabs and controls on screen (and the steps of the open
        lesson) as a lesson, with a title and notes asked for (`text`: (title, notes) instead)."""
        window = self.window
        if window.data is None:
            self.message.emit(translate("LessonActions", "Open data first: a lesson names the dataset it trains on."))
            return False
        panel = window.model_panel
        try:
            model, training = panel.model_config(), panel.train_config()
            training.validate(len(window.data.y_train))
        except ValueError as error:
            self.message.emit(translate("LessonActions", "Could not save the lesson: {error}").format(error=error))
            return False
        current = self.lesson
        if text is None:
            text = window._ask_lesson_text(current.title if current else "", current.notes if current else "")
        if not text:
            return False
        path = path or window.file_actions._ask("save_lesson", "lesson.json")
        if not path:
            return False
        path = Path(path) if Path(path).suffix else Path(path).with_suffix(".json")
        hidden_controls = tuple(name for name in CONTROLS if panel.control(name).isHidden())
        lesson = Lesson(title=text[0].strip(), notes=text[1], dataset=Path(window.data.dataset.path).name,
                        model=model, training=training, train_digits=window.train_limit,
                        hide_tabs=self.hidden_tabs(), hide_controls=hidden_controls,
                        steps=current.steps if current else ())
        try:
            save_lesson(path, lesson)
        except LessonError as error:
            self.message.emit(translate("LessonActions", "Could not save the lesson {error}").format(error=error))
            return False
        except OSError as error:
            self.message.emit(translate("LessonActions", "Could not save the lesson to {path}: {reason}")
                              .format(path=path, reason=error.strerror or error))
            return False
        window.statusBar().showMessage(translate("LessonActions", "Saved the lesson “{lesson}” to {path}")
                                       .format(lesson=lesson.title, path=path), 8000)
        return True
