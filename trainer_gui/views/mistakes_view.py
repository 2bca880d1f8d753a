"""The misclassified held-out digits, most confident mistake first, each with true → predicted."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

CELL_SIZE = (84, 100)   # px (width, height) of a digit, its caption and the spacing; the grid fills the view


class MistakesView(QWidget):
    """A grid of as many mistakes as fit, redrawn from an engine Evaluation."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("mistakesView")
        self.title = QLabel("Misclassified digits", wordWrap=True)
        self.title.setObjectName("viewTitle")
        self.grid = pg.GraphicsLayoutWidget(self)
        self.grid.ci.layout.setSpacing(2)
        self.grid.ci.layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        self.cells: list[tuple[pg.LabelItem, pg.ImageItem, pg.ViewBox]] = []
        self._grid_shape = (0, 0)
        self._shown = None     # (report, X_eval, y_eval, image_shape, eval_name, as_probability)

    def show_evaluation(self, report, X_eval, y_eval, image_shape, eval_name: str,
                        as_probability: bool) -> None:
        """report: an EvaluationReport; X_eval (n, rows*cols) and y_eval (n,) the set it evaluated."""
        self._shown = (report, X_eval, y_eval, tuple(image_shape), eval_name, as_probability)
        self._draw()

    def shown_count(self) -> int:
        """How many mistakes the grid shows right now."""
        return sum(1 for _, image, _ in self.cells if image.image is not None and image.isVisible())

    def clear_evaluation(self) -> None:
        self._shown = None
        self.title.setText("Misclassified digits")
        self._draw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_grid()

    def _fit_grid(self) -> None:
        """As many cells as fit this widget's size (measured here: the grid may not be laid out yet)."""
        columns = max(1, self.width() // CELL_SIZE[0])
        rows = max(1, (self.height() - self.title.sizeHint().height()) // CELL_SIZE[1])
        if (rows, columns) == self._grid_shape:
            return
        self._grid_shape = (rows, columns)
        self.grid.clear()
        self.cells = []
        for i in range(rows * columns):
            cell = self.grid.addLayout(row=i // columns, col=i % columns)
            cell.setSpacing(0)
            caption = cell.addLabel("", row=0, col=0, size="10pt")
            view = cell.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMouse=False)
            view.setMenuEnabled(False)
            image = pg.ImageItem()
            view.addItem(image)
            self.cells.append((caption, image, view))
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            for caption, image, _ in self.cells:
                caption.setText("")
                image.clear()
            return
        report, X_eval, y_eval, image_shape, eval_name, as_probability = self._shown
        wrong = report.evaluation.misclassified
        total = len(y_eval)
        self.title.setText(f"Misclassified: {len(wrong.indices):,} of {total:,} ({len(wrong.indices) / total:.1%}), "
                           "worst first")
        self.title.setToolTip(f"{eval_name} digits the model gets wrong, the most confident mistakes first")
        for i, (caption, image, view) in enumerate(self.cells):
            if i >= len(wrong.indices):
                caption.setText("")
                image.clear()
                continue
            row = wrong.indices[i]
            confidence = wrong.confidence[i]
            # an output score is usually near 1, but a run about to diverge gives 1e+19: keep it short
            sureness = f"{confidence:.0%}" if as_probability else f"{confidence:.3g}"
            caption.setText(f"{y_eval[row]}→{wrong.predicted[i]} {sureness}", color="#202020")
            # white digit on black, as MNIST is usually shown
            image.setImage(np.asarray(X_eval[row]).reshape(image_shape), levels=(0, 1), autoLevels=False)
            view.autoRange(padding=0)
