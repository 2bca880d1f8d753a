"""Lessons in the window: each built-in lesson, opened from File ▸ Lessons as a person does, loads
the real MNIST digits, trains and shows what its notes claim, checked against NumPy computations
from the run's recorded weights (not the window's own figures); opening a bad lesson file or one
whose dataset is missing says so in the message banner; Save as lesson… writes what is on screen;
Close brings every tab and control back."""
import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine import datasets  # noqa: E402
from trainer_gui.lessons import CONTROLS, TABS, built_in_lessons, load_lesson  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 60_000


@pytest.fixture
def window(qtbot, shared_data, monkeypatch):
    """The window at 1280×800, finding its datasets in the shared data folder (as
    $MNIST_TRAINER_DATA points the app at a folder of dataset folders)."""
    monkeypatch.setenv(datasets.DATA_ENV, str(shared_data))
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def open_built_in(qtbot, window, number):
    """Choose File ▸ Lessons ▸ <number>, and wait until its data is loaded and its settings shown."""
    action = widget(window, f"lesson{number}Action")
    assert action.isEnabled() and action.data() == str(built_in_lessons()[number - 1])
    with qtbot.waitSignal(window.lessons.applied, timeout=WAIT_MS) as blocker:
        action.trigger()
    assert blocker.args == [True]
    return load_lesson(built_in_lessons()[number - 1])


def click(qtbot, window, name):
    qtbot.mouseClick(widget(window, name), Qt.MouseButton.LeftButton)


def train(qtbot, window, epochs=None):
    """Train the settings shown (with `epochs` instead of the lesson's, to keep the test short)."""
    if epochs is not None:
        window.model_panel.epochs_spin.setValue(epochs)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)
    record = window.session.run
    return record.at(record.steps[-1])


def set_learning_rate(qtbot, window, text):
    """Reset, then type a learning rate into its field, as a lesson's step asks."""
    click(qtbot, window, "resetButton")
    line = window.model_panel.lr_spin.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


# --- NumPy references, from the definitions -----------------------------------------------
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def forward(moment, X, activation):
    """Every layer's output for inputs X: hidden `activation`, identity output (float64)."""
    outputs = [np.asarray(X, np.float64)]
    n = len(moment.weights)
    for i, W in enumerate(moment.weights):
        z = outputs[-1] @ np.asarray(W, np.float64)
        if moment.biases:
            z = z + np.asarray(moment.biases[i], np.float64)
        if i < n - 1:
            z = np.maximum(z, 0) if activation == "relu" else sigmoid(z)
        outputs.append(z)
    return outputs


def error_and_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(np.mean(logits.argmax(axis=1) != y)), float(-np.mean(log_p[np.arange(len(y)), y]))


