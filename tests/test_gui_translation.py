"""View ▸ Language: the window in German and back at once, remembered for the next window; and the
shipped translation complete and compiled (the .qm the app loads says what the .ts says)."""
import ast
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import pytest  # noqa: E402

from conftest import REPO, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from engine import MODEL_KINDS  # noqa: E402
from trainer_gui import i18n  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

TRANSLATIONS = REPO / "trainer_gui" / "assets" / "translations"
MARKERS = ("translate", "QT_TRANSLATE_NOOP")   # the calls lupdate collects (trainer_gui/i18n.py)


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    """No German leaks into later tests: the application is English again after each test."""
    yield
    i18n.install_language("en")


def main_labels(window) -> dict:
    """What a person reads first: the run buttons, the tabs, the menus, the settings' titles and labels."""
    panel = window.model_panel
    return {"start": widget(window, "startButton").text(), "pause": widget(window, "pauseButton").text(),
            "step": widget(window, "stepButton").text(), "stop": widget(window, "stopButton").text(),
            "tab": widget(window, "workspaceTabs").tabText(0), "compare tab": widget(window, "workspaceTabs").tabText(5),
            "file menu": widget(window, "fileMenu").title(), "view menu": widget(window, "viewMenu").title(),
            "model group": widget(window, "modelGroup").title(),
            "training group": widget(window, "trainingGroup").title(),
            "learning rate": panel.training_form.labelForField(panel.lr_spin).text(),
            "batch size": panel.training_form.labelForField(panel.batch_spin).text(),
            "data": widget(window, "dataPanel").title(), "status": widget(window, "statusLabel").text()}


ENGLISH = {"start": "Start", "pause": "Pause", "step": "Step", "stop": "Stop", "tab": "Train",
           "compare tab": "Compare", "file menu": "&File", "view menu": "&View", "model group": "Model",
           "training group": "Training", "learning rate": "Learning rate", "batch size": "Batch size",
           "data": "Data", "status": "No data"}
GERMAN = {"start": "Starten", "pause": "Anhalten", "step": "Schritt", "stop": "Beenden", "tab": "Training",
          "compare tab": "Vergleichen", "file menu": "&Datei", "view menu": "&Ansicht", "model group": "Modell",
          "training group": "Training", "learning rate": "Lernrate", "batch size": "Stapelgröße",
          "data": "Daten", "status": "Keine Daten"}


def new_window(qtbot):
    from trainer_gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_language_menu_switches_the_main_labels_at_once_and_back(qtbot):
    window = new_window(qtbot)
    assert main_labels(window) == ENGLISH
    assert widget(window, "languageEnAction").isChecked()
    german = widget(window, "languageDeAction")
    assert german.text() == "Deutsch" and german in widget(window, "languageMenu").actions()
    german.trigger()
    assert main_labels(window) == GERMAN   # at once, before any event loop turn
    assert german.isChecked() and not widget(window, "languageEnAction").isChecked()
    assert widget(window, "languageMenu").title() == "&Sprache"
    assert window.model_panel.model_combo.currentText() == "Zweischichtiges ReLU-Netz"
    assert widget(window, "lrSpin").toolTip().startswith("Wie groß jeder Schritt")
    assert window.welcome.title.text() == "Sieh zu, wie ein neuronales Netz Ziffern lesen lernt"
    assert widget(window, "playButton").text() == "Abspielen" and window.timeline.caption.text() == "Zeitleiste"
    assert widget(window, "lessonCloseButton").text() == "Lektion schließen"
    QApplication.processEvents()   # Qt's own LanguageChange event arrives too: nothing changes
    assert main_labels(window) == GERMAN
    widget(window, "languageEnAction").trigger()
    assert main_labels(window) == ENGLISH
    assert window.model_panel.model_combo.currentText() == "Two-layer ReLU network"


def test_a_new_window_starts_in_the_language_chosen_last(qtbot):
    first = new_window(qtbot)
    widget(first, "languageDeAction").trigger()
    first.close()
    i18n.install_language("en")   # as a new start of the application: nothing installed yet
    second = new_window(qtbot)
    assert main_labels(second) == GERMAN
    assert widget(second, "languageDeAction").isChecked()
    widget(second, "languageEnAction").trigger()
    second.close()
    third = new_window(qtbot)
    assert main_labels(third) == ENGLISH


def test_the_status_line_and_the_data_panel_in_german(qtbot, small_window):
    window = small_window(kind="softmax", epochs=1)
    widget(window, "languageDeAction").trigger()
    assert widget(window, "statusLabel").text() == "Bereit"
    title = window.loss_plot.getPlotItem().titleLabel.text
    assert "Verlust" in title and "Stapel" in title and "Validierung" in title
    assert widget(window, "validationSpin").toolTip().startswith("Es wurde nur ein Teil gefunden")
    with qtbot.waitSignal(window.run_paused, timeout=30_000):   # after every report of the worker
        qtbot.mouseClick(widget(window, "stepButton"), Qt.MouseButton.LeftButton)
    assert window.state is RunState.PAUSED
    window.redraw_now()
    status = widget(window, "statusLabel").text()
    assert status.startswith("Angehalten") and "Epoche 1 von 1" in status and "Stapel 1 von 8" in status
    assert widget(window, "pauseButton").text() == "Fortsetzen"
    widget(window, "languageEnAction").trigger()
    assert widget(window, "pauseButton").text() == "Resume"
    assert "Loss" in window.loss_plot.getPlotItem().titleLabel.text
    assert widget(window, "statusLabel").text().startswith("Paused   ·   epoch 1 of 1   ·   batch 1 of 8")


