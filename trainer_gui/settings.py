"""What the window remembers between sessions (QSettings): its geometry, the last data folder and
model, the settings of the model panel, the speed, and the recently opened files."""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from engine import ModelConfig, TrainConfig

from .hyperparameters import format_hidden_sizes, parse_hidden_sizes

RECENT_LIMIT = 8
SETTINGS_ENV = "MNIST_TRAINER_SETTINGS"   # a folder for the settings file instead of the user's


def app_settings() -> QSettings:
    """The settings file: an INI file in the platform's config folder, or in $MNIST_TRAINER_SETTINGS
    (the tests, the screenshot script and the benchmarks use a folder of their own)."""
    folder = os.environ.get(SETTINGS_ENV)
    if folder:
        return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "mnist-trainer", "mnist-trainer")


def _read_json(settings: QSettings, key: str, default):
    try:
        value = json.loads(settings.value(key, "") or "null")
    except (TypeError, ValueError):   # an edited or foreign file: its value is ignored
        return default
    return default if value is None else value


class WindowSettings:
    """Saves the window's settings when it closes and restores them when it opens.

    A value that no longer fits (a setting the engine refuses, a folder that is gone) is skipped:
    the control keeps its default and the window opens as usual.
    """

    def __init__(self, window, settings: QSettings | None = None):
        self.window = window
        self.settings = settings or app_settings()

    # --- recent files --------------------------------------------------------------------------
    def recent(self) -> list[dict]:
        """[{"kind": "data" | "model", "path": str}], the most recent first, existing paths only."""
        entries = _read_json(self.settings, "recent", [])
        if not isinstance(entries, list):
            return []
        return [e for e in entries if isinstance(e, dict) and e.get("kind") in ("data", "model")
                and isinstance(e.get("path"), str) and Path(e["path"]).exists()]

    def add_recent(self, kind: str, path) -> None:
        entry = {"kind": kind, "path": str(Path(path).resolve())}
        entries = [entry] + [e for e in self.recent() if e != entry]
        self.settings.setValue("recent", json.dumps(entries[:RECENT_LIMIT]))
        self.settings.setValue(f"last_{kind}", entry["path"])

    def last(self, kind: str) -> str | None:
        path = self.settings.value(f"last_{kind}")
        return path if isinstance(path, str) and Path(path).exists() else None

    # --- the window ---------------------------------------------------------------------------
    def save(self) -> None:
        window, settings = self.window, self.settings
        settings.setValue("geometry", window.saveGeometry())
        panel = window.model_panel
        try:
            model = asdict(panel.model_config())
        except ValueError:   # unfinished hidden sizes: the model is not saved, the rest is
            model = None
        if model is not None:
            settings.setValue("model", json.dumps(model))
        training = asdict(panel.train_config())
        training["learning_rate_chosen"] = panel.learning_rate_chosen
        settings.setValue("training", json.dumps(training))
        settings.setValue("speed", window.controls.speed_slider.value())
        settings.setValue("validation_percent", window.data_panel.validation_spin.value())
        settings.setValue("theme", window.appearance.theme)
        settings.sync()

    def restore(self) -> None:
        window, settings = self.window, self.settings
        geometry = settings.value("geometry")
        if isinstance(geometry, (QByteArray, bytes)):   # anything else is not a geometry Qt saved
            window.restoreGeometry(QByteArray(geometry))
        model, training = _read_json(settings, "model", {}), _read_json(settings, "training", {})
        if isinstance(model, dict) and isinstance(training, dict) and model and training:
            self._restore_panel(model, training)
        for key, control in (("speed", window.controls.speed_slider),
                             ("validation_percent", window.data_panel.validation_spin)):
            try:
                control.setValue(int(settings.value(key, control.value())))
            except (TypeError, ValueError):
                pass
        theme = settings.value("theme")
        if theme in window.menus.themes:   # anything else is not a theme this window has
            window.menus.themes[theme].setChecked(True)

    def _restore_panel(self, model: dict, training: dict) -> None:
        chosen = bool(training.pop("learning_rate_chosen", True))
        try:
            model_config = ModelConfig(**{k: v for k, v in model.items() if k in ModelConfig.__dataclass_fields__})
            model_config.hidden = tuple(model_config.hidden)
            model_config.validate()
            train_config = TrainConfig(**{k: v for k, v in training.items() if k in TrainConfig.__dataclass_fields__})
            train_config.validate(train_config.batch_size)
        except (TypeError, ValueError):
            return
        panel = self.window.model_panel
        try:   # widths the panel itself would refuse to read back (more than 4 digits) are not restored
            parse_hidden_sizes(format_hidden_sizes(model_config.hidden), single=model_config.kind == "two-layer")
        except ValueError:
            model_config.hidden = ModelConfig().hidden
        # a number out of its field's range keeps the field's value rather than being clamped
        for field, spin in (("learning_rate", panel.lr_spin), ("batch_size", panel.batch_spin),
                            ("epochs", panel.epochs_spin), ("momentum", panel.momentum_spin),
                            ("weight_decay", panel.weight_decay_spin), ("seed", panel.train_seed_spin)):
            if not spin.minimum() <= getattr(train_config, field) <= spin.maximum():
                setattr(train_config, field, type(getattr(train_config, field))(spin.value()))
                chosen = chosen and field != "learning_rate"
        if not panel.model_seed_spin.minimum() <= model_config.seed <= panel.model_seed_spin.maximum():
            model_config.seed = panel.model_seed_spin.value()
        panel.show_config(model_config, train_config)
        panel.learning_rate_chosen = chosen
