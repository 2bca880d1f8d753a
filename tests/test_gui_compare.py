"""The Compare tab: a run replaced by Reset and a new Start is kept, named by the setting that
differs, its figures equal a headless engine run's, its curves can be hidden and it can be pinned,
the table exports as CSV, and the weights shown are each run's at the chosen epoch."""
import csv
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import open_workspace, widget  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QStyle  # noqa: E402

from engine import build_trainer, evaluate  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402

WAIT_MS = 30_000


def train(qtbot, window):
    qtbot.mouseClick(widget(window, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is RunState.COMPLETED, timeout=WAIT_MS)


def test_two_runs_side_by_side(qtbot, small_window, tmp_path):
    window = small_window(kind="two-layer", hidden="16", epochs=2)
    train(qtbot, window)
    first = window.session.run
    qtbot.mouseClick(widget(window, "resetButton"), Qt.MouseButton.LeftButton)
    lr = widget(window, "lrSpin")
    lr.selectAll()
    qtbot.keyClicks(lr, "0.5")
    train(qtbot, window)
    second = window.session.run
    assert window.session.kept == [first] and window.session.compared == [first, second]

    open_workspace(qtbot, window, "Compare")
    view = window.compare_view
    assert view.names == ["lr 0.2", "lr 0.5"]
    table = widget(window, "compareTable")
    rows = {table.item(r, 2).text(): r for r in range(table.rowCount())}
    assert set(rows) == {"● lr 0.2", "● lr 0.5"}
    data = window.data
    for record, name in ((first, "● lr 0.2"), (second, "● lr 0.5")):
        trainer = build_trainer(record.model_config, record.train_config, data.X_train, data.y_train)
        for _ in range(2):
            trainer.run_epoch()
        accuracy = 1 - evaluate(trainer.model, "softmax_ce", data.X_eval, data.y_eval).error
        assert table.item(rows[name], 7).text() == f"{accuracy:.2%}"
        assert table.item(rows[name], 6).text() == "2"

    # a run's curves hidden by its tick box, as a person unticks it
    show = table.item(rows["● lr 0.5"], 0)
    rect = table.visualItemRect(show)
    indicator = QPoint(rect.left() + table.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) // 2 + 4,
                       rect.center().y())                      # the tick box at the cell's left
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=indicator)
    assert id(second) in view.hidden and not any(c.isVisible() for c in view.curves[id(second)])
    assert all(c.isVisible() for c in view.curves[id(first)])
    assert id(second) not in view.weight_step                   # nor its weights

    # pin the kept run
    pin = table.item(rows["● lr 0.2"], 1)
    pin.setCheckState(Qt.CheckState.Checked)
    assert id(first) in window.session.pinned

    # the weights at epoch 1 are each run's moment at the end of its first epoch
    widget(window, "compareEpochSlider").setValue(1)
    step = view.weight_step[id(first)]
    assert window.session.kept[0].at(step).epoch == 1 and window.session.kept[0].at(step).batch == 0

    # the table as CSV
    path = tmp_path / "runs.csv"
    assert window.file_actions.export_comparison(path)
    with open(path, newline="") as f:
        written = list(csv.DictReader(f))
    assert [row["run"] for row in written] == ["lr 0.2", "lr 0.5"]
    assert float(written[1]["learning_rate"]) == 0.5
    assert float(written[0]["accuracy"]) == pytest.approx(1 - first.curves.eval_error.values[-1])
    assert np.isfinite(float(written[0]["time_s"]))


def test_the_loss_along_the_line_from_a_runs_start_to_its_end(qtbot, small_window):
    from engine.projection import fixed_subsample
    from trainer_gui.state.record import model_of

    window = small_window(kind="two-layer", hidden="16", epochs=2)
    train(qtbot, window)
    open_workspace(qtbot, window, "Compare")
    line = window.compare_view.line
    assert widget(window, "lineFrom").currentText() == "start of run 1 (W₀)"
    assert widget(window, "lineTo").currentText() == "run 1, now"
    qtbot.waitUntil(lambda: line.curve is not None and not line.busy, timeout=WAIT_MS)
    alphas, losses = line.curve
    record, data = window.session.run, window.data
    rows = fixed_subsample(len(data.y_eval))
    for alpha, step in ((0.0, 0), (1.0, None)):
        expected = evaluate(model_of(record.model_config, record.at(step)), "softmax_ce", data.X_eval[rows],
                            data.y_eval[rows]).loss
        assert losses[alphas == alpha][0] == pytest.approx(expected, rel=1e-4)
    assert "lowest loss" in widget(window, "lineStatus").text()
