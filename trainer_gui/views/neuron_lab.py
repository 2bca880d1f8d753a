"""The neuron lab: edit a copy of the moment's model (switch the selected unit off, scale its
incoming weights, shift its bias, prune a layer) and see what it does to the held-out accuracy and
to the answer for the digit on the pad. The model of the run is never touched: the edits act on
copies (trainer_gui/state/lab.py says exactly what each edit does)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from engine import MLP, evaluate

from . import class_labels
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..state.answer import answer
from ..state.lab import LabEdits, answer_text, what_if_text
from ..training.background import BackgroundJob

DEBOUNCE_MS = 150       # the spin boxes settle this long before the edited model is evaluated
SCALE_RANGE = (0.0, 3.0)
BIAS_RANGE = (-10.0, 10.0)
# translated when shown
NO_UNIT_HINT = QT_TRANSLATE_NOOP("Views", "Select a unit (click one in the network view) to switch it off, scale or "
                                          "shift it.")
NO_BIAS_TIP = QT_TRANSLATE_NOOP("Views", "This model has no biases: there is no bias to shift.")


class NeuronLab(QWidget):
    """A panel of the Inside workspace (show_context, show_nothing).

    The unit edited is the cursor's (layer, unit); pruning acts on the cursor's layer, else on the
    first. The held-out accuracy and loss before → after are computed in a BackgroundJob (one at a
    time; the newest request wins), "before" being the run's own evaluation of the moment when it
    made one.

    Shown state, for tests and scripts: `shown_edits` (the LabEdits of `after`), `shown_step`,
    `before` and `after` (engine Evaluations, None while unknown), `busy`.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("neuronLab")
        self.setToolTip(translate("Views", "Edits act on a copy of this moment's model: the run's own weights never "
                                           "change"))
        self._context = None
        self._job = None
        self._failed = None                  # the request whose evaluation failed (not retried)
        self._shown_data = None              # id of the data of `before` and `after`
        self._before_cache = (None, None)    # ((record, step, data id), Evaluation)
        self._edited = (None, None)          # ((record, step, edits), edited MLP or None when neutral)
        self.shown_edits = self.shown_step = self.before = self.after = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS, timeout=self._start)
        self._build()

    # --- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.unit_label = QLabel(translate("Views", NO_UNIT_HINT), objectName="labUnitLabel", wordWrap=True)
        self.off_check = QCheckBox(translate("Views", "Switch it off"), objectName="unitOffCheck",
                                   toolTip=translate("Views", "A hidden unit off: its activation is 0 (its outgoing "
                                                              "weights are zeroed). An output unit off: its score is 0 "
                                                              "(its incoming weights and bias are zeroed)."))
        self.scale_spin = QDoubleSpinBox(objectName="unitScaleSpin", minimum=SCALE_RANGE[0],
                                         maximum=SCALE_RANGE[1], singleStep=0.1, decimals=2, value=1.0,
                                         prefix="× ",
                                         toolTip=translate("Views", "Multiply the unit's incoming weights (0 to 3)"))
        self.bias_spin = QDoubleSpinBox(objectName="unitBiasSpin", minimum=BIAS_RANGE[0], maximum=BIAS_RANGE[1],
                                        singleStep=0.1, decimals=2, value=0.0,
                                        toolTip=translate("Views", "Add this to the unit's bias"))
        self.prune_spin = QSpinBox(objectName="pruneSpin", minimum=0, maximum=99, value=0, suffix=" %",
                                   toolTip=translate("Views", "Zero this share of the layer's weights, the smallest "
                                                              "in magnitude"))
        self.prune_label = QLabel(translate("Views", "Prune layer {layer}").format(layer=1), objectName="pruneLabel")
        self.reset_button = QPushButton(translate("Views", "Reset edits"), objectName="resetEditsButton",
                                        toolTip=translate("Views", "Back to the moment's own model: every edit neutral"))
        self.what_if_label = QLabel("", objectName="whatIfLabel", wordWrap=True)
        self.digit_label = QLabel("", objectName="labDigitLabel", wordWrap=True)
        self.note = QLabel(translate("Views", "The edits act on a copy of this moment's model: the run's own weights "
                                              "never change."), objectName="labNote", wordWrap=True)
        self.note.setStyleSheet("color: #6a6a6a;")
        for label in (self.unit_label, self.what_if_label, self.digit_label, self.note):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.what_if_label.setStyleSheet("font-weight: bold;")
        for control in (self.off_check, self.scale_spin, self.bias_spin, self.prune_spin, self.reset_button):
            control.setFocusPolicy(Qt.FocusPolicy.ClickFocus if control in (self.scale_spin, self.bias_spin,
                                                                              self.prune_spin)
                                   else Qt.FocusPolicy.NoFocus)   # Space stays the run's pause
        self.off_check.toggled.connect(self._debounce)
        for spin in (self.scale_spin, self.bias_spin, self.prune_spin):
            spin.valueChanged.connect(self._debounce)
        self.reset_button.clicked.connect(self.reset_edits)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.off_check, 0, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)   # clicks land on it
        grid.addWidget(QLabel(translate("Views", "Incoming weights")), 1, 0)
        grid.addWidget(self.scale_spin, 1, 1)
        self.bias_title = QLabel(translate("Views", "Bias shift"))
        grid.addWidget(self.bias_title, 2, 0)
        grid.addWidget(self.bias_spin, 2, 1)
        grid.addWidget(self.prune_label, 3, 0)
        grid.addWidget(self.prune_spin, 3, 1)
        grid.setColumnStretch(0, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.unit_label)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.what_if_label)
        layout.addWidget(self.digit_label)
        layout.addStretch(1)
        layout.addWidget(self.note)
        self._enable(unit=False, biases=False, layers=False)

    def _enable(self, unit: bool, biases: bool, layers: bool) -> None:
        for control in (self.off_check, self.scale_spin):
            control.setEnabled(unit)
        self.bias_spin.setEnabled(unit and biases)
        self.bias_title.setEnabled(unit and biases)
        self.bias_spin.setToolTip(translate("Views", "Add this to the unit's bias") if biases
                                  else translate("Views", NO_BIAS_TIP))
        self.bias_title.setToolTip("" if biases else translate("Views", NO_BIAS_TIP))
        self.prune_spin.setEnabled(layers)

    # --- the Inside workspace's panel interface ---------------------------------------------
    def show_context(self, context) -> None:
        """context: the InsideContext of the answer on screen."""
        self._context = context
        model = context.model
        layer, unit = self._selection(model)
        has_unit = unit is not None
        self._enable(unit=has_unit, biases=model.bias, layers=True)
        self.unit_label.setText(self._describe_unit(context, layer, unit) if has_unit
                                else translate("Views", NO_UNIT_HINT))
        prune_layer = self._prune_layer(model)
        rows, cols = model.weights[prune_layer].shape
        self.prune_label.setText(translate("Views", "Prune layer {layer}").format(layer=prune_layer + 1)
                                 + f" ({rows}×{cols})")
        self.prune_label.setToolTip(translate("Views", "Zero the smallest of the {count} weights of layer {layer} (by "
                                                       "magnitude)").format(count=f"{rows * cols:,}", layer=prune_layer + 1))
        wanted = self._request_key()
        if wanted not in (self._shown_key(), self._failed):
            if not self._timer.isActive():   # not restarted: a live run's moments must not starve it
                self._timer.start()
            if self.before is None:
                self.what_if_label.setText(translate("Views", "{split} accuracy: computing…").format(
                                               split=translate("Views", context.data.eval_name))
                                           if context.data is not None
                                           else translate("Views", "Load a dataset to measure the edits on its "
                                                                   "held-out set"))
        self._show_digit()

    def show_nothing(self, why: str) -> None:
        self._context = None
        self._timer.stop()
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self.shown_edits = self.shown_step = self.before = self.after = self._failed = None
        self._enable(unit=False, biases=False, layers=False)
        self.unit_label.setText(why or translate("Views", NO_UNIT_HINT))
        self.what_if_label.setText("")
        self.digit_label.setText("")

    def reset_edits(self) -> None:
        """Every edit back to neutral (the copy is the moment's model again)."""
        for control, value in ((self.off_check, False), (self.scale_spin, 1.0), (self.bias_spin, 0.0),
                               (self.prune_spin, 0)):
            control.blockSignals(True)
            if control is self.off_check:
                control.setChecked(value)
            else:
                control.setValue(value)
            control.blockSignals(False)
        self._debounce()

    @property
    def busy(self) -> bool:
        """An evaluation is asked for or under way."""
        return self._timer.isActive() or self._job is not None

    # --- what is asked ------------------------------------------------------------------------
    def _selection(self, model):
        """(layer, unit) of the cursor when it is a unit of `model`, else (None, None)."""
        cursor = self._context.session.cursor if self._context is not None else None
        layer, unit = (cursor.layer, cursor.unit) if cursor is not None else (None, None)
        if layer is None or unit is None or not 0 <= layer < len(model.weights) \
                or not 0 <= unit < model.weights[layer].shape[1]:
            return None, None
        return layer, unit

    def _prune_layer(self, model) -> int:
        cursor = self._context.session.cursor
        layer = cursor.layer
        return layer if layer is not None and 0 <= layer < len(model.weights) else 0

    def _describe_unit(self, context, layer, unit) -> str:
        model = context.model
        if layer + 1 < len(model.weights):
            return translate("Views", "Editing hidden unit {unit} of layer {layer}").format(unit=unit, layer=layer + 1)
        names = context.data.class_names if context.data is not None else ()
        label = class_labels(names, model.weights[-1].shape[1])[unit]
        return translate("Views", "Editing output unit {unit} (class {label})").format(unit=unit, label=label)

    def edits(self) -> LabEdits:
        """The edits the controls ask for, on the cursor's unit and layer."""
        if self._context is None:
            return LabEdits()
        model = self._context.model
        layer, unit = self._selection(model)
        return LabEdits(layer, unit, self.off_check.isChecked(), round(self.scale_spin.value(), 4),
                        round(self.bias_spin.value(), 4) if model.bias else 0.0,
                        self.prune_spin.value() / 100.0, self._prune_layer(model))

    def _request_key(self):
        context = self._context
        if context is None:
            return None
        return (context.record, context.moment.step, id(context.data), self.edits())

    def _shown_key(self):
        if self.shown_edits is None or self._context is None:
            return None
        return (self._context.record, self.shown_step, self._shown_data, self.shown_edits)

    def _debounce(self, *_) -> None:
        """An edit changed: evaluate once the controls have settled for DEBOUNCE_MS."""
        if self._context is not None:
            self._timer.start()      # restarted by each change
            self._show_pending()
            self._show_digit()

    # --- the background evaluation -----------------------------------------------------------
    def _start(self) -> None:
        """Evaluate what the controls ask for now (after the running job, if one runs)."""
        context = self._context
        if context is None or self._job is not None:
            return   # a running job starts the newest request when it ends
        key = self._request_key()
        record, step, data_id, edits = key
        data, model = context.data, context.model
        loss = record.model_config.loss_name()
        before = self._known_before(record, step, data)

        def work():
            edited = None if edits.neutral else edits.apply(model)
            if data is None:
                return None, None, edited
            made_before = before
            if made_before is None:   # a model of its own: evaluating fills a model's buffers
                made_before = evaluate(MLP.from_arrays(model.weights, model.biases, hidden=model.hidden.name,
                                                       output=model.output.name), loss, data.X_eval, data.y_eval)
            after = made_before if edited is None else evaluate(edited, loss, data.X_eval, data.y_eval)
            return made_before, after, edited

        job = BackgroundJob(work, "neuron lab", owner=self)
        job.succeeded.connect(lambda result: self._done(key, result, None))
        job.failed.connect(lambda error: self._done(key, None, error))
        self._job = job.start()

    def _done(self, key, result, error) -> None:
        self._job = None
        if self._context is None:
            return
        record, step, data_id, edits = key
        current = self._request_key()
        if result is not None:
            before, after, edited = result
            if before is not None:
                self._before_cache = (key[:3], before)
            if current[:3] == key[:3]:
                self._edited = ((record, step, edits), edited)
            if current == key:
                self.shown_edits, self.shown_step, self._shown_data = edits, step, data_id
                self.before, self.after = before, after
                data = self._context.data
                self.what_if_label.setText(what_if_text(data.eval_name, before, after, translate) if data is not None
                                           else translate("Views", "Load a dataset to measure the edits on its "
                                                                   "held-out set"))
                self._show_digit()
        elif current == key:
            self._failed = key
            self.what_if_label.setText(translate("Views", "Could not evaluate the edited model: {error}")
                                       .format(error=error))
        if current not in (self._shown_key(), self._failed) and not self._timer.isActive():
            self._start()

    def _known_before(self, record, step, data):
        """The held-out Evaluation of the unedited moment if known (the run's own, when it was made on
        this held-out set, or one made here), else None."""
        before = record.evaluation(step)
        if before is not None and data is not None and int(before.confusion.sum()) == len(data.y_eval):
            return before
        return self._before_cache[1] if self._before_cache[0] == (record, step, id(data)) else None

    def _show_pending(self) -> None:
        """The edits changed: "before → …" until the edited model is evaluated."""
        context = self._context
        if context is None or context.data is None:
            return
        before = self._known_before(context.record, context.moment.step, context.data)
        self.what_if_label.setText(what_if_text(context.data.eval_name, before, None, translate))

    def _show_digit(self) -> None:
        """"your digit: 7 (99%) → 1 (54%)" under the edited model, once it is made."""
        context = self._context
        if context is None:
            return
        edits = self.edits()
        key, edited = self._edited
        labels = class_labels(context.data.class_names if context.data is not None else (),
                              len(context.answer.logits))
        before = answer_text(context.answer, labels)
        if edits.neutral:
            self.digit_label.setText(translate("Views", "Your digit: {before} (no edits)").format(before=before))
        elif key == (context.record, context.moment.step, edits):
            after = answer(edited, context.record.model_config.loss_name(), context.answer.x)
            self.digit_label.setText(translate("Views", "Your digit: {before} → {after}").format(
                before=before, after=answer_text(after, labels)))
        else:
            self.digit_label.setText(translate("Views", "Your digit: {before} → …").format(before=before))


