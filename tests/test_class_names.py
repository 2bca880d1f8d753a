"""Class names (issue 9, bug 14): Fashion-MNIST and KMNIST are shown by their classes' names, not
their numbers: recognised by the folder's name or by Fashion-MNIST's own labels, then named in the
data panel, the weights, the mistakes and the confusion matrix."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import class_images, load_and_wait  # noqa: E402

from engine import load_folder, read_idx  # noqa: E402
from engine.classes import CLASS_NAMES, class_names, recognise  # noqa: E402
from engine.datasets import KNOWN  # noqa: E402

FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
KMNIST = ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")
DIGITS = tuple("0123456789")
WAIT_MS = 30_000


def small_folder(make_idx_folder, name, n_train=300, n_test=100, k=10):
    """A folder of 300 train and 100 test images, k balanced classes; the images belong to other
    labels than their own, so an evaluation always finds mistakes to show."""
    y = np.arange(n_train + n_test) % k
    X = class_images(np.random.default_rng(1).permutation(y))
    return make_idx_folder(name, train=(X[:n_train], y[:n_train]), t10k=(X[n_train:], y[n_train:]))


# --- the engine -----------------------------------------------------------------------------------

def test_every_known_dataset_has_its_ten_names():
    assert set(CLASS_NAMES) == set(KNOWN)
    assert CLASS_NAMES["fashion-mnist"] == FASHION
    assert CLASS_NAMES["kmnist"] == KMNIST
    assert CLASS_NAMES["mnist"] == DIGITS


@pytest.mark.parametrize("folder, names", [
    ("fashion-mnist", FASHION), ("Fashion_MNIST", FASHION), ("FashionMNIST", FASHION),
    ("kmnist", KMNIST), ("KMNIST", KMNIST), ("mnist", DIGITS), ("my-scans", DIGITS)])
def test_a_folder_is_recognised_by_its_name(make_idx_folder, folder, names):
    dataset = load_folder(small_folder(make_idx_folder, folder))
    assert dataset.class_names == names


def test_a_folder_named_after_a_dataset_but_holding_more_classes_is_numbered(make_idx_folder):
    dataset = load_folder(small_folder(make_idx_folder, "fashion-mnist", k=12))
    assert dataset.class_names == tuple(str(c) for c in range(12))


def test_names_follow_the_classes_the_labels_have():
    assert class_names("fashion-mnist", 3) == FASHION[:3]
    assert class_names(None, 3) == ("0", "1", "2")


def test_fashion_mnist_is_recognised_by_its_labels_under_any_folder_name(shared_data, make_idx_folder):
    """The labels' SHA-256, not the name: a copy in a folder called 'data' (tiny images, real labels)."""
    for split in ("train", "t10k"):
        labels = read_idx(shared_data / "fashion-mnist" / f"{split}-labels-idx1-ubyte.gz")
        assert recognise("data", [labels]) == "fashion-mnist"
        folder = make_idx_folder(f"data-{split}", **{split: (np.zeros((len(labels), 2, 2)), labels)})
        assert load_folder(folder).class_names == FASHION
    # the real MNIST test labels are nobody's fingerprint
    mnist_labels = read_idx(shared_data / "mnist" / "t10k-labels-idx1-ubyte.gz")
    assert recognise("data", [mnist_labels]) is None


def test_the_real_folders_are_named(shared_data):
    assert load_folder(shared_data / "fashion-mnist").class_names == FASHION
    assert load_folder(shared_data / "mnist").class_names == DIGITS


# --- the window -----------------------------------------------------------------------------------

pytest.importorskip("pytestqt")
from PySide6.QtCore import QEvent, QObject, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QFontMetricsF, QHelpEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QToolTip  # noqa: E402

from trainer_gui.app import WINDOW_SIZE  # noqa: E402
from trainer_gui.main_window import MainWindow  # noqa: E402


@pytest.fixture
def window(qtbot):
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(*WINDOW_SIZE)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def step_once(qtbot, window, kind="softmax"):
    """Choose a model and press Step: one batch, then the paused run's evaluation on screen."""
    combo = window.findChild(QObject, "modelCombo")
    combo.setCurrentIndex(combo.findData(kind))
    with qtbot.waitSignal(window.run_paused, timeout=WAIT_MS):
        qtbot.mouseClick(window.findChild(QObject, "stepButton"), Qt.MouseButton.LeftButton)
    window.redraw_now()


