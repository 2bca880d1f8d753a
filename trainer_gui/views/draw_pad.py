"""The draw pad: a digit drawn with the mouse or a pen, or a held-out digit put on it."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..i18n import translate

CANVAS = 280            # px of the canvas a drawing is made on: ten times MNIST's 28
DEFAULT_BRUSH = 20      # px at canvas scale: a pen stroke about as thick as MNIST's


class DrawPad(QWidget):
    """A square canvas, white ink on black as MNIST's digits are, shown at the widget's size.

    Strokes are kept (Undo removes the last). `set_image(array)` puts a 2-D image in [0, 1] on the
    pad: an image of the data's own size (`digit_shape`, e.g. a held-out digit) is taken as it is,
    anything else as a drawing. Drawing over a digit turns it into a drawing.

    Signals: changed(): what the pad holds changed (a stroke grew, Clear, Undo, set_image).
    """
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("drawPad")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(translate("Views", "Draw a digit with the mouse or a pen"))
        self.brush = DEFAULT_BRUSH
        self.digit_shape = (28, 28)
        self._strokes: list[tuple[float, list[QPointF]]] = []   # (width, points in canvas px)
        self._background = None    # a grey image (CANVAS, CANVAS) under the strokes, or None
        self.digit = None          # the image given as it is (digit_shape), while no stroke is drawn over it
        self._canvas = QImage(CANVAS, CANVAS, QImage.Format.Format_Grayscale8)
        self._render()

    # --- what it holds -----------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return self.digit is None and self._background is None and not self._strokes

    def image(self) -> np.ndarray:
        """The canvas (CANVAS, CANVAS) as float32 in [0, 1], ink high."""
        pointer = self._canvas.constBits()
        rows = np.frombuffer(pointer, np.uint8).reshape(CANVAS, self._canvas.bytesPerLine())
        return rows[:, :CANVAS].astype(np.float32) / 255.0

    def set_image(self, array) -> None:
        """Put a 2-D image with values in [0, 1] on the pad (see the class)."""
        array = np.clip(np.nan_to_num(np.asarray(array, np.float32)), 0.0, 1.0)
        if array.ndim != 2 or 0 in array.shape:
            raise ValueError(f"the draw pad shows a 2-D image, not an array of shape {array.shape}")
        self._strokes = []
        self.digit = array.copy() if array.shape == tuple(self.digit_shape) else None
        # nearest neighbour up to the canvas: a digit's pixels stay visible as pixels
        rows = (np.arange(CANVAS) * array.shape[0] // CANVAS)
        cols = (np.arange(CANVAS) * array.shape[1] // CANVAS)
        self._background = np.ascontiguousarray((array[rows][:, cols] * 255).astype(np.uint8))
        self._render()
        self.changed.emit()

    def clear(self) -> None:
        self._strokes, self._background, self.digit = [], None, None
        self._render()
        self.changed.emit()

    def undo(self) -> None:
        """Remove the last stroke."""
        if self._strokes:
            self._strokes.pop()
            self._render()
            self.changed.emit()

    # --- drawing -----------------------------------------------------------------------------
    def _to_canvas(self, position) -> QPointF:
        side = self._side()
        rect = self._target(side)
        return QPointF((position.x() - rect.x()) * CANVAS / side, (position.y() - rect.y()) * CANVAS / side)

    def _begin(self, position, width: float) -> None:
        self.digit = None   # drawn over: a drawing now
        self._strokes.append((width, [self._to_canvas(position)]))
        self._render_last()

    def _extend(self, position) -> None:
        if self._strokes:
            self._strokes[-1][1].append(self._to_canvas(position))
            self._render_last()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), self.brush)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def tabletEvent(self, event) -> None:
        """A pen draws as the mouse does, its pressure thickening the stroke."""
        kind = event.type()
        if kind == event.Type.TabletPress:
            self._begin(event.position(), self.brush * (0.5 + event.pressure()))
        elif kind == event.Type.TabletMove and event.pressure() > 0:
            self._extend(event.position())
        event.accept()

    def _render(self) -> None:
        """Redraw the canvas from the background and every stroke."""
        self._canvas.fill(QColor(0, 0, 0))
        if self._background is not None:
            background = QImage(self._background.data, CANVAS, CANVAS, CANVAS, QImage.Format.Format_Grayscale8)
            painter = QPainter(self._canvas)
            painter.drawImage(0, 0, background)
            painter.end()
        for stroke in self._strokes:
            self._paint(stroke)
        self.update()

    def _render_last(self) -> None:
        width, points = self._strokes[-1]
        self._paint((width, points[-2:]))   # only the new segment: the rest is on the canvas already
        self.update()
        self.changed.emit()

    def _paint(self, stroke) -> None:
        width, points = stroke
        painter = QPainter(self._canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        if len(points) == 1:
            painter.drawPoint(points[0])
        else:
            painter.drawPolyline(points)
        painter.end()

    # --- showing -----------------------------------------------------------------------------
    def _side(self) -> float:
        return max(min(self.width(), self.height()) - 2, 1)

    def _target(self, side: float) -> QRectF:
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        target = self._target(self._side())
        painter.drawImage(target, self._canvas)
        painter.setPen(QPen(QColor("#7a7a7a"), 1))
        painter.drawRect(target)
        if self.empty:
            painter.setPen(QColor("#d0d0d0"))
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, translate("Views", "Draw a digit here"))
        painter.end()
