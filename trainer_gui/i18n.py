"""The window's languages: Qt's translation machinery in one place.

Every user-visible string of the window goes through `translate(context, text)` (Qt's
QCoreApplication.translate: lupdate finds calls by that name with two string literals), or is
marked where it is defined with `QT_TRANSLATE_NOOP(context, text)` and translated where it is shown.
A string with values is translated as a template and formatted afterwards:
`translate("Progress", "epoch {epoch} of {epochs}").format(epoch=2, epochs=5)`.

The translations live in assets/translations: mnist_trainer_<code>.ts (Qt Linguist's XML, edited
by translators) and the .qm lrelease compiles from it (what the app loads). English is the
language of the source and needs no file. README.md ("Languages") says how to add one.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from . import ASSETS

TRANSLATIONS = ASSETS / "translations"
# code -> the language's name in that language (as the Language menu lists it); English first
LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"
SETTINGS_KEY = "language"   # in the window's QSettings (settings.py)

_installed: list[QTranslator] = []   # the translators of the current language (the app's and Qt's own)
_current = DEFAULT_LANGUAGE


def translate(context: str, text: str) -> str:
    """`text` in the current language (itself when there is no translation)."""
    return QCoreApplication.translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name lupdate looks for)
    """Marks `text` for lupdate where it is defined (a table of labels); translate() it when shown."""
    return text


def translation_file(language: str):
    """The compiled translation (.qm) of `language`."""
    return TRANSLATIONS / f"mnist_trainer_{language}.qm"


def current_language() -> str:
    return _current


def saved_language(settings) -> str:
    """The language a QSettings remembers (the default for anything else)."""
    language = settings.value(SETTINGS_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def install_language(language: str) -> bool:
    """Make `language` the application's language: its translator (and Qt's own, for the standard
    buttons and dialogs, when Qt ships one) replaces the previous language's. Installing sends every
    widget a LanguageChange event. False (and English) if the language or its file is missing."""
    global _current
    app = QCoreApplication.instance()
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    if app is None or language == _current:
        return language == _current
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current = DEFAULT_LANGUAGE
    if language == DEFAULT_LANGUAGE:
        return True
    translator = QTranslator(app)
    if not translator.load(str(translation_file(language))):
        return False
    qt_translator = QTranslator(app)
    if qt_translator.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    app.installTranslator(translator)
    _installed.append(translator)
    _current = language
    return True


def is_language_change(event) -> bool:
    return event.type() == QEvent.Type.LanguageChange
