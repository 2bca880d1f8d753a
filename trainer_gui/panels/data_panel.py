"""The data panel: open a folder, see what it holds, choose the validation share of a single split."""
import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout)

from ..i18n import is_language_change, translate
from ..training_data import DEFAULT_VALIDATION_FRACTION, TrainingData, needs_validation_split
from ..views.class_histogram import SPLIT_COLORS, ClassHistogram
from ..views.tiled_image import TiledImage

SAMPLE_IMAGES = (1, 10)    # rows, columns of the sample grid: one example of each class per row


class DataPanel(QGroupBox):
    open_requested = Signal()
    validation_fraction_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self._data = None   # the TrainingData shown, for its texts in another language
        self.open_button = QPushButton()
        self.open_button.setObjectName("openButton")
        self.open_button.clicked.connect(self.open_requested)
        self.path_label = QLabel()
        self.path_label.setObjectName("pathLabel")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel()
        self.message_label.setObjectName("dataMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.classes_label = QLabel(objectName="classNames", wordWrap=True)   # named classes only
        self.classes_label.hide()
        self.validation_spin = QSpinBox()
        self.validation_spin.setObjectName("validationSpin")
        self.validation_spin.setRange(5, 50)
        self.validation_spin.setSuffix(" %")
        self.validation_spin.setValue(round(100 * DEFAULT_VALIDATION_FRACTION))
        self.validation_spin.setKeyboardTracking(False)
        self.validation_spin.valueChanged.connect(
            lambda percent: self.validation_fraction_changed.emit(percent / 100))
        self.histogram = ClassHistogram()
        self.histogram.setFixedHeight(96)
        self.samples = TiledImage()
        self.samples.setObjectName("sampleDigits")
        self.samples.setFixedHeight(40)

        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.path_label, 1)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.validation_label = QLabel()
        form.addRow(self.validation_label, self.validation_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.classes_label)
        layout.addLayout(form)
        layout.addWidget(self.histogram)
        layout.addWidget(self.samples)
        self._single_split = False   # the validation share matters only when one split was found
        self.validation_spin.setEnabled(False)
        self.histogram.hide()
        self.samples.hide()
        self.retranslate()

    def retranslate(self) -> None:
        """The panel's texts in the current language."""
        self.setTitle(translate("DataPanel", "Data"))
        self.open_button.setText(translate("DataPanel", "Open data folder…"))
        self.open_button.setToolTip(translate("DataPanel", "A folder with train-/t10k- images and labels IDX "
                                                           "files, gzip or raw, or a folder of pictures with one "
                                                           "sub-folder per class (CSV and .npz files: File ▸ "
                                                           "Open data file…)"))
        self.validation_label.setText(translate("DataPanel", "Validation split"))
        self.validation_spin.setToolTip(translate("DataPanel", "Only one split was found: this share of it (its "
                                                               "last examples) is held out to validate on"))
        if self._data is None:
            self.path_label.setText(translate("DataPanel", "No data loaded"))
            # empty plots with meaningless axes say nothing: until data is loaded, say what will be here
            self.counts_label.setText(translate("DataPanel", "The examples per split, the classes and a few "
                                                             "examples appear here once data is loaded."))
        else:
            self._describe(self._data)

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    @property
    def validation_fraction(self) -> float:
        return self.validation_spin.value() / 100

    def show_data(self, data: TrainingData) -> None:
        """What was loaded: the folder, the examples per split, their classes, a few examples, and
        what the loader noted (pictures it skipped)."""
        self.show_error("\n".join(data.dataset.notes))
        self._single_split = needs_validation_split(data.dataset)
        path = data.dataset.path
        self.path_label.setText(f"…/{path.parent.name}/{path.name}" if path.parent.name else str(path))
        self.path_label.setToolTip(str(path))
        self._data = data
        self._describe(data)
        names = data.class_names
        self.histogram.show_counts({"train": data.y_train, data.eval_name: data.y_eval}, data.n_classes, names)
        self.histogram.show()
        self.samples.show()
        order = self._sample_order(data)
        self.samples.show_tiles(data.X_train[order].reshape(len(order), *data.image_shape), SAMPLE_IMAGES[1],
                                levels=(0, 1), tips=[names[c] for c in data.y_train[order]])
        self.set_editable(True)

    def _describe(self, data: TrainingData) -> None:
        """The examples per split and the classes, in words."""
        # the swatches make this line the histogram's legend (the split names are the files')
        counts = "  ".join(f"<span style='color:{color}'>■</span> {name} {count:,}"
                           for (name, count), color in zip(data.counts().items(), SPLIT_COLORS))
        origin = "<br>" + translate("DataPanel", "both from the {split} split").format(split=data.split_from) \
            if data.split_from else ""
        if data.train_of is not None:
            origin += "<br>" + translate("DataPanel", "training on the first {count} of {total} training examples") \
                .format(count=f"{len(data.y_train):,}", total=f"{data.train_of:,}")
        self.counts_label.setText(f"{counts}{origin}")
        # numbers are their own names; other names are listed (each "1 Trouser" kept on one line),
        # as the histogram may number its bars
        named = [f"{c} {name}".replace(" ", "\N{NO-BREAK SPACE}") for c, name in enumerate(data.class_names)
                 if name != str(c)]
        self.classes_label.setText(translate("DataPanel", "Classes: {names}").format(names=" · ".join(named)))
        self.classes_label.setVisible(bool(named))

    @staticmethod
    def _sample_order(data: TrainingData) -> list[int]:
        """The rows of the first examples of each class, so the grid shows every class at a glance."""
        rows, columns = SAMPLE_IMAGES
        picks = [np.flatnonzero(data.y_train == c)[:rows] for c in range(min(columns, data.n_classes))]
        return [column[r] for r in range(rows) for column in picks if r < len(column)]

    def show_loading(self, path) -> None:
        """A folder is loading (in the background): say so until show_data or show_error."""
        self.show_error(translate("DataPanel", "Loading {path}…").format(path=path))

    def show_error(self, message: str) -> None:
        """A loading problem, in the panel; empty hides it."""
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

    def set_editable(self, editable: bool) -> None:
        """Open and the validation share are fixed while a run exists."""
        self.open_button.setEnabled(editable)
        self.validation_spin.setEnabled(editable and self._single_split)
