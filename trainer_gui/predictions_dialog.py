"""The predictions of the model on screen for images without labels (a CSV without its label column):
how many of each class, the first images with what the model says they are, and a Kaggle
submission file to save. There is nothing to evaluate: the dialog says so, and offers no evaluation."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from engine.files import atomic_write

from .predictions import predictions_csv
from .views import class_labels
from .views.class_histogram import ClassHistogram
from .views.tiled_image import TiledImage

GALLERY = (3, 12)   # rows, columns of the first images shown with their predictions


class PredictionsDialog(QDialog):
    """Non-modal: the window stays usable beside it. `ask_path(kind, start)` is the window's one
    door to its file dialogs (MainWindow._ask_path); `message(text)` reports a save."""

    def __init__(self, path: Path, images: np.ndarray, image_shape, predicted: np.ndarray,
                 confidence: np.ndarray, class_names, ask_path, message, parent=None):
        super().__init__(parent)
        self.setObjectName("predictionsDialog")
        self.setWindowTitle(f"Predictions for {path.name}")
        self.path, self.predicted, self.confidence = Path(path), predicted, confidence
        self._ask_path, self._message = ask_path, message
        n_classes = len(class_names)
        names = class_labels(class_names, n_classes)
        counts = np.bincount(predicted, minlength=n_classes)
        self.summary = QLabel(objectName="predictionsSummary", wordWrap=True)
        self.summary.setText(
            f"{len(predicted):,} images without labels, classified by the model on screen. Evaluation is "
            f"disabled: there are no labels to compare its answers with. Most often predicted: "
            + ", ".join(f"{names[c]} ({counts[c]:,})" for c in np.argsort(-counts, kind="stable")[:3]
                        if counts[c]) + ".")
        self.histogram = ClassHistogram()
        self.histogram.setFixedHeight(110)
        self.histogram.show_counts({"predicted": predicted}, n_classes, class_names)
        self.gallery = TiledImage()
        self.gallery.setObjectName("predictionsGallery")
        self.gallery.setMinimumHeight(220)
        shown = min(len(predicted), GALLERY[0] * GALLERY[1])
        if shown < len(predicted):   # the gallery holds a few rows: say which images they are
            self.summary.setText(self.summary.text() + f" Below: the first {shown} of them, with the class "
                                 "each was given (Save as CSV… writes them all).")
        self.gallery.show_tiles(images[:shown].reshape(shown, *image_shape), GALLERY[1], levels=(0, 1),
                                captions=[names[c] for c in predicted[:shown]],
                                tips=[f"image {i + 1}: {names[c]} ({confidence[i]:.3g})"
                                      for i, c in enumerate(predicted[:shown])])
        self.save_button = QPushButton("Save as CSV…", objectName="savePredictions")
        self.save_button.setToolTip("ImageId,Label: one line per image, as a Kaggle submission")
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.histogram)
        layout.addWidget(self.gallery, 1)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def save(self) -> bool:
        """Ask where, then write the predictions as ImageId,Label lines; a failure is reported."""
        chosen = self._ask_path("predictions_csv", str(self.path.with_name(f"{self.path.stem}-predictions.csv")))
        if not chosen:
            return False
        target = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".csv")
        text = predictions_csv(self.predicted).encode("utf-8")
        try:
            atomic_write(target, lambda out: out.write(text))
        except OSError as error:
            self._message(f"Could not save the predictions to {target}: {error.strerror or error}")
            return False
        self._message(f"Saved {len(self.predicted):,} predictions to {target}")
        return True
