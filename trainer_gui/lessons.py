"""Lessons: a small JSON (or TOML) file that sets up the window for one idea; no Qt.

A lesson names a dataset ("mnist"), the model and training settings (the fields of the engine's
ModelConfig and TrainConfig, by name, checked by their own validate), optionally the first
`train_digits` training examples only, which workspace tabs and settings controls to hide, a title,
notes and a sequence of steps for the student. `load_lesson` turns any problem into a LessonError
whose message names the file and the key; `save_lesson` writes JSON atomically.

    {
      "title": "Softmax regression learns templates",
      "notes": "Each output unit has one weight per pixel ...",
      "dataset": "mnist",
      "model": {"kind": "softmax"},
      "training": {"learning_rate": 0.5, "epochs": 3},
      "hide_tabs": ["Step", "Compare"],
      "hide_controls": ["training.optimizer", "model.init"],
      "steps": ["Press Start.", "Watch the templates form in the weights view."]
    }
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from engine import ModelConfig, TrainConfig
from engine.files import atomic_write, open_regular

from . import ASSETS

BUILT_IN = ASSETS / "lessons"   # the lessons the app ships, *.json, listed in their file names' order

# the window's workspace tabs, by their titles (main_window builds them in this order)
TABS = ("Train", "Inside", "Step", "Evaluate", "Vital signs", "Compare")
SECTIONS = {"model": ModelConfig, "training": TrainConfig}
# every settings control a lesson may hide: "model.<field>" or "training.<field>"
CONTROLS = tuple(f"{section}.{f.name}" for section, cls in SECTIONS.items() for f in fields(cls))
KEYS = ("title", "notes", "dataset", "train_digits", "model", "training", "hide_tabs", "hide_controls", "steps")
MAX_BYTES = 1 << 20   # a lesson is a few kilobytes; anything larger is not one


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and what is wrong."""


