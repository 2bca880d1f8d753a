"""Model and training settings: every value is checked as it is typed, and only what applies is enabled."""
from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from engine import ACTIVATIONS, INITS, LOSSES, MODEL_KINDS, SCHEDULES, ModelConfig, TrainConfig
from engine.config import suggested_learning_rate
from engine.optim import USES_MOMENTUM

from ..hyperparameters import (HIDDEN_SIZES_PATTERN, ONE_HIDDEN_SIZE_PATTERN, format_hidden_sizes,
                               parse_hidden_sizes)
from ..i18n import QT_TRANSLATE_NOOP, is_language_change, translate

C = "ModelPanel"   # the translation context of the labels below (marked for lupdate, translated when shown)
# the engine's names of the model kinds (engine.config.MODEL_KINDS, which imports no Qt), for lupdate
KIND_LABELS = (QT_TRANSLATE_NOOP("ModelPanel", "Softmax regression"), QT_TRANSLATE_NOOP("ModelPanel", "Two-layer ReLU network"),
               QT_TRANSLATE_NOOP("ModelPanel", "MLP"), QT_TRANSLATE_NOOP("ModelPanel", "Linear regression (MSE)"))

LOSS_LABELS = {"softmax_ce": QT_TRANSLATE_NOOP("ModelPanel", "softmax cross-entropy"),
               "mse": QT_TRANSLATE_NOOP("ModelPanel", "mean squared error"),
               "bce": QT_TRANSLATE_NOOP("ModelPanel", "binary cross-entropy")}
SCHEDULE_LABELS = {"constant": QT_TRANSLATE_NOOP("ModelPanel", "constant"), "inverse_time": "1 / (1 + t/τ)",
                   "step": QT_TRANSLATE_NOOP("ModelPanel", "step decay"),
                   "cosine": QT_TRANSLATE_NOOP("ModelPanel", "cosine")}
OPTIMIZER_LABELS = {"sgd": "SGD", "nesterov": "Nesterov momentum", "adagrad": "AdaGrad", "rmsprop": "RMSProp",
                    "adam": "Adam"}
