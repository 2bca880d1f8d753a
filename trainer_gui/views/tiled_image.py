"""A grid of same-sized images drawn as one ImageItem, with optional captions and tooltips on the tiles."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QToolTip

from .. import views
from ..tiles import tile_images

CAPTION_POINTS = 8
CAPTION_MARGIN = 1     # px around a caption's text, inside its white backing


class TiledImage(pg.GraphicsLayoutWidget):
    """One locked-aspect, top-down ViewBox holding an ImageItem of tiled images.

    Used for the sample images (grey) and the weight images (diverging colours); callers may add
    items such as a ColorBarItem to the layout's next column. Captions sit in the tiles' corners,
    shortened to the tile's width on screen (a class name such as "Ankle boot" is wider than a small
    tile); the tooltip of the tile under the mouse says it in full.
    """

    def __init__(self, parent=None, gap: int = 1):
        super().__init__(parent)
        self.gap = gap
        self.ci.layout.setContentsMargins(2, 2, 2, 2)
        self.view_box = self.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.view_box.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.view_box.addItem(self.image)
        self.caption_font = QFont()
        self.caption_font.setPointSizeF(CAPTION_POINTS * views.FONT_SCALE)
        self._captions: list[pg.TextItem] = []
        self.captions: list[str] = []   # in full; the items may show them shortened
        self.tips: list[str] = []
        self._shape = None
        self._layout = None             # ((h, w), columns, count) of the tiles shown
        self.view_box.sigResized.connect(self._fit_captions)
        self.scene().sigMouseMoved.connect(self._hover)

    def show_tiles(self, images: np.ndarray, columns: int, levels, captions=(), tips=()) -> None:
        """Draw (n, h, w) images row by row; `captions`, if given, label each tile's corner, and
        `tips` are the tiles' tooltips."""
        picture = tile_images(images, columns, self.gap)
        self.image.setImage(picture, levels=levels, autoLevels=False)
        if picture.shape != self._shape:   # fit the view only when the layout changed, not every frame
            self._shape = picture.shape
            self.view_box.setRange(xRange=(0, picture.shape[1]), yRange=(0, picture.shape[0]), padding=0.02)
        self._layout = (images.shape[1:], columns, len(images))
        self.tips = [str(tip) for tip in tips]
        self._show_captions([str(caption) for caption in captions])

    def _show_captions(self, captions: list[str]) -> None:
        (h, w), columns, _ = self._layout
        while len(self._captions) < len(captions):
            item = pg.TextItem(color="#202020", anchor=(0, 0), fill=(255, 255, 255, 170))
            item.textItem.setFont(self.caption_font)
            item.textItem.document().setDocumentMargin(CAPTION_MARGIN)
            self.view_box.addItem(item)
            self._captions.append(item)
        for i, item in enumerate(self._captions):
            item.setVisible(i < len(captions))
            if i < len(captions):
                row, col = divmod(i, columns)
                item.setPos(col * (w + self.gap), row * (h + self.gap))
        self.captions = captions
        self._fit_captions()

    def rescale_captions(self, ratio: float) -> None:
        """Captions ×ratio (presentation mode)."""
        self.caption_font.setPointSizeF(self.caption_font.pointSizeF() * ratio)
        for item in self._captions:
            item.textItem.setFont(self.caption_font)
        self._fit_captions()

    def _fit_captions(self, *_) -> None:
        """Each caption shortened to its tile's width on screen (again at every resize)."""
        if self._layout is None or not self.captions:
            return
        pixel = self.view_box.viewPixelSize()[0]    # view units (image pixels) per screen pixel
        room = self._layout[0][1] / pixel - 2 * CAPTION_MARGIN if pixel > 0 else 0
        metrics = QFontMetricsF(self.caption_font)
        for item, caption in zip(self._captions, self.captions):
            item.setText(metrics.elidedText(caption, Qt.TextElideMode.ElideRight, max(room, 0)))

    def shown_captions(self) -> list[str]:
        """The captions as the tiles show them now (shortened where a tile is too narrow)."""
        return [item.textItem.toPlainText() for item in self._captions[:len(self.captions)]]

    def tile_at(self, scene_pos):
        """The index of the tile at a scene position, or None."""
        if self._layout is None:
            return None
        (h, w), columns, count = self._layout
        point = self.view_box.mapSceneToView(scene_pos)
        row, col = int(point.y() // (h + self.gap)), int(point.x() // (w + self.gap))
        index = row * columns + col
        return index if 0 <= row and 0 <= col < columns and index < count else None

    def _hover(self, scene_pos) -> None:
        index = self.tile_at(scene_pos)
        if index is None or index >= len(self.tips):
            QToolTip.hideText()
            return
        where = self.mapToGlobal(self.mapFromScene(scene_pos)) + QPoint(12, 12)
        QToolTip.showText(where, self.tips[index], self)

    def clear_tiles(self) -> None:
        self.image.clear()
        self._shape = self._layout = None
        self.captions, self.tips = [], []
        for item in self._captions:
            item.setVisible(False)
