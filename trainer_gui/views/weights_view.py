"""First-layer weights as 28×28 images, on a diverging colour scale centred on zero, with paging."""
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from . import WEIGHT_COLORMAP, class_labels
from ..tiles import grid_columns, page_count, symmetric_limit, unit_images
from .tiled_image import TiledImage
from ..redraw_schedule import sticky_limit
from ..i18n import translate

UNITS_PER_PAGE = 100      # a 10×10 grid: each tile still big enough to see a stroke in
LABELLED_TILES = 16       # up to this many tiles (the 10 classes of softmax) get a caption


CHANGE, WEIGHTS = "change", "weights"


class WeightsView(QWidget):
    """Shows `snapshot.weights[0]` (inputs × units): one tile per unit, or per class for softmax.

    By default it shows the change since the first snapshot, W − W₀: a randomly initialised layer
    keeps its initial noise for many epochs, and the strokes it learns only stand out once that
    noise is taken away. The mode box switches to the weights themselves.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.title = QLabel(translate("Views", "Weights of the first layer"), wordWrap=True)
        self.title.setObjectName("viewTitle")
        self.tiles = TiledImage(self)
        self.colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=pg.colormap.get(WEIGHT_COLORMAP),
                                        interactive=False, width=14, colorMapMenu=False)
        self.colorbar.setImageItem(self.tiles.image)
        self.tiles.addItem(self.colorbar, row=0, col=1)
        # room above and below the bar for half of its end labels, which were clipped with 2 px
        self.tiles.ci.layout.setContentsMargins(2, 8, 2, 8)
        self.previous_button = QToolButton(text="◀", toolTip=translate("Views", "Previous page of units"))
        self.next_button = QToolButton(text="▶", toolTip=translate("Views", "Next page of units"))
        self.page_label = QLabel(wordWrap=True)
        self.mode_combo = QComboBox(objectName="weightsModeCombo")
        self.mode_combo.addItem(translate("Views", "change since start"), CHANGE)
        self.mode_combo.addItem(translate("Views", "weights"), WEIGHTS)
        self.mode_combo.setToolTip(translate("Views", "W − W₀ shows what training has added to the random start"))
        self.mode_combo.currentIndexChanged.connect(self._redraw)
        self.previous_button.clicked.connect(lambda: self.turn_page(-1))
        self.next_button.clicked.connect(lambda: self.turn_page(+1))
        pager = QHBoxLayout()
        pager.addWidget(self.previous_button)
        pager.addWidget(self.page_label, 1)
        pager.addWidget(self.next_button)
        pager.addWidget(self.mode_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tiles, 1)
        layout.addLayout(pager)
        self.image_shape = (28, 28)
        self.per_class = False      # the units are the output classes (softmax, linear)
        self.class_names = ()       # the data's, which name those classes
        self.page = 0
        self._weights = self._initial = None   # (rows*cols, units) now and at step 0
        self._limit = self._limit_mode = None  # the colour range's limit, and whether it was of the change
        self.clear_weights()

    def set_model(self, image_shape, per_class: bool, initial=None) -> None:
        """initial: W₀ when the run does not start from step 0 (a saved model continued); else the
        first snapshot is taken as W₀."""
        self.image_shape, self.per_class, self.page = tuple(image_shape), per_class, 0
        self._initial, self._limit = initial, None

    def set_initial(self, initial) -> None:
        """W₀ of the run, known once its model is built (before any snapshot is drawn)."""
        self._initial = initial

    def show_moment(self, moment, class_names=()) -> None:
        """moment: a recorded Moment (its first layer is drawn); the one before the first step
        becomes W₀ if none was set. class_names: the data's, the captions of per-class tiles."""
        self.class_names = tuple(class_names)
        if moment.step == 0 or self._initial is None:
            self._initial = moment.weights[0]
        self._weights = moment.weights[0]
        self.shown_step = moment.step
        self._draw()

    @property
    def shown_weights(self):
        """The first-layer weights (inputs × units) of the moment shown, or None."""
        return self._weights

    def _redraw(self) -> None:
        if self._weights is not None:
            self._draw()

    def turn_page(self, delta: int) -> None:
        if self._weights is None:
            return
        pages = page_count(self._weights.shape[1], UNITS_PER_PAGE)
        self.page = min(max(self.page + delta, 0), pages - 1)
        self._draw()

    def _draw(self) -> None:
        change = self.mode_combo.currentData() == CHANGE
        weights = self._weights - self._initial if change else self._weights
        units = weights.shape[1]
        start = self.page * UNITS_PER_PAGE
        images = unit_images(weights, self.image_shape, start, UNITS_PER_PAGE)
        # the colour range of the weights (or of their change) moves only when it must
        kept = self._limit if self._limit_mode == change else None
        self._limit, self._limit_mode = sticky_limit(kept, symmetric_limit(weights)), change
        limit = self._limit
        self.colorbar.setLevels((-limit, limit))
        shown = range(start, start + len(images))
        if self.per_class:
            names = class_labels(self.class_names, units)
            tips = [translate("Views", "class {unit}").format(unit=unit) + (f": {names[unit]}" if names[unit] != str(unit) else "")
                    for unit in shown]
            captions = [names[unit] for unit in shown]
        else:
            tips = [translate("Views", "hidden unit {unit}").format(unit=unit) for unit in shown]
            captions = [str(unit) for unit in shown]
        aspect = 2.5 if units <= LABELLED_TILES else 1.0   # few tiles: wide rows suit the panel
        self.tiles.show_tiles(images, grid_columns(len(images), aspect), (-limit, limit),
                              captions if units <= LABELLED_TILES else (), tips)
        kind = translate("Views", "Classes") if self.per_class else translate("Views", "Hidden units")
        what = translate("Views", "change since start") if change else translate("Views", "weights")
        self.title.setText(f"{kind}: {what}")
        self.page_label.setText(translate("Views", "{first}–{last} of {units}").format(
            first=start + 1, last=start + len(images), units=units))
        pages = page_count(units, UNITS_PER_PAGE)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < pages - 1)

    def clear_weights(self) -> None:
        self._weights = self._initial = self.shown_step = None
        self._limit = self._limit_mode = None
        self.tiles.clear_tiles()
        self.page_label.setText(translate("Views", "Start training to see the weights"))
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)
