"""Lesson files: what load_lesson reads (settings by the engine's field names, validated by the
engine's own checks), what save_lesson writes, and one clear message naming the file and the key
for each kind of bad input."""
import json

import pytest

from engine import ModelConfig, TrainConfig
from trainer_gui.lessons import (CONTROLS, TABS, Lesson, LessonError, built_in_lessons, load_lesson,
                                 save_lesson)


def write(tmp_path, data, name="lesson.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_lesson_file_is_read_into_the_engines_configurations(tmp_path):
    path = write(tmp_path, {
        "title": " Overfitting ", "notes": "Five hundred digits.", "dataset": "fashion-mnist",
        "train_digits": 500,
        "model": {"kind": "mlp", "hidden": [64, 32], "activation": "tanh", "bias": False},
        "training": {"learning_rate": 1, "batch_size": 50, "epochs": 40, "shuffle": True},
        "hide_tabs": ["Step", "Compare"], "hide_controls": ["training.optimizer", "model.seed"],
        "steps": ["Press Start.", "Watch."]})
    lesson = load_lesson(path)
    assert lesson.title == "Overfitting" and lesson.notes == "Five hundred digits."
    assert lesson.dataset == "fashion-mnist" and lesson.train_digits == 500
    assert lesson.model == ModelConfig(kind="mlp", hidden=(64, 32), activation="tanh", bias=False)
    assert lesson.training == TrainConfig(learning_rate=1.0, batch_size=50, epochs=40, shuffle=True)
    assert isinstance(lesson.training.learning_rate, float)
    assert lesson.hide_tabs == ("Step", "Compare") and lesson.hide_controls == ("training.optimizer", "model.seed")
    assert lesson.steps == ("Press Start.", "Watch.")


def test_defaults_of_a_minimal_lesson(tmp_path):
    lesson = load_lesson(write(tmp_path, {"title": "Hello"}))
    assert lesson == Lesson(title="Hello")
    assert lesson.dataset == "mnist" and lesson.model == ModelConfig() and lesson.training == TrainConfig()


def test_save_and_load_round_trip(tmp_path):
    lesson = Lesson(title="Ünïcode — lesson", notes="line one\nline two", dataset="mnist", train_digits=300,
                    model=ModelConfig(kind="mlp", hidden=(10,) * 3, activation="sigmoid", init="xavier", seed=4),
                    training=TrainConfig(learning_rate=0.05, epochs=7, momentum=0.9, augment_shift=2),
                    hide_tabs=("Inside",), hide_controls=("training.dropout",), steps=("one", "two"))
    path = tmp_path / "saved.json"
    save_lesson(path, lesson)
    assert load_lesson(path) == lesson
    written = json.loads(path.read_text(encoding="utf-8"))
    # only what differs from the defaults is written: a short file a teacher can read and edit
    assert written["training"] == {"learning_rate": 0.05, "epochs": 7, "momentum": 0.9, "augment_shift": 2}
    assert written["model"] == {"kind": "mlp", "hidden": [10, 10, 10], "activation": "sigmoid",
                                "init": "xavier", "seed": 4}
    assert [p.name for p in tmp_path.iterdir()] == ["saved.json"]   # no temporary left behind


def test_save_refuses_a_lesson_it_could_not_read_back(tmp_path):
    with pytest.raises(LessonError, match="hide_tabs"):
        save_lesson(tmp_path / "bad.json", Lesson(title="x", hide_tabs=("Nowhere",)))
    assert not (tmp_path / "bad.json").exists()


def test_a_toml_lesson_is_read_too(tmp_path):
    path = write(tmp_path, 'title = "TOML"\nsteps = ["a"]\n[model]\nkind = "softmax"\n'
                           '[training]\nlearning_rate = 0.5\n', "lesson.toml")
    lesson = load_lesson(path)
    assert lesson.model.kind == "softmax" and lesson.training.learning_rate == 0.5 and lesson.steps == ("a",)


@pytest.mark.parametrize("content, expected", [
    ("{ title: 'not json' }", r"lesson.json: is not valid JSON: Expecting property name .* at line 1, column 3"),
    ("", "lesson.json: is not valid JSON"),
    ([1, 2], r"lesson.json: a lesson is an object"),
    ({"notes": "no title"}, 'lesson.json: the lesson has no "title"'),
    ({"title": "  "}, '"title" must not be empty'),
    ({"title": 5}, '"title" must be text, got 5'),
    ({"title": "x", "tabs": []}, 'lesson.json: unknown key "tabs"; a lesson has title, notes'),
    ({"title": "x", "model": {"kind": "mlp", "layers": 3}},
     'lesson.json: unknown key "model.layers"; the model settings are kind, hidden'),
    ({"title": "x", "training": {"learning_rat": 0.1}}, 'unknown key "training.learning_rat"'),
    ({"title": "x", "training": {"learning_rate": "fast"}},
     'lesson.json: "training.learning_rate" must be a number, got "fast"'),
    ({"title": "x", "training": {"epochs": 2.5}}, '"training.epochs" must be a whole number, got 2.5'),
    ({"title": "x", "training": {"shuffle": 1}}, '"training.shuffle" must be true or false, got 1'),
    ({"title": "x", "model": {"hidden": "64,64"}}, '"model.hidden" must be a list of whole numbers'),
    # the values themselves are checked by ModelConfig.validate and TrainConfig.validate
    ({"title": "x", "training": {"learning_rate": -1}},
     'lesson.json: "training": learning rate must be a positive number, got -1'),
    ({"title": "x", "model": {"kind": "transformer"}}, 'lesson.json: "model": unknown model \'transformer\''),
    ({"title": "x", "model": {"kind": "mlp", "activation": "swish"}}, "unknown activation 'swish'"),
    ({"title": "x", "training": {"optimizer": "nesterov"}}, "Nesterov momentum needs a momentum"),
    ({"title": "x", "train_digits": 50, "training": {"batch_size": 100}},
     "batch size must be between 1 and the 50 training examples"),
    ({"title": "x", "train_digits": 0}, '"train_digits" must be a whole number ≥ 1, got 0'),
    ({"title": "x", "hide_tabs": ["Train", "Nowhere"]}, '"hide_tabs": unknown tab "Nowhere"; choose from Train'),
    ({"title": "x", "hide_tabs": list(TABS)}, "hides every tab"),
    ({"title": "x", "hide_controls": ["optimizer"]}, '"hide_controls": unknown control "optimizer"'),
    ({"title": "x", "steps": "Press Start"}, '"steps" must be a list of texts'),
])
def test_each_bad_input_has_one_message_naming_the_file_and_the_key(tmp_path, content, expected):
    with pytest.raises(LessonError, match=expected):
        load_lesson(write(tmp_path, content))


def test_files_that_are_not_lessons(tmp_path):
    with pytest.raises(LessonError, match="missing.json: cannot be read: No such file"):
        load_lesson(tmp_path / "missing.json")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(LessonError, match="folder.json: cannot be read: is a folder"):
        load_lesson(tmp_path / "folder.json")
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(LessonError, match="binary.json: is not a text file"):
        load_lesson(tmp_path / "binary.json")
    (tmp_path / "huge.json").write_bytes(b" " * (2 << 20))
    with pytest.raises(LessonError, match="huge.json: is larger than"):
        load_lesson(tmp_path / "huge.json")
    with pytest.raises(LessonError, match=r"bad.toml: is not valid TOML"):
        load_lesson(write(tmp_path, "title = ", "bad.toml"))


def test_the_five_built_in_lessons_load():
    lessons = [load_lesson(path) for path in built_in_lessons()]
    assert len(lessons) == 5
    for lesson in lessons:
        assert lesson.dataset == "mnist" and lesson.notes and lesson.steps
        assert set(lesson.hide_controls) <= set(CONTROLS) and "Train" not in lesson.hide_tabs
    assert [lesson.model.kind for lesson in lessons] == ["softmax", "two-layer", "mlp", "mlp", "mlp"]
    assert lessons[2].train_digits == 500
    assert lessons[4].model.hidden == (64,) * 10 and lessons[4].model.activation == "sigmoid"


def test_a_training_set_limit_keeps_the_first_examples_and_the_whole_held_out_set(shared_data):
    from engine import load_folder
    from trainer_gui.training_data import prepare_training_data

    dataset = load_folder(shared_data / "mnist")
    whole = prepare_training_data(dataset, 0.2)
    part = prepare_training_data(dataset, 0.2, train_limit=500)
    assert part.train_of == len(whole.y_train) == 8000 and whole.train_of is None
    assert (part.X_train == whole.X_train[:500]).all() and (part.y_train == whole.y_train[:500]).all()
    assert (part.X_eval == whole.X_eval).all() and len(part.y_eval) == 2000
    assert prepare_training_data(dataset, 0.2, train_limit=9000).train_of is None   # no more than there is
    with pytest.raises(ValueError, match="at least one example"):
        prepare_training_data(dataset, 0.2, train_limit=0)
