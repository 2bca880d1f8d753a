"""The Compare workspace: the runs kept for comparison and the one on screen, side by side: their
curves overlaid, a table of their settings and figures, and their first-layer weights at one epoch."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QThread, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QScrollArea, QSlider, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from engine.landscape import loss_along_line
from engine.projection import fixed_subsample

from ..state.compare import run_figures, run_names
from ..training.cached_jobs import CachedJobs
from ..tiles import grid_columns, symmetric_limit, unit_images
from ..i18n import QT_TRANSLATE_NOOP, translate
from .. import views
from ..views import WEIGHT_COLORMAP, PlainLogAxis, style_plot
from ..views.tiled_image import TiledImage
from . import DrawnWhenShown
from .evaluate_probes import CLASS_COLOURS

REFRESH_MS = 500          # a training run's curves reach the tab at most this often
TILES_PER_RUN = 16        # first-layer units shown per run
COLUMNS = ("show", "pin", "run", "model", "lr", "batch", "epochs", "accuracy", "best", "loss",
           "time", "samples/s")
# the table's headers (COLUMNS, which name the columns in the code, translated)
HEADERS = (QT_TRANSLATE_NOOP("Compare", "show"), QT_TRANSLATE_NOOP("Compare", "pin"), QT_TRANSLATE_NOOP("Compare", "run"),
           QT_TRANSLATE_NOOP("Compare", "model"), QT_TRANSLATE_NOOP("Compare", "lr"),
           QT_TRANSLATE_NOOP("Compare", "batch"), QT_TRANSLATE_NOOP("Compare", "epochs"),
           QT_TRANSLATE_NOOP("Compare", "accuracy"), QT_TRANSLATE_NOOP("Compare", "best"),
           QT_TRANSLATE_NOOP("Compare", "loss"), QT_TRANSLATE_NOOP("Compare", "time"),
           QT_TRANSLATE_NOOP("Compare", "samples/s"))


class _Number(QTableWidgetItem):
    """A cell that sorts by its number, not its text."""

    def __init__(self, value: float, text: str):
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignCenter)

    def __lt__(self, other) -> bool:
        mine, theirs = self.value, getattr(other, "value", 0.0)
        mine = -math.inf if mine != mine else mine
        theirs = -math.inf if theirs != theirs else theirs
        return mine < theirs


def _figure(value: float, form: str) -> str:
    return "–" if value != value else format(value, form)


class CompareWorkspace(DrawnWhenShown, QWidget):
    """Every run kept (Session.kept) and the one on screen. A run replaced by a new one, or by
    Reset, is kept (up to 8; pin one to keep it); each is named by the settings that tell it apart.

    For tests: `records` and `names` in table order before sorting (the colour order), `hidden`
    (ids of runs unticked), `weight_step` (record id -> the step whose weights are shown).
    """
    export_requested = Signal()
    race_requested = Signal()

    def __init__(self, session, twin_panel=None, parent=None):
        super().__init__(parent)
        self.setObjectName("compareWorkspace")
        self.session = session
        self.records, self.names, self.hidden, self.weight_step = [], [], set(), {}
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self.refresh)
        self.summary = QLabel(wordWrap=True, objectName="compareSummary")
        self.table = QTableWidget(0, len(COLUMNS), objectName="compareTable")
        self.table.setHorizontalHeaderLabels([translate("Compare", header) for header in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(180)
        self.table.itemChanged.connect(self._on_item_changed)
        self.export_button = QPushButton(translate("Compare", "Export CSV…"), objectName="compareExportButton")
        self.export_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.export_button.clicked.connect(self.export_requested)
        self.race_button = QPushButton(translate("RunCommands", "Race optimisers"), objectName="raceButton",
                                       toolTip=translate("Compare", "Train the model of the settings with SGD, "
                                                                    "momentum, RMSProp and Adam at once, from the "
                                                                    "same start on the same batches"))
        self.race_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.race_button.clicked.connect(self.race_requested)
        self.loss_plot = pg.PlotWidget(axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        self.error_plot = pg.PlotWidget(axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        self.loss_plot.setObjectName("compareLossPlot")
        self.error_plot.setObjectName("compareErrorPlot")
        style_plot(self.loss_plot.getPlotItem(), translate("Compare", "Loss (solid: held-out, dashed: training)"),
                   translate("Views", "epoch"), translate("Views", "loss"))
        style_plot(self.error_plot.getPlotItem(), translate("Compare", "Held-out error"), translate("Views", "epoch"),
                   translate("Compare", "error"))
        for plot in (self.loss_plot, self.error_plot):
            plot.setMinimumHeight(260)
            plot.getPlotItem().setLogMode(y=True)
        self.curves = {}        # id(record) -> [items on the plots]
        self.epoch_slider = QSlider(Qt.Orientation.Horizontal, objectName="compareEpochSlider", minimum=0, maximum=0)
        self.epoch_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.epoch_slider.valueChanged.connect(self._draw_weights)
        self.epoch_label = QLabel(objectName="compareEpochLabel")
        self.weights_row = QHBoxLayout()
        self.weights_row.addStretch(1)
        strip = QWidget()
        strip.setLayout(self.weights_row)
        self.weights_scroll = QScrollArea(widgetResizable=True)
        self.weights_scroll.setWidget(strip)
        self.weights_scroll.setMinimumHeight(300)   # a tile grid under a two-line name
        self._tiles: list[tuple[QLabel, TiledImage]] = []
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        self.twin_panel = twin_panel
        if twin_panel is not None:   # B's settings, shown when asked for: they take room
            self.twin_button = QPushButton(translate("Compare", "Twin run…"), objectName="twinButton", checkable=True,
                                           toolTip=translate("Compare", "Set up B, trained beside A (the settings "
                                                                        "column) on the same batches"))
            self.twin_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.twin_button.toggled.connect(twin_panel.setVisible)
            twin_panel.hide()
            top.addWidget(self.twin_button)
        top.addWidget(self.race_button)
        top.addWidget(self.export_button)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot, 1)
        plots.addWidget(self.error_plot, 1)
        epoch_row = QHBoxLayout()
        epoch_row.addWidget(QLabel(translate("Compare", "First-layer weights at epoch")))
        epoch_row.addWidget(self.epoch_slider, 1)
        epoch_row.addWidget(self.epoch_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if twin_panel is not None:
            layout.addWidget(twin_panel)
        layout.addWidget(self.table)
        layout.addLayout(plots)
        layout.addLayout(epoch_row)
        layout.addWidget(self.weights_scroll)
        self.line = LinePanel(session)
        layout.addWidget(self.line)
        session.runs_changed.connect(self.refresh)
        session.cursor.changed.connect(self._on_cursor_changed)

    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self.follow_run(self.session.cursor.run, "curves_changed", self.soon)
            self.refresh()

    def soon(self) -> None:
        """Redraw within REFRESH_MS (a growing run's news, gathered). A record's event that reaches
        this from another thread is handed to the tab's own thread first (a timer starts only in
        its thread: CI once logged "Timers cannot be started from another thread" here)."""
        if QThread.currentThread() != self.thread():
            QTimer.singleShot(0, self, self.soon)   # posted to the tab's thread: safe from any thread
            return
        if not self._timer.isActive():
            self._timer.start()

    def colour(self, i: int):
        return pg.mkColor(CLASS_COLOURS[i % len(CLASS_COLOURS)])

    # --- drawing ---------------------------------------------------------------------------------
    def draw(self) -> None:
        self.records = list(self.session.compared)
        self.names = run_names(self.records) if self.records else []
        twin = self.session.twin
        if twin is not None:   # the twin run's two halves, as the twin panel calls them
            for record, letter in ((self.session.run, "A"), (twin, "B")):
                if record in self.records:
                    i = self.records.index(record)
                    self.names[i] = f"{letter}: {self.names[i]}"
        known = {id(r) for r in self.records}
        self.hidden &= known
        kept = len(self.session.kept)
        more = translate("Compare", "Runs side by side: press Reset (or change a setting and Start) and the run on "
                                    "screen is kept here, up to 8 (pin one to keep it). {kept} kept, and the run on "
                                    "screen.") if len(self.records) > kept else \
            translate("Compare", "Runs side by side: press Reset (or change a setting and Start) and the run on screen "
                                 "is kept here, up to 8 (pin one to keep it). {kept} kept.")
        self.summary.setText(more.format(kept=kept) if self.records else
                             translate("Compare", "No runs yet: train one, then change a setting and train another."))
        self._draw_table()
        self._draw_curves()
        epochs = max((record.at().epoch for record in self.records if len(record)), default=0)
        following = self.following_newest   # at the newest: stays there
        self.epoch_slider.setMaximum(epochs)
        if following:
            self.epoch_slider.setValue(epochs)
        self._draw_weights()
        self.line.show_runs(self.records, self.names)

    def _draw_table(self) -> None:
        table = self.table
        table.blockSignals(True)
        table.setSortingEnabled(False)
        table.setRowCount(len(self.records))
        for row, (record, name) in enumerate(zip(self.records, self.names)):
            figures = run_figures(record)
            model, training = record.model_config, record.train_config
            show = QTableWidgetItem()
            show.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            show.setCheckState(Qt.CheckState.Unchecked if id(record) in self.hidden else Qt.CheckState.Checked)
            show.setData(Qt.ItemDataRole.UserRole, row)
            pin = QTableWidgetItem()
            pin.setData(Qt.ItemDataRole.UserRole, row)
            if record in self.session.kept:
                pin.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                pin.setCheckState(Qt.CheckState.Checked if id(record) in self.session.pinned else Qt.CheckState.Unchecked)
            else:
                pin.setFlags(Qt.ItemFlag.ItemIsEnabled)
                pin.setText(translate("Compare", "twin B") if record is self.session.twin
                            else translate("Compare", "on screen"))
            label = QTableWidgetItem(("● " + name))
            label.setForeground(self.colour(row))
            label.setToolTip(name)
            hidden_sizes = "-".join(str(h) for h in model.in_effect()["hidden"])
            cells = [show, pin, label, QTableWidgetItem(model.kind + (f" {hidden_sizes}" if hidden_sizes else "")),
                     _Number(training.learning_rate, f"{training.learning_rate:g}"),
                     _Number(training.batch_size, str(training.batch_size)),
                     _Number(figures["epochs"], str(figures["epochs"])),
                     _Number(figures["accuracy"], _figure(figures["accuracy"], ".2%")),
                     _Number(figures["best_accuracy"], _figure(figures["best_accuracy"], ".2%")),
                     _Number(figures["loss"], _figure(figures["loss"], ".4g")),
                     _Number(figures["time"], _figure(figures["time"], ".1f") + " s"),
                     _Number(figures["samples_per_second"], _figure(figures["samples_per_second"], ",.0f"))]
            for column, item in enumerate(cells):
                table.setItem(row, column, item)
        table.setSortingEnabled(True)
        table.blockSignals(False)

    def _on_item_changed(self, item) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        if row is None or not 0 <= row < len(self.records):
            return
        record = self.records[row]
        checked = item.checkState() == Qt.CheckState.Checked
        if item.column() == 0:
            (self.hidden.discard if checked else self.hidden.add)(id(record))
            for curve in self.curves.get(id(record), []):
                curve.setVisible(checked)
            self._draw_weights()
        elif item.column() == 1 and record in self.session.kept:
            self.session.pin(record, checked)

    def _draw_curves(self) -> None:
        for plot in (self.loss_plot, self.error_plot):
            plot.getPlotItem().clear()
        self.curves = {}
        for i, record in enumerate(self.records):
            curves, colour = record.curves, self.colour(i)
            scale = views.FONT_SCALE   # drawn afresh each time: at presentation mode's scale if it is on
            pen = pg.mkPen(colour, width=2 * scale)
            items = [self.loss_plot.plot(curves.eval_x.values, curves.eval_loss.values, pen=pen,
                                         symbol="o", symbolSize=5 * scale, symbolBrush=colour, symbolPen=None),
                     self.loss_plot.plot(curves.epoch_x.values, curves.train_loss.values,
                                         pen=pg.mkPen(colour, width=scale, style=Qt.PenStyle.DashLine)),
                     self.error_plot.plot(curves.eval_x.values, np.maximum(curves.eval_error.values, 1e-4), pen=pen,
                                          symbol="o", symbolSize=5 * scale, symbolBrush=colour, symbolPen=None)]
            for item in items:
                item.setVisible(id(record) not in self.hidden)
            self.curves[id(record)] = items

    @property
    def following_newest(self) -> bool:
        """The epoch slider is at its end: each run's newest weights are shown (a run stepped batch
        by batch shows every step, not its last epoch's end)."""
        return self.epoch_slider.value() == self.epoch_slider.maximum()

    def _draw_weights(self) -> None:
        epoch = self.epoch_slider.value()
        newest = self.following_newest
        self.epoch_label.setText(translate("Compare", "now") if newest else str(epoch))
        shown = [(i, r) for i, r in enumerate(self.records) if id(r) not in self.hidden and len(r)]
        while len(self._tiles) < len(shown):
            title, tiles = QLabel(wordWrap=True), TiledImage()
            tiles.image.setColorMap(pg.colormap.get(WEIGHT_COLORMAP))
            tiles.setFixedSize(210, 210)
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(tiles)
            self.weights_row.insertLayout(self.weights_row.count() - 1, column)
            self._tiles.append((title, tiles))
        self.weight_step = {}
        data = self.session.data
        for slot, (title, tiles) in enumerate(self._tiles):
            if slot >= len(shown):
                title.hide()
                tiles.hide()
                continue
            i, record = shown[slot]
            moment = record.at(None if newest else self._step_at_epoch(record, epoch))
            self.weight_step[id(record)] = moment.step
            weights = np.asarray(moment.weights[0])
            shape = tuple(data.image_shape) if data is not None and np.prod(data.image_shape) == len(weights) else None
            title.setText(f"<span style='color:{self.colour(i).name()}'>●</span> {self.names[i]} "
                          + translate("Compare", "(epoch {epoch})").format(epoch=f"{moment.position:.2f}"))
            title.show()
            tiles.show()
            if shape is None:
                tiles.clear_tiles()
                continue
            images = unit_images(weights, shape, 0, TILES_PER_RUN)
            limit = symmetric_limit(images)
            tiles.show_tiles(images, grid_columns(len(images)), (-limit, limit))

    @staticmethod
    def _step_at_epoch(record, epoch: int) -> int:
        """The step of the record's first moment at or past `epoch` on the epoch axis (an epoch's
        end is always recorded), or its last moment if the run ended sooner."""
        steps = record.steps
        return next((s for s in steps if record.position_of(s) >= epoch - 1e-9), steps[-1])