def test_texts_made_after_the_switch_are_german(qtbot):
    """Messages, the Help box and Qt's own standard buttons are made in the language of the moment."""
    window = new_window(qtbot)
    widget(window, "languageDeAction").trigger()
    window.file_actions.save_model()
    assert widget(window, "messageBanner").text() == ("Noch nichts zu speichern: Trainiere zuerst ein Modell oder "
                                                      "öffne eines.")
    window.menus.views_action.trigger()
    box = widget(window, "helpBox")
    assert box.windowTitle() == "Was sehe ich hier?" and "<b>Verlust</b>: Wie falsch das Modell liegt" in box.text()
    box.close()
    widget(window, "languageEnAction").trigger()
    window.file_actions.save_model()
    assert widget(window, "messageBanner").text() == "Nothing to save yet: train a model or open one first."


def test_a_lesson_hides_tabs_by_their_english_titles_in_german_too(qtbot):
    from trainer_gui.lessons import TABS
    from trainer_gui.main_window import TAB_TITLES

    assert TAB_TITLES == TABS   # lesson files name the tabs by these titles
    window = new_window(qtbot)
    widget(window, "languageDeAction").trigger()
    window.lessons._hide(("Step", "Compare"), ())
    tabs = widget(window, "workspaceTabs")
    assert [tabs.tabText(i) for i in range(tabs.count()) if not tabs.isTabVisible(i)] == ["Schritt", "Vergleichen"]
    assert window.lessons.hidden_tabs() == ("Step", "Compare")   # what Save as lesson writes
    window.lessons._hide((), ())


# --- the shipped translations -----------------------------------------------------------------
def translation_files() -> list[Path]:
    files = sorted(TRANSLATIONS.glob("mnist_trainer_*.ts"))
    assert files, f"no translations in {TRANSLATIONS}"
    return files


def ts_messages(path: Path) -> dict:
    """{(context, source): (translation, type attribute or None)} of a Qt Linguist .ts file."""
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            messages[name, message.findtext("source")] = (translation.text or "", translation.get("type"))
    return messages


def marked_strings() -> dict:
    """{(context, text): "file:line"} of every translate(...) and QT_TRANSLATE_NOOP(...) in the
    window's code with two string literals: what lupdate collects."""
    found = {}
    for path in sorted((REPO / "trainer_gui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) != 2:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in MARKERS and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                found[node.args[0].value, node.args[1].value] = f"{path.relative_to(REPO)}:{node.lineno}"
    return found


def test_every_marked_string_is_translated_in_every_language():
    marked = marked_strings()
    assert len(marked) > 150   # the menus, the panels, the status line, the help texts…
    for ts in translation_files():
        messages = ts_messages(ts)
        missing = {key: where for key, where in marked.items() if key not in messages}
        assert not missing, f"{ts.name} lacks these strings: run scripts/update_translations.py: {missing}"
        unfinished = [key for key, (text, kind) in messages.items() if kind is not None or not text]
        assert not unfinished, f"{ts.name}: untranslated or obsolete: {unfinished}"
        for (context, source), (text, _) in messages.items():
            # the values filled in afterwards, and at most one keyboard mnemonic, survive translation
            assert set(re.findall(r"{\w*}", text)) == set(re.findall(r"{\w*}", source)), (context, source, text)
            assert text.replace("&&", "").count("&") == source.replace("&&", "").count("&"), (context, source)


def test_the_engine_model_names_are_translated():
    """The model combo shows engine.MODEL_KINDS (the engine imports no Qt): its names are marked in model_panel."""
    for ts in translation_files():
        messages = ts_messages(ts)
        assert all(("ModelPanel", label) in messages for label in MODEL_KINDS.values())


def test_the_compiled_translation_says_what_the_ts_says(qapp):
    """The committed .qm (what the app loads; users' PySide6-Essentials has no lrelease) is the
    .ts compiled: run scripts/update_translations.py --release after editing a .ts."""
    for ts in translation_files():
        code = ts.stem.removeprefix("mnist_trainer_")
        assert code in i18n.LANGUAGES, f"{ts.name}: add {code!r} to trainer_gui.i18n.LANGUAGES"
        translator = QTranslator()
        assert translator.load(str(i18n.translation_file(code))), f"{ts.with_suffix('.qm').name} missing"
        for (context, source), (text, _) in ts_messages(ts).items():
            assert translator.translate(context, source) == text, (context, source)
    assert set(i18n.LANGUAGES) == {"en"} | {ts.stem.removeprefix("mnist_trainer_") for ts in translation_files()}


def lupdate() -> str | None:
    import PySide6

    folder = Path(PySide6.__file__).parent
    candidates = [folder / "lupdate", folder / "lupdate.exe", folder / "Qt" / "bin" / "lupdate"]
    found = next((str(c) for c in candidates if c.is_file()), None)
    return found or shutil.which("pyside6-lupdate")


def test_lupdate_finds_nothing_new(tmp_path):
    """Where Qt's lupdate is installed (the full PySide6, not PySide6-Essentials), it finds exactly
    the strings the .ts holds: the AST scan above sees what lupdate sees."""
    tool = lupdate()
    if tool is None:
        pytest.skip("lupdate is not installed (PySide6-Essentials)")
    sources = sorted(str(path) for path in (REPO / "trainer_gui").rglob("*.py"))
    for ts in translation_files():
        copy = tmp_path / ts.name
        shutil.copy(ts, copy)
        subprocess.run([tool, *sources, "-no-obsolete", "-locations", "none", "-ts", str(copy)],
                       check=True, capture_output=True)
        assert set(ts_messages(copy)) == set(ts_messages(ts)), "run scripts/update_translations.py"
        assert set(ts_messages(copy)) == set(marked_strings())