class PanelTabs(QTabWidget):
    """Several panels of the Inside workspace sharing one place of its lower row, as tabs (at 1280 px
    the row has no room for each side by side). A panel of the workspace itself: the answer goes to
    the tab on screen; another tab is given the newest one when it is chosen.

    Args:
        pages: (panel, tab title, tab tooltip), each panel with show_context and show_nothing.
    """

    def __init__(self, pages, parent=None):
        super().__init__(parent)
        self.setObjectName("insidePanelTabs")
        self.setDocumentMode(True)
        self._given = {}              # page -> the context or reason it was given last
        self._latest = ("nothing", "")
        for page, title, tip in pages:
            self.setTabToolTip(self.addTab(page, title), tip)
        self.currentChanged.connect(lambda index: self._give(self.widget(index)))

    def show_context(self, context) -> None:
        self._latest = ("context", context)
        self._give(self.currentWidget())

    def show_nothing(self, why: str) -> None:
        self._latest = ("nothing", why)
        for index in range(self.count()):   # a hidden page must not keep a stale answer either
            self._give(self.widget(index))

    def _give(self, page) -> None:
        if page is None or self._given.get(page) is self._latest:
            return
        self._given[page] = self._latest
        kind, value = self._latest
        if kind == "context":
            page.show_context(value)
        else:
            page.show_nothing(value)