class LinePanel(QGroupBox):
    """The held-out loss along the straight line θ(α) = (1 − α) θ_A + α θ_B between two points of
    the compared runs (a run's start W₀ or its weights now), α from −0.5 to 1.5, on 2,000 held-out
    digits, computed off the GUI thread. From a run's start to its end shows whether training went
    down one valley; between two runs of one architecture, whether a ridge parts their solutions.

    `curve` is (alphas, losses) on screen, None before.
    """

    def __init__(self, session, parent=None):
        super().__init__(translate("Compare", "Loss along a straight line between two sets of weights"), parent)
        self.session = session
        self.curve, self._ends, self._labels = None, [], ("", "")
        self.from_combo, self.to_combo = QComboBox(objectName="lineFrom"), QComboBox(objectName="lineTo")
        for combo in (self.from_combo, self.to_combo):
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            combo.currentIndexChanged.connect(self._request)
        self.status = QLabel(wordWrap=True, objectName="lineStatus")
        self.plot = pg.PlotWidget(axisItems={"left": PlainLogAxis("left")}, enableMenu=False)
        self.plot.setObjectName("lineView")
        style_plot(self.plot.getPlotItem(), "", translate("Compare", "α (0: the first, 1: the second)"),
                   translate("Compare", "held-out loss"))
        self.plot.getPlotItem().setLogMode(y=True)   # from the random start's 50 down to 0.2
        self.plot.setMinimumHeight(240)
        self.line_curve = self.plot.plot(pen=pg.mkPen("#1f5fa8", width=2))
        self.ends_marks = self.plot.plot(pen=None, symbol="o", symbolSize=10, symbolBrush="#e07b00", symbolPen=None)
        self._jobs = CachedJobs(self, "loss along a line", self._on_computed)
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("Compare", "From")))
        row.addWidget(self.from_combo, 1)
        row.addWidget(QLabel(translate("Compare", "to")))
        row.addWidget(self.to_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)

    @property
    def busy(self) -> bool:
        return self._jobs.busy

    def show_runs(self, records, names) -> None:
        """Offer each run's start and its weights now as the ends of the line."""
        ends = []
        for record, name in zip(records, names):
            if len(record):
                ends += [(record, "start", translate("Compare", "start of {run} (W₀)").format(run=name)),
                         (record, "end", translate("Compare", "{run}, now").format(run=name))]
        labels = [label for _, _, label in ends]
        if labels != [self.from_combo.itemText(i) for i in range(self.from_combo.count())]:
            chosen = (self.from_combo.currentText(), self.to_combo.currentText())
            self._ends = ends
            for combo, default in ((self.from_combo, len(ends) - 2), (self.to_combo, len(ends) - 1)):
                combo.blockSignals(True)
                combo.clear()
                combo.addItems(labels)
            for combo, text, default in ((self.from_combo, chosen[0], len(ends) - 2),
                                         (self.to_combo, chosen[1], len(ends) - 1)):
                index = combo.findText(text)
                combo.setCurrentIndex(index if index >= 0 else max(default, 0))
                combo.blockSignals(False)
        self._ends = ends
        self._request()

    def _end(self, combo):
        index = combo.currentIndex()
        if not 0 <= index < len(self._ends):
            return None
        record, which, label = self._ends[index]
        moment = record.at(0 if which == "start" else None)
        return record, moment, label

    def _request(self) -> None:
        a, b, data = self._end(self.from_combo), self._end(self.to_combo), self.session.data
        if a is None or b is None or data is None:
            self.curve = None
            self.line_curve.setData([], [])
            self.ends_marks.setData([], [])
            self.status.setText(translate("Compare", "Train a run to see the loss along a line.") if data is not None
                                else "")
            return
        (record_a, moment_a, label_a), (record_b, moment_b, label_b) = a, b
        params_a = list(moment_a.weights) + list(moment_a.biases)
        params_b = list(moment_b.weights) + list(moment_b.biases)
        if [p.shape for p in params_a] != [p.shape for p in params_b]:
            self.curve = None
            self.line_curve.setData([], [])
            self.ends_marks.setData([], [])
            self.status.setText(translate("Compare", "{a} and {b} are networks of different shapes: no straight line "
                                                     "joins them. Choose two of one architecture.")
                                .format(a=label_a, b=label_b))
            return
        key = (id(record_a), moment_a.step, id(record_b), moment_b.step)
        cached = self._jobs.get(record_b, key)
        if cached is not None:
            self._draw(cached, label_a, label_b)
            return
        config = record_b.model_config
        options = config.layout(1, 1)[1]
        rows = fixed_subsample(len(data.y_eval))
        X, y = data.X_eval, data.y_eval
        self.status.setText(translate("Compare", "Evaluating 41 points between {a} and {b}…").format(a=label_a, b=label_b))

        def compute(stop):
            return loss_along_line(params_a, params_b, len(moment_a.weights), options.get("hidden", "relu"),
                                   options.get("output", "identity"), config.loss_name(), X[rows], y[rows],
                                   cancelled=stop.is_set)

        self._labels = (label_a, label_b)
        self._jobs.request(record_b, key, compute)

    def _on_computed(self, record, key, result) -> None:
        if result is not None:
            self._draw(result, *self._labels)

    def _draw(self, result, label_a, label_b) -> None:
        alphas, losses, _ = result
        finite = np.isfinite(losses)
        self.curve = (alphas, losses)
        self.line_curve.setData(alphas[finite], losses[finite])
        ends = [i for i, alpha in enumerate(alphas) if alpha in (0.0, 1.0) and finite[i]]
        self.ends_marks.setData(alphas[ends], losses[ends])
        low = int(np.nanargmin(losses)) if finite.any() else 0
        self.status.setText(translate("Compare", "From {a} (α = 0) to {b} (α = 1), on 2,000 held-out digits: the "
                                                 "lowest loss, {loss}, is at α = {alpha}.")
                            .format(a=label_a, b=label_b, loss=f"{losses[low]:.3g}", alpha=f"{alphas[low]:g}"))