MAX_SEED = 99_999   # plenty of distinct runs, and a spin box narrow enough for the settings column
# what each setting does to learning, in a sentence a student understands (the controls' tooltips)
TOOLTIPS = {
    "modelCombo": QT_TRANSLATE_NOOP("ModelPanel", "Softmax regression: one layer, a template per class. Two-layer: a hidden layer of "
                  "ReLU units in between. MLP: as many hidden layers as you like. Linear regression: "
                  "fits the one-hot targets with squared error."),
    "hiddenEdit": QT_TRANSLATE_NOOP("ModelPanel", "How many units each hidden layer has, e.g. 256,128 for two layers. More units can "
                  "learn more, and take longer."),
    "activationCombo": QT_TRANSLATE_NOOP("ModelPanel", "What each hidden unit does with its weighted sum: ReLU keeps positives and "
                       "zeroes negatives; sigmoid and tanh squash it into a range."),
    "outputCombo": QT_TRANSLATE_NOOP("ModelPanel", "What the last layer does with its sums before the loss sees them."),
    "lossCombo": QT_TRANSLATE_NOOP("ModelPanel", "How wrong an answer counts: cross-entropy punishes a confident wrong answer hard; "
                 "squared error measures the distance to the target."),
    "biasCheck": QT_TRANSLATE_NOOP("ModelPanel", "Whether each unit also learns a constant it adds to its sum."),
    "initCombo": QT_TRANSLATE_NOOP("ModelPanel", "How the weights start. Different starts learn different features; too large or "
                 "too small a start can stall learning."),
    "modelSeedSpin": QT_TRANSLATE_NOOP("ModelPanel", "The random numbers of the starting weights: the same seed starts the same way."),
    "lrSpin": QT_TRANSLATE_NOOP("ModelPanel", "How big a step each update takes down the loss's slope. Too small crawls; too large "
              "overshoots and the loss jumps or explodes."),
    "batchSpin": QT_TRANSLATE_NOOP("ModelPanel", "How many examples each step averages its gradient over. Small batches are noisy "
                 "and quick; large ones are smooth and slower per step."),
    "epochsSpin": QT_TRANSLATE_NOOP("ModelPanel", "How many times training goes through the whole training set."),
    "scheduleCombo": QT_TRANSLATE_NOOP("ModelPanel", "How the learning rate changes as training goes on. 1/(1+t/τ): after t steps "
                     "the rate is divided by 1 + t/τ, with τ a tenth of the run, so it halves after "
                     "a tenth. Step decay: ×0.1 at each third. Cosine: down to 0 along a half cosine."),
    "momentumSpin": QT_TRANSLATE_NOOP("ModelPanel", "How much of the previous step each step keeps: like a ball rolling downhill, it "
                    "speeds up along a steady slope and smooths out zig-zags. 0 = none, 0.9 = a lot."),
    "weightDecaySpin": QT_TRANSLATE_NOOP("ModelPanel", "Pulls every weight a little towards zero at each step, so that no weight "
                       "grows larger than the data asks for (it can curb overfitting)."),
    "optimizerCombo": QT_TRANSLATE_NOOP("ModelPanel", "How each step turns the gradient into a change of the weights. SGD: the rate "
                      "times the gradient (plus momentum). Nesterov: momentum that looks ahead. "
                      "AdaGrad, RMSProp and Adam give every weight its own step size from its past "
                      "gradients; they want far smaller rates (Adam: about 0.001)."),
    "dropoutSpin": QT_TRANSLATE_NOOP("ModelPanel", "In training, each hidden unit is switched off with this chance at every step, so "
                   "that no unit can rely on another: it curbs overfitting. Evaluation uses them all."),
    "augmentShiftSpin": QT_TRANSLATE_NOOP("ModelPanel", "Shift each training digit by up to this many pixels at random, a new shift each "
                        "time it is seen: the network learns that a moved digit is the same digit."),
    "augmentRotationSpin": QT_TRANSLATE_NOOP("ModelPanel", "Turn each training digit by up to this many degrees either way, at random."),
    "augmentNoiseSpin": QT_TRANSLATE_NOOP("ModelPanel", "Add random noise of this size (its σ, on pixels from 0 to 1) to each training digit."),
    "earlyStoppingSpin": QT_TRANSLATE_NOOP("ModelPanel", "Pause when the held-out loss has not improved for this many epochs: "
                         "training longer would only fit the training set better."),
    "restoreBestCheck": QT_TRANSLATE_NOOP("ModelPanel", "When it stops early, go back to the weights of the best held-out loss."),
    "shuffleCheck": QT_TRANSLATE_NOOP("ModelPanel", "Visit the training examples in a new random order each epoch, instead of the "
                    "same order every time."),
    "trainSeedSpin": QT_TRANSLATE_NOOP("ModelPanel", "The random numbers of the shuffling: the same seed visits the same order."),
}
INIT_LABELS = {"default": QT_TRANSLATE_NOOP("ModelPanel", "default for the model"),
               "normal": QT_TRANSLATE_NOOP("ModelPanel", "normal, 1/fan-in"),
               "scaled": QT_TRANSLATE_NOOP("ModelPanel", "randn / √fan-out"),
               "he": "He", "xavier": "Xavier", "zeros": QT_TRANSLATE_NOOP("ModelPanel", "zeros")}


def _combo(object_name: str, items: dict, current) -> QComboBox:
    """A combo box showing the labels of `items` (value -> label), holding the values as data;
    retranslate_combo shows them in the current language."""
    combo = QComboBox(objectName=object_name)
    for value, label in items.items():
        combo.addItem(label, value)
    combo.setProperty("labels", items)
    combo.setCurrentIndex(combo.findData(current))
    # size to a short label, not the longest one, so the settings column stays narrow
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def retranslate_combo(combo: QComboBox) -> None:
    labels = combo.property("labels")
    for index in range(combo.count()):
        combo.setItemText(index, translate(C, labels[combo.itemData(index)]))