def tooltip_at(graphics_view, scene_point) -> str:
    """The tooltip a person resting the mouse on this point of a pyqtgraph view would read."""
    where = graphics_view.mapFromScene(scene_point)
    QApplication.sendEvent(graphics_view.viewport(), QHelpEvent(QEvent.Type.ToolTip, where,
                                                                graphics_view.viewport().mapToGlobal(where)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def hover(qtbot, graphics_view, scene_point) -> str:
    """Move the mouse onto a point of a view that writes its own tooltips as the mouse moves."""
    qtbot.mouseMove(graphics_view.viewport(), graphics_view.mapFromScene(scene_point))
    return QToolTip.text() if QToolTip.isVisible() else ""


def visible_texts(window) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def test_fashion_mnist_classes_are_named_everywhere_a_class_is_shown(window, qtbot, make_idx_folder):
    assert load_and_wait(qtbot, window, small_folder(make_idx_folder, "fashion-mnist"))

    # the data panel: the names listed, the histogram's classes and the sample images named
    panel = window.data_panel
    classes = window.findChild(QObject, "classNames")
    assert classes.isVisible() and "Trouser" in classes.text() and "Ankle\N{NO-BREAK SPACE}boot" in classes.text()
    assert panel.histogram.class_tooltip(1) == "class 1 (Trouser): 30 train, 10 test"
    assert panel.samples.tips == list(FASHION)
    # the mouse on the second 6×6 image (1 pixel apart), once the view has laid the images out
    samples = panel.samples
    qtbot.waitUntil(lambda: hover(qtbot, samples, samples.view_box.mapViewToScene(QPointF(10, 3))) == "Trouser")

    step_once(qtbot, window)
    # the confusion matrix: every class named on both axes, names on end below it, in the tooltip
    confusion = window.confusion_view
    for axis in ("left", "bottom"):
        assert confusion.ticks(axis) == list(enumerate(FASHION))
    assert confusion.plot.getAxis("bottom").upright
    assert confusion.cell_tooltip(9, 1).startswith("true Ankle boot → predicted Trouser: ")

    # the mistakes: "true →" over "predicted figure", each name a class's name, each line in its cell
    mistakes = window.mistakes_view
    captions = [cell.caption.item.toPlainText() for cell in mistakes.cells if cell.image.image is not None]
    assert captions
    for cell in mistakes.cells[:len(captions)]:
        true_line, predicted_line = cell.caption.item.toPlainText().split("\n")
        assert true_line.removesuffix(" →") in FASHION
        assert predicted_line.rsplit(" ", 1)[0] in FASHION
        metrics = QFontMetricsF(cell.caption.item.font())
        widest = max(metrics.horizontalAdvance(line) for line in (true_line, predicted_line))
        assert widest <= cell.layout.geometry().width()
    first = mistakes.cells[0]
    assert tooltip_at(mistakes.grid, first.layout.sceneBoundingRect().center()) == first.layout.toolTip()
    true_name = first.caption.item.toPlainText().split(" →")[0]
    assert first.layout.toolTip().startswith(f"true {true_name} → predicted ")

    # the weights of softmax regression: one tile per class, named (shortened where a tile is narrow)
    weights = window.weights_view
    assert weights.title.text() == "Classes: change since start"
    assert weights.tiles.captions == list(FASHION)
    assert weights.tiles.tips == [f"class {c}: {name}" for c, name in enumerate(FASHION)]
    for shown, name in zip(weights.tiles.shown_captions(), FASHION):
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]))

    assert not any("digit" in text.lower() for text in visible_texts(window))


def test_digits_keep_their_numbers_and_no_list_of_names(window, qtbot, make_idx_folder):
    assert load_and_wait(qtbot, window, small_folder(make_idx_folder, "mnist"))
    assert not window.findChild(QObject, "classNames").isVisible()
    step_once(qtbot, window)
    assert window.confusion_view.ticks("bottom") == list(enumerate(DIGITS))
    assert not window.confusion_view.plot.getAxis("bottom").upright
    assert window.weights_view.tiles.captions == list(DIGITS)


def test_kmnist_romaji_fit_beside_each_other(window, qtbot, make_idx_folder):
    assert load_and_wait(qtbot, window, small_folder(make_idx_folder, "kmnist"))
    # short enough to stand under the bars
    qtbot.waitUntil(lambda: window.data_panel.histogram.tick_labels() == list(KMNIST))
    step_once(qtbot, window)
    assert window.confusion_view.ticks("left") == list(enumerate(KMNIST))
    caption = window.mistakes_view.cells[0].caption.item.toPlainText()
    true, rest = caption.split("→")
    assert "\n" not in caption and true in KMNIST and rest.split(" ")[0] in KMNIST


def test_the_real_fashion_mnist_in_the_window(window, qtbot, shared_data):
    """The shared Fashion-MNIST (60,000 + 10,000 images): one Step, then names wherever classes are."""
    assert load_and_wait(qtbot, window, shared_data / "fashion-mnist")
    assert "Ankle\N{NO-BREAK SPACE}boot" in window.findChild(QObject, "classNames").text()
    step_once(qtbot, window)
    assert window.confusion_view.ticks("left") == list(enumerate(FASHION))
    shown = [cell for cell in window.mistakes_view.cells if cell.image.image is not None]
    assert shown
    for cell in shown:
        true_line, predicted_line = cell.caption.item.toPlainText().split("\n")
        assert true_line.removesuffix(" →") in FASHION and predicted_line.endswith("%")
        metrics = QFontMetricsF(cell.caption.item.font())
        assert metrics.horizontalAdvance(predicted_line) <= cell.layout.geometry().width()
