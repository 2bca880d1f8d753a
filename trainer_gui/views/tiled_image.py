"""A grid of same-sized images drawn as one ImageItem, with optional numbers on the tiles."""
import numpy as np
import pyqtgraph as pg

from ..tiles import tile_images


class TiledImage(pg.GraphicsLayoutWidget):
    """One locked-aspect, top-down ViewBox holding an ImageItem of tiled images.

    Used for the sample digits (grey) and the weight images (diverging colours); callers may add
    items such as a ColorBarItem to the layout's next column.
    """

    def __init__(self, parent=None, gap: int = 1):
        super().__init__(parent)
        self.gap = gap
        self.ci.layout.setContentsMargins(2, 2, 2, 2)
        self.view_box = self.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMouse=False)
        self.view_box.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.view_box.addItem(self.image)
        self._captions: list[pg.TextItem] = []
        self._shape = None

    def show_tiles(self, images: np.ndarray, columns: int, levels, captions=()) -> None:
        """Draw (n, h, w) images row by row; `captions`, if given, label each tile's corner."""
        picture = tile_images(images, columns, self.gap)
        self.image.setImage(picture, levels=levels, autoLevels=False)
        if picture.shape != self._shape:   # fit the view only when the layout changed, not every frame
            self._shape = picture.shape
            self.view_box.setRange(xRange=(0, picture.shape[1]), yRange=(0, picture.shape[0]), padding=0.02)
        self._show_captions(images.shape[1:], columns, captions)

    def _show_captions(self, tile_shape, columns: int, captions) -> None:
        h, w = tile_shape
        while len(self._captions) < len(captions):
            item = pg.TextItem(color="#202020", anchor=(0, 0), fill=(255, 255, 255, 170))
            self.view_box.addItem(item)
            self._captions.append(item)
        for i, item in enumerate(self._captions):
            item.setVisible(i < len(captions))
            if i < len(captions):
                row, col = divmod(i, columns)
                item.setText(str(captions[i]))
                item.setPos(col * (w + self.gap), row * (h + self.gap))

    def clear_tiles(self) -> None:
        self.image.clear()
        self._shape = None
        for item in self._captions:
            item.setVisible(False)