@dataclass
class Lesson:
    title: str
    notes: str = ""
    dataset: str = "mnist"                 # a dataset name the app finds (engine.datasets), e.g. "mnist"
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainConfig = field(default_factory=TrainConfig)
    train_digits: int | None = None        # train on the first this many training examples only
    hide_tabs: tuple[str, ...] = ()        # titles of TABS
    hide_controls: tuple[str, ...] = ()    # names of CONTROLS
    steps: tuple[str, ...] = ()            # what the student does, one instruction each

    def to_dict(self) -> dict:
        """The lesson as the JSON object its file holds (only what differs from the defaults
        of the optional keys, so a saved lesson stays short)."""
        out = {"title": self.title, "notes": self.notes, "dataset": self.dataset}
        if self.train_digits is not None:
            out["train_digits"] = self.train_digits
        out["model"] = _changed(self.model)
        out["training"] = _changed(self.training)
        for key in ("hide_tabs", "hide_controls", "steps"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out


def _changed(config) -> dict:
    """The fields of a ModelConfig or TrainConfig that differ from their defaults (kind always)."""
    default = type(config)()
    values = asdict(config)
    return {name: list(value) if isinstance(value, tuple) else value for name, value in values.items()
            if name == "kind" or value != getattr(default, name)}


def _fail(path: Path, text: str):
    raise LessonError(f"{path.name}: {text}")


def _text(path, key, value, required=False) -> str:
    if not isinstance(value, str):
        _fail(path, f'"{key}" must be text, got {json.dumps(value)}')
    if required and not value.strip():
        _fail(path, f'"{key}" must not be empty')
    return value


def _texts(path, key, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        _fail(path, f'"{key}" must be a list of texts, got {json.dumps(value)}')
    return tuple(value)


def _field_value(path, where: str, default, value):
    """`value` checked against the type of the field's default: ints for ints, numbers for
    floats, true/false for booleans, text for text, a list of whole numbers for the hidden sizes."""
    def wrong(expected):
        _fail(path, f'"{where}" must be {expected}, got {json.dumps(value)}')

    if isinstance(default, bool):
        if not isinstance(value, bool):
            wrong("true or false")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            wrong("a whole number")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            wrong("a number")
        value = float(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            wrong("text")
    elif isinstance(default, tuple):
        if not isinstance(value, list) or not value or \
                not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            wrong("a list of whole numbers such as [256, 128]")
        value = tuple(value)
    return value


def _config(path, section: str, values, n_train: int):
    """The ModelConfig or TrainConfig of a section, by field name, validated by its own validate."""
    cls = SECTIONS[section]
    if not isinstance(values, dict):
        _fail(path, f'"{section}" must be an object of settings, got {json.dumps(values)}')
    known = {f.name: f for f in fields(cls)}
    unknown = [key for key in values if key not in known]
    if unknown:
        _fail(path, f'unknown key "{section}.{unknown[0]}"; the {section} settings are {", ".join(known)}')
    defaults = cls()
    config = cls(**{key: _field_value(path, f"{section}.{key}", getattr(defaults, key), value)
                    for key, value in values.items()})
    try:
        config.validate() if section == "model" else config.validate(n_train)
    except ValueError as error:
        _fail(path, f'"{section}": {error}')
    return config


def parse_lesson(data, path) -> Lesson:
    """A Lesson from the object a lesson file holds; LessonError naming `path` and the key."""
    path = Path(path)
    if not isinstance(data, dict):
        _fail(path, "a lesson is an object of settings ({ ... }) at the top level")
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        _fail(path, f'unknown key "{unknown[0]}"; a lesson has {", ".join(KEYS)}')
    if "title" not in data:
        _fail(path, 'the lesson has no "title"')
    lesson = Lesson(title=_text(path, "title", data["title"], required=True).strip())
    if "notes" in data:
        lesson.notes = _text(path, "notes", data["notes"])
    if "dataset" in data:
        lesson.dataset = _text(path, "dataset", data["dataset"], required=True).strip()
    if data.get("train_digits") is not None:
        digits = data["train_digits"]
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
            _fail(path, f'"train_digits" must be a whole number ≥ 1, got {json.dumps(digits)}')
        lesson.train_digits = digits
    n_train = lesson.train_digits or sys.maxsize   # the data's own size is checked at Start
    lesson.model = _config(path, "model", data.get("model", {}), n_train)
    lesson.training = _config(path, "training", data.get("training", {}), n_train)
    for key, allowed in (("hide_tabs", TABS), ("hide_controls", CONTROLS)):
        names = _texts(path, key, data.get(key, []))
        bad = [name for name in names if name not in allowed]
        if bad:
            _fail(path, f'"{key}": unknown {"tab" if key == "hide_tabs" else "control"} "{bad[0]}"; '
                        f'choose from {", ".join(allowed)}')
        setattr(lesson, key, tuple(dict.fromkeys(names)))
    if set(lesson.hide_tabs) == set(TABS):
        _fail(path, '"hide_tabs" hides every tab: leave at least one')
    lesson.steps = _texts(path, "steps", data.get("steps", []))
    return lesson


def load_lesson(path) -> Lesson:
    """Read and check a lesson file (.json, or .toml); LessonError with the file's name and the problem."""
    path = Path(path)
    try:
        with open_regular(path) as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        _fail(path, f"cannot be read: {getattr(error, 'strerror', None) or error}")
    except ValueError as error:
        _fail(path, f"cannot be read: {error}")
    if len(raw) > MAX_BYTES:
        _fail(path, f"is larger than {MAX_BYTES >> 10} KB: not a lesson file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail(path, "is not a text file (not UTF-8): not a lesson file")
    if path.suffix.lower() == ".toml":
        try:
            import tomllib
        except ImportError:   # Python 3.10
            _fail(path, "reading TOML needs Python 3.11 or later: save the lesson as JSON")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            _fail(path, f"is not valid TOML: {error}")
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            _fail(path, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")
    return parse_lesson(data, path)


def built_in_lessons() -> list[Path]:
    """The lesson files the app ships (File ▸ Lessons), in order."""
    return sorted(BUILT_IN.glob("*.json")) if BUILT_IN.is_dir() else []


def save_lesson(path, lesson: Lesson) -> None:
    """Write the lesson as JSON (atomically: a failed write leaves no partial file); OSError on failure."""
    parse_lesson(json.loads(json.dumps(lesson.to_dict())), path)   # never write a file load_lesson refuses
    data = (json.dumps(lesson.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    atomic_write(path, lambda out: out.write(data))