def _spin(object_name, low, high, value, step=1, decimals=None) -> QAbstractSpinBox:
    spin = QSpinBox() if decimals is None else QDoubleSpinBox(decimals=decimals)
    spin.setObjectName(object_name)
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setKeyboardTracking(False)   # act on the finished number, not on "0." typed on the way to 0.05
    return spin


def _shown(widget):
    """The value a model control shows: text, combo data or check state."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    return widget.currentData() if isinstance(widget, QComboBox) else widget.isChecked()


def _show(widget, value) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(widget.findData(value))   # None: no item, the placeholder "none" shows
    else:
        widget.setChecked(value)


class ModelPanel(QWidget):
    """The ModelConfig and TrainConfig of the next run; defaults come from the engine's dataclasses.

    A model control that the chosen kind does not read shows, disabled, what that kind really uses
    (no biases for softmax regression, the squared error for linear regression); the user's own
    setting comes back when a kind that reads it is chosen again.
    """
    learning_rate_changed = Signal(float)
    epochs_changed = Signal(int)
    model_changed = Signal()   # a value the ModelConfig is built from

    def __init__(self, parent=None, side_by_side: bool = False):
        super().__init__(parent)
        self._side_by_side = side_by_side   # the Model and Training groups in a row, not a column
        model, training = ModelConfig(), TrainConfig()
        self.model_combo = _combo("modelCombo", MODEL_KINDS, model.kind)
        self.hidden_edit = QLineEdit(format_hidden_sizes(model.hidden), objectName="hiddenEdit")
        self.activation_combo = _combo("activationCombo", {a: a for a in ACTIVATIONS}, model.activation)
        self.output_combo = _combo("outputCombo", {"identity": "identity", "sigmoid": "sigmoid"}, model.output)
        self.loss_combo = _combo("lossCombo", {name: LOSS_LABELS.get(name, name) for name in LOSSES}, model.loss)
        self.bias_check = QCheckBox(objectName="biasCheck", checked=model.bias)
        self.init_combo = _combo("initCombo", {n: INIT_LABELS.get(n, n) for n in ("default", *INITS)}, model.init)
        self.model_seed_spin = _spin("modelSeedSpin", 0, MAX_SEED, model.seed)
        self.lr_spin = _spin("lrSpin", 0.0001, 100.0, training.learning_rate, 0.01, decimals=4)
        self.lr_spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.batch_spin = _spin("batchSpin", 1, 60000, training.batch_size, 10)
        self.epochs_spin = _spin("epochsSpin", 1, 1000, training.epochs)
        self.schedule_combo = _combo("scheduleCombo", {s: SCHEDULE_LABELS.get(s, s) for s in SCHEDULES},
                                     training.schedule)
        self.momentum_spin = _spin("momentumSpin", 0.0, 0.99, training.momentum, 0.05, decimals=2)
        self.weight_decay_spin = _spin("weightDecaySpin", 0.0, 0.1, training.weight_decay, 0.0001, decimals=5)
        self.optimizer_combo = _combo("optimizerCombo", OPTIMIZER_LABELS, training.optimizer)
        self.dropout_spin = _spin("dropoutSpin", 0.0, 0.9, training.dropout, 0.05, decimals=2)
        self.shift_spin = _spin("augmentShiftSpin", 0, 6, training.augment_shift)
        self.shift_spin.setSuffix(" px")
        self.rotation_spin = _spin("augmentRotationSpin", 0.0, 45.0, training.augment_rotation, 5.0, decimals=0)
        self.rotation_spin.setSuffix("°")
        self.noise_spin = _spin("augmentNoiseSpin", 0.0, 0.6, training.augment_noise, 0.05, decimals=2)
        self.augment_row = QWidget()   # shift, rotation and noise share a row to save height
        augment_layout = QHBoxLayout(self.augment_row)
        augment_layout.setContentsMargins(0, 0, 0, 0)
        for spin in (self.shift_spin, self.rotation_spin, self.noise_spin):
            augment_layout.addWidget(spin, 1)
        self.patience_spin = _spin("earlyStoppingSpin", 0, 100, training.early_stopping)
        self.restore_best_check = QCheckBox(objectName="restoreBestCheck", checked=training.restore_best)
        self.stopping_row = QWidget()
        stopping_layout = QHBoxLayout(self.stopping_row)
        stopping_layout.setContentsMargins(0, 0, 0, 0)
        stopping_layout.addWidget(self.patience_spin, 1)
        stopping_layout.addWidget(self.restore_best_check)
        self.shuffle_check = QCheckBox(objectName="shuffleCheck", checked=training.shuffle)
        self.train_seed_spin = _spin("trainSeedSpin", 0, MAX_SEED, training.seed)
        self.shuffle_row = QWidget()   # the check box and its seed share a row to save height
        shuffle_layout = QHBoxLayout(self.shuffle_row)
        shuffle_layout.setContentsMargins(0, 0, 0, 0)
        shuffle_layout.addWidget(self.shuffle_check)
        shuffle_layout.addWidget(self.train_seed_spin, 1)
        # the ModelConfig field each control sets, to ask ModelConfig.applies which ones matter
        self.model_fields = {"hidden": self.hidden_edit, "activation": self.activation_combo,
                             "output": self.output_combo, "loss": self.loss_combo, "bias": self.bias_check,
                             "init": self.init_combo, "seed": self.model_seed_spin}
        self.training_fields = {"learning_rate": self.lr_spin, "batch_size": self.batch_spin,
                                "epochs": self.epochs_spin, "schedule": self.schedule_combo,
                                "momentum": self.momentum_spin, "weight_decay": self.weight_decay_spin,
                                "shuffle": self.shuffle_check, "seed": self.train_seed_spin,
                                "optimizer": self.optimizer_combo, "dropout": self.dropout_spin,
                                "augment_shift": self.shift_spin, "augment_rotation": self.rotation_spin,
                                "augment_noise": self.noise_spin, "early_stopping": self.patience_spin,
                                "restore_best": self.restore_best_check}
        self._set_aside = {}   # field -> the user's value, while the control shows what the model uses
        self._build_layout()
        # widget -> (context, text) of its tooltip, translated by retranslate (the twin panel changes some)
        self.tips = {self.findChild(QWidget, name): (C, tip) for name, tip in TOOLTIPS.items()}
        self.retranslate()
        self._running = False
        # the field follows the chosen model's suggested rate until the user sets one
        self.learning_rate_chosen = False
        self._suggesting = False
        self.lr_spin.lineEdit().textEdited.connect(self._on_learning_rate_chosen)
        self.lr_spin.valueChanged.connect(self._on_learning_rate_chosen)
        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._suggest_learning_rate)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        self.loss_combo.currentIndexChanged.connect(self._on_loss_changed)
        self.hidden_edit.textChanged.connect(self._mark_hidden_acceptable)
        self.lr_spin.valueChanged.connect(self.learning_rate_changed)
        self.epochs_spin.valueChanged.connect(self.epochs_changed)
        self._on_model_changed()
        for changed in (self.model_combo.currentIndexChanged, self.hidden_edit.textChanged,
                        self.activation_combo.currentIndexChanged, self.output_combo.currentIndexChanged,
                        self.loss_combo.currentIndexChanged, self.bias_check.toggled,
                        self.init_combo.currentIndexChanged, self.model_seed_spin.valueChanged):
            changed.connect(self.model_changed)

    def _build_layout(self) -> None:
        model_form, training_form = QFormLayout(), QFormLayout()
        for form in (model_form, training_form):
            form.setVerticalSpacing(4)
        # the rows' labels are set by retranslate
        for widget in (self.model_combo, self.hidden_edit, self.activation_combo, self.output_combo,
                       self.loss_combo, self.bias_check, self.init_combo, self.model_seed_spin):
            model_form.addRow(QLabel(), widget)
        for widget in (self.lr_spin, self.batch_spin, self.epochs_spin, self.schedule_combo, self.optimizer_combo,
                       self.momentum_spin, self.weight_decay_spin, self.dropout_spin, self.augment_row,
                       self.stopping_row, self.shuffle_row):
            training_form.addRow(QLabel(), widget)
        self.model_form, self.training_form = model_form, training_form
        self.model_group = model_group = QGroupBox(objectName="modelGroup")
        self.training_group = training_group = QGroupBox(objectName="trainingGroup")
        model_group.setLayout(model_form)
        training_group.setLayout(training_form)
        layout = QHBoxLayout(self) if self._side_by_side else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (model_group, training_group):
            if self._side_by_side:
                layout.addWidget(group, 1, Qt.AlignmentFlag.AlignTop)
            else:
                layout.addWidget(group)

    def retranslate(self) -> None:
        """The group titles, the rows' labels, the choices and the tooltips in the current language."""
        self.model_group.setTitle(translate("ModelPanel", "Model"))
        self.training_group.setTitle(translate("ModelPanel", "Training"))
        for widget, label in (
                (self.model_combo, translate("ModelPanel", "Model")), (self.hidden_edit, translate("ModelPanel", "Hidden sizes")),
                (self.activation_combo, translate("ModelPanel", "Activation")), (self.output_combo, translate("ModelPanel", "Output")),
                (self.loss_combo, translate("ModelPanel", "Loss")), (self.bias_check, translate("ModelPanel", "Bias")),
                (self.init_combo, translate("ModelPanel", "Initialisation")), (self.model_seed_spin, translate("ModelPanel", "Seed")),
                (self.lr_spin, translate("ModelPanel", "Learning rate")), (self.batch_spin, translate("ModelPanel", "Batch size")),
                (self.epochs_spin, translate("ModelPanel", "Epochs")), (self.schedule_combo, translate("ModelPanel", "LR schedule")),
                (self.optimizer_combo, translate("ModelPanel", "Optimizer")), (self.momentum_spin, translate("ModelPanel", "Momentum")),
                (self.weight_decay_spin, translate("ModelPanel", "Weight decay")), (self.dropout_spin, translate("ModelPanel", "Dropout")),
                (self.augment_row, translate("ModelPanel", "Augment")), (self.stopping_row, translate("ModelPanel", "Early stop")),
                (self.shuffle_row, translate("ModelPanel", "Shuffle"))):
            (self.model_form.labelForField(widget) or self.training_form.labelForField(widget)).setText(label)
        for combo in (self.model_combo, self.loss_combo, self.init_combo, self.schedule_combo):
            retranslate_combo(combo)
        for combo in (self.activation_combo, self.output_combo, self.loss_combo):
            combo.setPlaceholderText(translate("ModelPanel", "none"))   # shown for a part the model does not have
        self.hidden_edit.setPlaceholderText(translate("ModelPanel", "none"))
        self.bias_check.setText(translate("ModelPanel", "learn biases"))
        self.patience_spin.setSpecialValueText(translate("ModelPanel", "off"))
        self.patience_spin.setSuffix(translate("ModelPanel", " epochs"))
        self.restore_best_check.setText(translate("ModelPanel", "best"))
        self.shuffle_check.setText(translate("ModelPanel", "each epoch"))
        self.train_seed_spin.setPrefix(translate("ModelPanel", "seed "))
        for widget, (context, tip) in self.tips.items():
            widget.setToolTip(translate(context, tip))

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    @property
    def kind(self) -> str:
        return self.model_combo.currentData()

    def _value(self, name: str):
        """The user's setting of a model field, also while its control shows what the model uses."""
        return self._set_aside[name] if name in self._set_aside else _shown(self.model_fields[name])

    def model_config(self, commit: bool = True) -> ModelConfig:
        """The model to build; ValueError with a readable message if the hidden sizes are unfinished.
        commit: first take what is typed in the fields as their values (False: read them as they
        stand, for a display that must not disturb typing)."""
        if commit:
            self.commit_typed()
        config = ModelConfig(kind=self.kind, **{name: self._value(name) for name in
                                                ("activation", "output", "loss", "bias", "init")},
                             seed=self.model_seed_spin.value())
        if config.applies("hidden"):
            config.hidden = parse_hidden_sizes(self.hidden_edit.text(), single=self.kind == "two-layer",
                                               translate=translate)
        return config

    def commit_typed(self) -> None:
        """Take the numbers typed into the spin boxes as their values, as Enter would: whatever a
        field shows when Start, Step or Space is pressed is what the run uses."""
        for spin in self.findChildren(QAbstractSpinBox):
            spin.interpretText()

    def show_config(self, model: ModelConfig, training: TrainConfig) -> None:
        """Set every control to a saved run's configuration."""
        self.model_combo.setCurrentIndex(self.model_combo.findData(model.kind))   # first: it trims hidden sizes
        # the loss before the output: choosing binary cross-entropy switches the output to sigmoid
        for name, value in (("hidden", format_hidden_sizes(model.hidden)), ("activation", model.activation),
                            ("loss", model.loss), ("output", model.output), ("init", model.init),
                            ("bias", model.bias)):
            if name in self._set_aside:
                self._set_aside[name] = value
            else:
                _show(self.model_fields[name], value)
        self.schedule_combo.setCurrentIndex(self.schedule_combo.findData(training.schedule))
        self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(training.optimizer))
        self.shuffle_check.setChecked(training.shuffle)
        self.restore_best_check.setChecked(training.restore_best)
        for spin, value in ((self.model_seed_spin, model.seed), (self.lr_spin, training.learning_rate),
                            (self.batch_spin, training.batch_size), (self.epochs_spin, training.epochs),
                            (self.momentum_spin, training.momentum),
                            (self.weight_decay_spin, training.weight_decay), (self.train_seed_spin, training.seed),
                            (self.dropout_spin, training.dropout), (self.shift_spin, training.augment_shift),
                            (self.rotation_spin, training.augment_rotation), (self.noise_spin, training.augment_noise),
                            (self.patience_spin, training.early_stopping)):
            spin.setValue(value)
        self.learning_rate_chosen = True   # the run's own rate, kept when another model is chosen

    def train_config(self, commit: bool = True) -> TrainConfig:
        if commit:
            self.commit_typed()
        return TrainConfig(learning_rate=self.lr_spin.value(), batch_size=self.batch_spin.value(),
                           epochs=self.epochs_spin.value(), schedule=self.schedule_combo.currentData(),
                           momentum=self.momentum_spin.value(), weight_decay=self.weight_decay_spin.value(),
                           shuffle=self.shuffle_check.isChecked(), seed=self.train_seed_spin.value(),
                           optimizer=self.optimizer_combo.currentData(), dropout=self.dropout_spin.value(),
                           augment_shift=self.shift_spin.value(), augment_rotation=self.rotation_spin.value(),
                           augment_noise=self.noise_spin.value(), early_stopping=self.patience_spin.value(),
                           restore_best=self.restore_best_check.isChecked())

    def set_running(self, running: bool) -> None:
        """During a run only the learning rate and the epochs stay editable: the worker takes them
        at its next step."""
        self._running = running
        for widget in (self.model_combo, self.batch_spin, self.schedule_combo, self.optimizer_combo,
                       self.weight_decay_spin, self.dropout_spin, self.augment_row,
                       self.stopping_row, self.shuffle_row):
            self._enable(widget, not running)
        self._on_optimizer_changed()
        self._update_applicable()

    def control(self, name: str) -> QWidget:
        """The control of a setting by its lesson name: "model.<ModelConfig field>" or
        "training.<TrainConfig field>" (KeyError for another name)."""
        section, field = name.split(".", 1)
        if section == "model":
            return self.model_combo if field == "kind" else self.model_fields[field]
        if section == "training":
            return self.training_fields[field]
        raise KeyError(name)

    def hide_controls(self, names) -> None:
        """Hide the controls of these settings (lesson names, see `control`) and show all others;
        a form row disappears with its last visible control, label and all."""
        hidden = {self.control(name) for name in names}
        controls = [self.model_combo, *self.model_fields.values(), *self.training_fields.values()]
        for form in (self.model_form, self.training_form):
            for row in range(form.rowCount()):
                field = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
                # a row holds one control, or several side by side (augmentation, early stopping, shuffle)
                parts = [field] if field in controls else [c for c in controls if field.isAncestorOf(c)]
                for part in parts:
                    part.setVisible(part not in hidden)
                form.setRowVisible(row, any(part not in hidden for part in parts))

    def set_training_size(self, n_train: int) -> None:
        """A batch cannot be larger than the training set."""
        self.batch_spin.setMaximum(max(1, n_train))

    def _applies(self, name: str) -> bool:
        return ModelConfig(kind=self.kind).applies(name)

    def _update_applicable(self) -> None:
        in_effect = None
        for name, widget in self.model_fields.items():
            applies = self._applies(name)
            if applies and name in self._set_aside:
                _show(widget, self._set_aside.pop(name))
            elif not applies:
                in_effect = in_effect or ModelConfig(kind=self.kind, hidden=(1,)).in_effect()
                self._set_aside.setdefault(name, _shown(widget))
                value = in_effect[name]
                _show(widget, format_hidden_sizes(value) if name == "hidden" else value)
            self._enable(widget, applies and not self._running)

    def _enable(self, widget, enabled: bool) -> None:
        """Enable a control and grey its label with it."""
        widget.setEnabled(enabled)
        label = self.model_form.labelForField(widget) or self.training_form.labelForField(widget)
        if label is not None:
            label.setEnabled(enabled)

    def _on_model_changed(self) -> None:
        single = self.kind == "two-layer"
        pattern = ONE_HIDDEN_SIZE_PATTERN if single else HIDDEN_SIZES_PATTERN
        self.hidden_edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self._update_applicable()   # first: it brings back the widths set aside for softmax or linear
        if single:   # keep the first width when leaving the MLP for the one-hidden-layer network
            self.hidden_edit.setText(self.hidden_edit.text().split(",")[0].strip())
        self._mark_hidden_acceptable()
        self._suggest_learning_rate()

    def _on_optimizer_changed(self) -> None:
        """Momentum is a setting of SGD, Nesterov and RMSProp only (AdaGrad has none, Adam its own)."""
        self._enable(self.momentum_spin, not self._running and self.optimizer_combo.currentData() in USES_MOMENTUM)

    def _suggest_learning_rate(self) -> None:
        """The rate the model and optimizer train well with, unless the user has set one: the
        adaptive optimizers (AdaGrad, RMSProp, Adam) want far smaller rates than SGD."""
        if not self.learning_rate_chosen:
            self._suggesting = True
            self.lr_spin.setValue(suggested_learning_rate(self.kind, self.optimizer_combo.currentData()))
            self._suggesting = False

    def _on_learning_rate_chosen(self) -> None:
        if not self._suggesting:
            self.learning_rate_chosen = True

    def _on_loss_changed(self) -> None:
        # binary cross-entropy is defined on probabilities: offer the output that makes them
        if self.loss_combo.currentData() == "bce":
            self.output_combo.setCurrentIndex(self.output_combo.findData("sigmoid"))

    def _mark_hidden_acceptable(self) -> None:
        """Unfinished text (such as "256,") is allowed while typing; the style sheet marks it."""
        self.hidden_edit.setProperty("acceptable", self.hidden_edit.hasAcceptableInput())
        self.hidden_edit.style().unpolish(self.hidden_edit)
        self.hidden_edit.style().polish(self.hidden_edit)