def correlation(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


# --- the five built-in lessons --------------------------------------------------------------
def test_lesson_1_softmax_learns_a_template_per_digit(qtbot, window, shared_data):
    lesson = open_built_in(qtbot, window, 1)
    data = window.data
    assert data.dataset.path.resolve() == (shared_data / "mnist").resolve()
    assert len(data.y_train) == 8000 and len(data.y_eval) == 2000
    assert window.model_panel.model_config().kind == "softmax"
    assert window.model_panel.train_config() == lesson.training
    panel = widget(window, "lessonPanel")
    assert panel.isVisible() and widget(window, "lessonTitle").text() == lesson.title
    assert widget(window, "lessonSteps").count() == len(lesson.steps)
    moment = train(qtbot, window)   # the lesson's 3 epochs

    W = np.asarray(moment.weights[0], np.float64)       # 784 × 10: a template per class
    means = np.array([data.X_train[data.y_train == c].mean(axis=0) for c in range(10)], np.float64)
    centred = means - means.mean(axis=0)                 # what sets each digit apart from the others
    corr = np.array([[correlation(W[:, c], centred[d]) for d in range(10)] for c in range(10)])
    # every template looks like its own digit: positively correlated with that digit's mean image
    # (less the mean of all), and more than with any other digit's
    assert all(corr[c, c] > 0.3 for c in range(10)), np.round(np.diag(corr), 2)
    assert (corr.argmax(axis=1) == np.arange(10)).all(), corr.argmax(axis=1)
    assert all(correlation(W[:, c], means[c]) > 0 for c in range(10))
    # and the error levels off near 8 %, as the steps say
    error, _ = error_and_loss(forward(moment, data.X_eval, "relu")[-1], data.y_eval)
    assert 0.05 < error < 0.11


def test_lesson_2_a_learning_rate_too_high_leaves_the_network_guessing(qtbot, window):
    open_built_in(qtbot, window, 2)
    assert window.model_panel.train_config().learning_rate == 10.0
    assert not window.workspace_tabs.isTabVisible(TABS.index("Inside"))
    data = window.data
    moment = train(qtbot, window, epochs=1)
    outputs = forward(moment, data.X_eval, "relu")
    error, loss = error_and_loss(outputs[-1], data.y_eval)
    assert error > 0.8                                   # chance is 0.9
    assert loss == pytest.approx(np.log(10), abs=0.1)   # a uniform guess among ten classes
    assert np.mean(outputs[1].max(axis=0) <= 0) > 0.9   # "nearly every hidden unit is dead"
    # the lesson's step: lower the rate to 0.1, and the same network learns
    set_learning_rate(qtbot, window, "0.1")
    moment = train(qtbot, window, epochs=1)
    assert window.run_configs[1].learning_rate == 0.1
    error, _ = error_and_loss(forward(moment, data.X_eval, "relu")[-1], data.y_eval)
    assert error < 0.15


def test_lesson_3_overfitting_on_500_digits(qtbot, window):
    open_built_in(qtbot, window, 3)
    data = window.data
    assert len(data.y_train) == 500 and len(data.y_eval) == 2000 and data.train_of == 8000
    assert "training on the first 500 of 8,000 training examples" in window.data_panel.counts_label.text()
    moment = train(qtbot, window)   # the lesson's 60 epochs of 10 steps
    record = window.session.run
    train_error, _ = error_and_loss(forward(moment, data.X_train, "relu")[-1], data.y_train)
    eval_error, _ = error_and_loss(forward(moment, data.X_eval, "relu")[-1], data.y_eval)
    assert train_error == 0.0                         # every training digit learnt by heart
    assert eval_error - train_error > 0.1             # the held-out digits are not
    # the held-out loss fell, then rose again while training went on
    losses = [error_and_loss(forward(record.at(step), data.X_eval, "relu")[-1], data.y_eval)[1]
              for step in record.steps if step > 0]
    best = int(np.argmin(losses))
    assert best < len(losses) - 1 and losses[-1] > losses[best] + 0.01


def test_lesson_4_dying_relus(qtbot, window):
    lesson = open_built_in(qtbot, window, 4)
    assert window.model_panel.model_config() == lesson.model
    data = window.data
    moment = train(qtbot, window)   # the lesson's 3 epochs
    hidden = forward(moment, data.X_eval, "relu")[1]
    dead = float(np.mean(hidden.max(axis=0) <= 0))   # never active on any of the 2,000 held-out digits
    assert dead > 0.5
    open_workspace(qtbot, window, "Vital signs")
    view = window.vitals_view
    qtbot.waitUntil(lambda: view.health is not None, timeout=WAIT_MS)
    assert view.health[0]["dead"] > 0.5 and "dead" in widget(window, "unitHealth").text()
    # the lesson's step: at a rate of 0.1 hardly any unit dies
    set_learning_rate(qtbot, window, "0.1")
    moment = train(qtbot, window, epochs=1)
    hidden = forward(moment, data.X_eval, "relu")[1]
    assert np.mean(hidden.max(axis=0) <= 0) < 0.05


def test_lesson_5_vanishing_gradients_in_10_sigmoid_layers(qtbot, window):
    lesson = open_built_in(qtbot, window, 5)
    assert window.model_panel.model_config() == lesson.model
    data = window.data
    moment = train(qtbot, window, epochs=1)
    # backpropagation by hand on 100 training digits, at the trained weights
    X, y = data.X_train[:100], data.y_train[:100]
    outputs = forward(moment, X, "sigmoid")
    logits = outputs[-1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = (p - np.eye(10)[y]) / len(y)
    norms = []
    for i in reversed(range(len(moment.weights))):
        norms.append(np.linalg.norm(outputs[i].T @ delta))
        if i:
            a = outputs[i]
            delta = (delta @ np.asarray(moment.weights[i], np.float64).T) * a * (1 - a)
    norms = norms[::-1]
    assert len(norms) == 11 and norms[0] < 1e-2 * norms[-1], norms
    # what Vital signs plots agrees: the first layer's gradient norm per step, far below the last's
    open_workspace(qtbot, window, "Vital signs")
    view = window.vitals_view
    qtbot.waitUntil(lambda: len(view.layers) == 11, timeout=WAIT_MS)
    first = view.layers[0].gradient_curve.getOriginalDataset()[1]
    last = view.layers[-1].gradient_curve.getOriginalDataset()[1]
    assert len(first) == len(last) == 80
    assert np.all(first < 1e-2 * last)
    # the lesson's last step: ReLU at a rate of 0.05 gives every layer a gradient of similar size
    click(qtbot, window, "resetButton")
    combo = window.model_panel.activation_combo
    combo.setCurrentIndex(combo.findData("relu"))
    set_learning_rate(qtbot, window, "0.05")
    moment = train(qtbot, window, epochs=1)
    first = view.layers[0].gradient_curve.getOriginalDataset()[1]
    last = view.layers[-1].gradient_curve.getOriginalDataset()[1]
    assert window.run_configs[0].activation == "relu" and len(first) == len(last) == 80
    assert 0.1 < np.median(first) / np.median(last) < 10
    error, _ = error_and_loss(forward(moment, data.X_eval, "relu")[-1], data.y_eval)
    assert error < 0.85


# --- the lesson's view and panel ------------------------------------------------------------
def test_the_window_tabs_and_controls_are_the_ones_lessons_name(window):
    bar = window.workspace_tabs
    assert tuple(bar.tabText(i) for i in range(bar.count())) == TABS
    controls = {window.model_panel.control(name) for name in CONTROLS}
    assert len(controls) == len(CONTROLS)   # each name its own control


def test_a_lesson_hides_its_tabs_and_controls_and_close_brings_them_back(qtbot, window):
    lesson = open_built_in(qtbot, window, 3)
    bar, panel = window.workspace_tabs, window.model_panel
    assert [bar.tabText(i) for i in range(bar.count()) if not bar.isTabVisible(i)] == list(lesson.hide_tabs)
    for name in CONTROLS:
        assert panel.control(name).isVisible() == (name not in lesson.hide_controls), name
    # a row of several controls goes when all of them are hidden: the augmentation row
    assert not panel.augment_row.isVisible() and panel.training_form.labelForField(panel.augment_row).isHidden()
    assert panel.dropout_spin.isVisible()
    # the steps: Next ticks the step done and highlights the next
    steps = widget(window, "lessonSteps")
    assert not widget(window, "lessonBackButton").isEnabled()
    click(qtbot, window, "lessonNextButton")
    click(qtbot, window, "lessonNextButton")
    assert window.lesson_panel.current == 2 and window.lesson_panel.checked_steps()[:3] == [True, True, False]
    assert steps.item(2).font().bold() and not steps.item(1).font().bold()
    click(qtbot, window, "lessonBackButton")
    assert window.lesson_panel.checked_steps()[:2] == [True, False]

    click(qtbot, window, "lessonCloseButton")
    assert not window.lesson_panel.isVisible()
    assert all(bar.isTabVisible(i) for i in range(bar.count()))
    assert all(panel.control(name).isVisible() for name in CONTROLS)
    assert panel.augment_row.isVisible()
    assert len(window.data.y_train) == 8000 and window.data.train_of is None   # the whole training set back


def test_open_lesson_through_the_file_dialog(qtbot, window, monkeypatch):
    path = built_in_lessons()[0]
    asked = []
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": asked.append(kind) or str(path))
    with qtbot.waitSignal(window.lessons.applied, timeout=WAIT_MS):
        widget(window, "openLessonAction").trigger()
    assert asked == ["open_lesson"] and window.lessons.lesson.title == load_lesson(path).title


@pytest.mark.parametrize("content, expected", [
    ("title: not json", "Could not open the lesson bad.json: is not valid JSON"),
    ('{"title": "x", "colour": "red"}', 'Could not open the lesson bad.json: unknown key "colour"'),
    ('{"title": "x", "training": {"learning_rate": 0}}',
     'bad.json: "training": learning rate must be a positive number, got 0'),
])
def test_a_bad_lesson_file_is_one_message_and_the_window_goes_on(qtbot, window, tmp_path, monkeypatch,
                                                                 content, expected):
    open_built_in(qtbot, window, 1)
    before = window.model_panel.train_config()
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": str(bad))
    widget(window, "openLessonAction").trigger()
    banner = widget(window, "messageBanner")
    assert banner.isVisible() and expected in banner.text()
    # the lesson open before, its data and settings stay
    assert window.lessons.lesson.title == load_lesson(built_in_lessons()[0]).title
    assert window.model_panel.train_config() == before and window.data is not None


def test_a_lesson_whose_dataset_is_missing_offers_the_download(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_ENV, str(tmp_path / "nothing-here"))
    monkeypatch.setattr(datasets, "cache_root", lambda: tmp_path / "empty-cache")
    downloads = []
    monkeypatch.setattr(window.file_actions, "download", downloads.append)
    widget(window, "lesson1Action").trigger()
    banner = widget(window, "messageBanner")
    assert banner.isVisible()
    assert "trains on MNIST (handwritten digits), which was not found" in banner.text()
    assert f"$MNIST_TRAINER_DATA = {tmp_path / 'nothing-here'}" in banner.text()
    assert f"the download folder {tmp_path / 'empty-cache'}" in banner.text()
    # the lesson's settings and hidden controls show already; its data comes with the download
    assert window.model_panel.train_config() == load_lesson(built_in_lessons()[0]).training
    assert not window.model_panel.optimizer_combo.isVisible()
    button = widget(window, "lessonDownloadButton")
    assert button.isVisible() and button.text() == "Download MNIST…"
    click(qtbot, window, "lessonDownloadButton")
    assert downloads == ["mnist"]
    assert window.data is None and not window.loading


def test_a_lesson_on_a_dataset_the_app_does_not_know(qtbot, window, tmp_path, monkeypatch):
    lesson = tmp_path / "own.json"
    lesson.write_text(json.dumps({"title": "My digits", "dataset": "my-digits"}), encoding="utf-8")
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": str(lesson))
    widget(window, "openLessonAction").trigger()
    text = widget(window, "messageBanner").text()
    assert "trains on the dataset “my-digits”, which was not found" in text
    assert "Open a folder called my-digits with File ▸ Open data folder…" in text
    assert not widget(window, "lessonDownloadButton").isVisible() and window.lesson_panel.isVisible()


def test_no_lesson_opens_while_a_run_trains(qtbot, window, tmp_path, monkeypatch):
    open_built_in(qtbot, window, 3)
    window.controls.speed_slider.setValue(0)   # a second a step: it is still training when asked
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.state is RunState.RUNNING, timeout=WAIT_MS)
    assert not widget(window, "openLessonAction").isEnabled() and not window.menus.lessons_menu.isEnabled()
    assert window.lessons.open_lesson(built_in_lessons()[0]) is False
    assert widget(window, "messageBanner").text() == "Stop the run before opening a lesson."
    assert window.lessons.lesson.train_digits == 500 and window.state is RunState.RUNNING
    click(qtbot, window, "stopButton")


def test_save_as_lesson_writes_what_is_on_screen(qtbot, window, tmp_path, monkeypatch):
    lesson = open_built_in(qtbot, window, 3)
    window.model_panel.lr_spin.setValue(0.05)
    monkeypatch.setattr(window, "_ask_lesson_text", lambda title, notes: ("My overfitting", notes + " More."))
    monkeypatch.setattr(window, "_ask_path", lambda kind, start="": str(tmp_path / "mine"))
    widget(window, "saveLessonAction").trigger()
    saved = load_lesson(tmp_path / "mine.json")
    assert saved.title == "My overfitting" and saved.notes == lesson.notes + " More."
    assert saved.dataset == "mnist" and saved.train_digits == 500
    assert saved.model == lesson.model
    assert saved.training.learning_rate == 0.05 and saved.training.epochs == lesson.training.epochs
    assert saved.hide_tabs == lesson.hide_tabs and set(saved.hide_controls) == set(lesson.hide_controls)
    assert saved.steps == lesson.steps
    assert json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))["train_digits"] == 500
