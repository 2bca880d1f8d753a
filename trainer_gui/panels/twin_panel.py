"""The twin run's second configuration panel: B, trained beside A (the settings column) in lockstep."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, is_language_change, translate
from ..state.compare import differences
from .model_panel import ModelPanel

# B trains on A's batches in A's order for A's epochs: these follow A and cannot be set apart
FOLLOWS_A = ("batch_size", "epochs", "shuffle", "seed")
FOLLOWS_TIP = QT_TRANSLATE_NOOP("TwinPanel", "Follows A: the twins train on the same batches, in the same order, "
                                             "for the same epochs (and A's early stopping pauses both).")


def twin_train_config(a_training, b_training):
    """B's TrainConfig: its own settings but for those that fix the batches (FOLLOWS_A), which are
    A's, and early stopping, which A's decides for both (a stop pauses the pair)."""
    return replace(b_training, **{name: getattr(a_training, name) for name in FOLLOWS_A},
                   early_stopping=0, restore_best=False)


class TwinPanel(QGroupBox):
    """B's settings for *Start twin*: a copy of the settings column's panel (A), whose controls are
    named like A's with a "twin" prefix (twinLrSpin, twinModelCombo, …). The batch size, epochs,
    shuffling and early stopping follow A's. A line says how B differs ("B = A except lr 0.5").

    Args:
        settings: the settings column's ModelPanel (A).
    """
    start_requested = Signal()

    def __init__(self, settings: ModelPanel, parent=None):
        super().__init__(parent)
        self.setObjectName("twinPanel")
        self.settings = settings
        self._showing = False
        self.panel = ModelPanel(side_by_side=True)
        for child in self.panel.findChildren(QWidget):
            name = child.objectName()
            if name and not name.startswith("qt_"):
                child.setObjectName("twin" + name[0].upper() + name[1:])
        panel = self.panel
        self._locked = (panel.batch_spin, panel.epochs_spin, panel.shuffle_row, panel.stopping_row)
        self.explanation = explanation = QLabel(wordWrap=True)
        self.difference = QLabel(objectName="twinDifference", wordWrap=True)
        self.copy_button = QPushButton(objectName="twinCopyButton")
        self.start_button = QPushButton(objectName="startTwinButton")
        self.retranslate()
        for button in (self.copy_button, self.start_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copy_button.clicked.connect(self.copy_a)
        self.start_button.clicked.connect(self.start_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.difference)
        layout.addLayout(buttons)
        layout.addWidget(panel)
        self.edited = False   # B set by the user since it was last copied from A
        self._copying = False
        # any change on either side rewrites the difference
        for source, changed in ((settings, self.show_difference), (panel, self._on_b_changed)):
            for field in source.findChildren(QAbstractSpinBox):
                field.editingFinished.connect(changed)
                field.valueChanged.connect(changed)
            for combo in source.findChildren(QComboBox):
                combo.currentIndexChanged.connect(changed)
            for check in source.findChildren(QCheckBox):
                check.toggled.connect(changed)
            for edit in source.findChildren(QLineEdit):
                if not isinstance(edit.parent(), QAbstractSpinBox):
                    edit.textChanged.connect(changed)
        self.copy_a()

    def retranslate(self) -> None:
        """The panel's fixed texts in the current language (the difference line changes at the next edit)."""
        self.setTitle(translate("TwinPanel", "Twin run: B beside A, on the same batches"))
        for widget in self._locked:   # B's panel translates them (again) after this panel
            self.panel.tips[widget] = ("TwinPanel", FOLLOWS_TIP)
            widget.setToolTip(translate("TwinPanel", FOLLOWS_TIP))
        self.explanation.setText(translate(
            "TwinPanel", "A is the settings column, B is set here. Start twin trains both at once, from their own "
            "start, on the same batches in the same order; Pause, Step and Step epoch act on both, and their "
            "curves and weights appear side by side below. Identical settings give identical numbers."))
        self.copy_button.setText(translate("TwinPanel", "Copy A's settings"))
        self.start_button.setText(translate("TwinPanel", "Start twin"))

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        """Shown, B starts as a copy of A as A stands now, unless the user has set B since."""
        if not self.edited:
            self.copy_a()
        super().showEvent(event)

    def _on_b_changed(self) -> None:
        if not (self._showing or self._copying):
            self.edited = True
        self.show_difference()

    def copy_a(self) -> None:
        """B becomes A (the settings column) again."""
        self._copying = True
        try:
            try:
                model = self.settings.model_config(commit=False)
            except ValueError:   # A's hidden sizes are unfinished: keep B's model
                model = self.panel.model_config(commit=False)
            self.panel.show_config(model, self.settings.train_config(commit=False))
        except ValueError:   # neither side's hidden sizes are finished: B's own, as they stand
            pass
        finally:
            self._copying = False
        self.edited = False
        self._lock()
        self.show_difference()

    def configs(self, commit: bool = True):
        """((ModelConfig, TrainConfig) of A, the same of B): what Start twin trains. Raises
        ValueError, worded for the user, for an unfinished setting on either side. commit: take
        what is typed in the fields first (see ModelPanel.model_config)."""
        a = (self.settings.model_config(commit), self.settings.train_config(commit))
        try:
            b = (self.panel.model_config(commit), twin_train_config(a[1], self.panel.train_config(commit)))
        except ValueError as error:
            raise ValueError(f"B's {error}") from None
        return a, b

    def show_difference(self) -> None:
        """Say how B differs from A, and show A's values in the fields B follows."""
        if self._showing:
            return
        self._showing = True
        try:
            a, b = self.configs(commit=False)
            panel, training = self.panel, a[1]
            for spin, value in ((panel.batch_spin, training.batch_size), (panel.epochs_spin, training.epochs),
                                (panel.train_seed_spin, training.seed), (panel.patience_spin, 0)):
                spin.setValue(value)
            panel.shuffle_check.setChecked(training.shuffle)
            panel.restore_best_check.setChecked(False)
            words = differences(a, b)
            self.difference.setText(translate("TwinPanel", "B = A except: {differences}").format(
                differences=", ".join(words)) if words else
                translate("TwinPanel", "B = A: identical settings (the twins will agree to the last digit)."))
        except ValueError as error:
            self.difference.setText(str(error))
        finally:
            self._showing = False

    def set_running(self, running: bool) -> None:
        """While a run trains (or before there is data), B is locked as A is: its settings take
        effect at the next Start twin."""
        for widget in (self.panel, self.copy_button, self.start_button):
            widget.setEnabled(not running)
        self._lock()

    def _lock(self) -> None:
        for widget in self._locked:
            widget.setEnabled(False)
