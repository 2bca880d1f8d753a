"""What the File and Dataset menus do: open and save models, export models (ONNX, PyTorch), views,
metrics and the weights animation, download data.

The engine does the work (engine.persist, engine.export, engine.datasets; animation.py draws the GIF's frames);
this module asks the window for paths (`MainWindow._ask_path`, the one place file dialogs open) and
reports failures through `message`, leaving the data and the run on screen as they were.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal, Slot
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import QWidget

from engine import MLP, ModelFileError, datasets, load_run, save_run
from engine.export import FORMATS, export_model
from engine.files import atomic_write

from .i18n import QT_TRANSLATE_NOOP, translate
from .animation import Sheet, WeightsAnimation
from .code_dialog import CodeDialog
from .download_dialog import DownloadDialog
from .metrics_csv import write_metrics
from .state.compare import comparison_csv
from .tiles import grid_columns, page_count
from .training.background import BackgroundJob
from .training.opened_run import OpenedRun
from .views import class_labels
from .views.weights_view import CHANGE, LABELLED_TILES, UNITS_PER_PAGE
from .state.run_state import enabled_controls
from .transfer import mirrors_from_environment

# kind of path: (QFileDialog function, caption, name filter or None for a folder), translated when asked
FILE_DIALOGS = {
    "data_folder": ("getExistingDirectory",
        QT_TRANSLATE_NOOP("FileDialogs", "Open a folder of IDX files, or of pictures in class folders"), None),
    "data_file": ("getOpenFileName", QT_TRANSLATE_NOOP("FileDialogs", "Open a data file"),
        QT_TRANSLATE_NOOP("FileDialogs", "Data files (*.csv *.npz *-ubyte *-ubyte.gz);;CSV files (*.csv);;"
                                         "NumPy archives (*.npz);;All files (*)")),
    "open_model": ("getOpenFileName", QT_TRANSLATE_NOOP("FileDialogs", "Open a saved model"),
        QT_TRANSLATE_NOOP("FileDialogs", "Saved models (*.npz)")),
    "save_model": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Save the model"),
        QT_TRANSLATE_NOOP("FileDialogs", "Saved models (*.npz)")),
    "png": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export a view"),
        QT_TRANSLATE_NOOP("FileDialogs", "PNG images, twice the screen's pixels (*.png);;SVG drawings (*.svg)")),
    "csv": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export the metrics per epoch"),
        QT_TRANSLATE_NOOP("FileDialogs", "CSV files (*.csv)")),
    "gif": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export the weights as an animation"),
        QT_TRANSLATE_NOOP("FileDialogs", "GIF animations (*.gif)")),
    "compare_csv": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export the comparison of the runs"),
        QT_TRANSLATE_NOOP("FileDialogs", "CSV files (*.csv)")),
    "onnx": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export the model as ONNX"),
        QT_TRANSLATE_NOOP("FileDialogs", "ONNX models (*.onnx)")),
    "safetensors": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Export the model for PyTorch"),
        QT_TRANSLATE_NOOP("FileDialogs", "safetensors files (*.safetensors)")),
    "open_lesson": ("getOpenFileName", QT_TRANSLATE_NOOP("FileDialogs", "Open a lesson"),
        QT_TRANSLATE_NOOP("FileDialogs", "Lessons (*.json *.toml)")),
    "save_lesson": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Save as lesson"),
        QT_TRANSLATE_NOOP("FileDialogs", "Lessons (*.json)")),
    "predictions_csv": ("getSaveFileName", QT_TRANSLATE_NOOP("FileDialogs", "Save the predictions"),
        QT_TRANSLATE_NOOP("FileDialogs", "CSV files (*.csv)")),
}
# format: its menu item (marked for translation: the menu translates it)
MODEL_EXPORTS = {"onnx": "ONNX…", "safetensors": QT_TRANSLATE_NOOP("FileActions", "PyTorch (safetensors)…")}
PNG_EXPORTS = {   # name: (menu text, suggested file name, the widget to draw)
    "loss": (QT_TRANSLATE_NOOP("FileActions", "Loss plot"), "loss.png", lambda window: window.loss_plot),
    "error": (QT_TRANSLATE_NOOP("FileActions", "Error plot"), "error.png", lambda window: window.error_plot),
    "confusion": (QT_TRANSLATE_NOOP("FileActions", "Confusion matrix"), "confusion.png",
                  lambda window: window.confusion_view),
    "weights": (QT_TRANSLATE_NOOP("FileActions", "Weight images"), "weights.png",
                lambda window: window.weights_view.tiles),
    "mistakes": (QT_TRANSLATE_NOOP("FileActions", "Misclassified gallery"), "mistakes.png",
                 lambda window: window.mistakes_view),
}
EXPORT_SCALE = 2   # a PNG export has this many pixels per pixel on screen: sharp on a slide or in print
STATUS_MS = 8000   # how long a success stays in the status bar


def widget_png(widget, scale: float = EXPORT_SCALE) -> bytes:
    """The widget as it looks on screen, drawn again at `scale` × its size in pixels, as PNG bytes.

    The same layout at a higher pixel ratio, not a larger layout: text, lines and the confusion
    matrix's counts all grow with it, as they would on a sharper screen.
    """
    if widget.width() < 1 or widget.height() < 1:
        raise ValueError("the view is not on screen")
    pixmap = QPixmap(widget.size() * scale)
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(widget.palette().color(QPalette.ColorRole.Window))
    QWidget.render(widget, pixmap)   # the widget and its children (a QGraphicsView's own render draws its scene)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):
        raise ValueError("Qt could not encode the image as PNG")
    return bytes(data)


def widget_svg(widget, title: str) -> bytes:
    """The widget drawn as SVG: lines and text stay vectors (images, such as weights, are embedded)."""
    from PySide6.QtSvg import QSvgGenerator

    if widget.width() < 1 or widget.height() < 1:
        raise ValueError("the view is not on screen")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(widget.size())
    generator.setViewBox(widget.rect())
    generator.setTitle(title)
    QWidget.render(widget, generator)
    return bytes(data)


def _with_suffix(path: str, suffix: str) -> Path:
    path = Path(path)
    return path if path.suffix else path.with_suffix(suffix)


def _reason(error: Exception) -> str:
    """An OSError's own words without the errno prefix: 'Permission denied', 'No space left on device'."""
    if isinstance(error, MemoryError):
        return "there is not enough memory"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def animation_sheet(view, units: int, class_names=()) -> Sheet:
    """The tiles the weights view draws for a layer of `units` units, as an animation.Sheet: the
    page on screen (the first, unless the view was paged), in the view's columns and mode, with its
    captions (classes, when there are at most LABELLED_TILES units)."""
    page = min(view.page, page_count(units, UNITS_PER_PAGE) - 1)
    start = page * UNITS_PER_PAGE
    count = min(UNITS_PER_PAGE, units - start)
    aspect = 2.5 if units <= LABELLED_TILES else 1.0     # as WeightsView._draw lays them out
    captions = ()
    if units <= LABELLED_TILES:
        captions = (class_labels(class_names, units) if view.per_class else [str(u) for u in range(units)])
        captions = tuple(captions[start:start + count])
    return Sheet(tuple(view.image_shape), start, count, grid_columns(count, aspect),
                 view.mode_combo.currentData() == CHANGE, captions)


class FileActions(QObject):
    """The window's file commands; `window` is the MainWindow they act on.

    message(text) carries every failure to the window's message banner.
    """
    message = Signal(str)
    animation_exported = Signal(bool)   # a weights animation was written (True) or could not be

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.folder = Path.home()   # where the next file dialog starts: the last folder used
        self.download_dialog: DownloadDialog | None = None
        self.animation_job: BackgroundJob | None = None   # writing a weights animation, while it runs
        self.code_dialog: CodeDialog | None = None        # the PyTorch code of the last safetensors export

    def _ask(self, kind: str, suggested_name: str = "") -> Path | None:
        chosen = self.window._ask_path(kind, str(self.folder / suggested_name))
        if not chosen:
            return None
        path = Path(chosen)
        self.folder = path if kind == "data_folder" else path.parent
        return path

    def _report(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _settings_editable(self, doing: str) -> bool:
        if enabled_controls(self.window.state)["settings"]:
            return True
        self.message.emit(translate("FileActions", "Stop the run before {doing}.").format(doing=doing))
        return False

    # --- models ---------------------------------------------------------------------------
    def open_model(self, path=None) -> bool:
        """Open a saved model on the loaded data (or, with none loaded, on the data it names).

        A file that cannot be read or does not fit the data changes nothing but the message.
        """
        if not self._settings_editable(translate("FileActions", "opening a model")):
            return False
        if self.window.loading:
            self.message.emit(translate("FileActions", "The data is still loading: open the model when it is on "
                                                       "screen."))
            return False
        path = path or self._ask("open_model")
        if not path:
            return False
        try:
            saved = load_run(path)
        except ModelFileError as error:
            self.message.emit(translate("FileActions", "Could not open the model: {error}").format(error=error))
            return False
        if self.window.data is None:
            return self._load_data_of(saved, path)
        return self._open_on_data(saved, path)

    def _open_on_data(self, saved, path) -> bool:
        try:
            opened = OpenedRun(saved, path, self.window.data)
        except (ValueError, IndexError) as error:
            self.message.emit(translate("FileActions", "Could not open {file}: {error}").format(file=Path(path).name,
                                                                                               error=error))
            return False
        self.window.show_opened_run(opened)
        self.window.settings.add_recent("model", path)
        self._report(translate("FileActions", "Opened {path}: {epochs} epochs, {samples} samples seen. Start or "
                                              "Step continues its training.")
                     .format(path=path, epochs=opened.trainer.epoch, samples=f"{opened.trainer.samples_seen:,}"))
        return True

    def _load_data_of(self, saved, path) -> bool:
        """With no data loaded, load the folder the model was trained on, if the file names one, and
        open the model on it once it has loaded (the window loads data in the background)."""
        file_name = Path(path).name
        folder = saved.extra.get("data")
        if not folder or not Path(folder).exists():
            self.message.emit(translate("FileActions", "Open the data {file} was trained on first (File ▸ Open data "
                                                       "folder…).").format(file=file_name))
            return False
        validation = saved.extra.get("validation")
        if isinstance(validation, float) and 0 < validation < 1:
            self.window.data_panel.validation_spin.setValue(round(100 * validation))

        def loaded(ok: bool) -> None:
            self.window.data_loaded.disconnect(loaded)
            data = self.window.data
            if ok and Path(data.dataset.path).resolve() != Path(folder).resolve():
                self.message.emit(translate("FileActions", "Other data was opened while {folder} loaded, so {file} "
                                                           "was not opened on it: open the model again.")
                                  .format(folder=folder, file=file_name))
            elif ok:
                self._open_on_data(saved, path)
            else:
                self.message.emit(translate("FileActions", "{file} was trained on {folder}, which could not be "
                                                           "opened (see the data panel).")
                                  .format(file=file_name, folder=folder))

        self.window.data_loaded.connect(loaded)
        self.window.load_data(folder)
        return True

    def save_model(self, path=None) -> bool:
        """Save the run on screen; during training the worker waits for the save between two steps."""
        window = self.window
        trainer, configs = window.trainer, window.run_configs
        if trainer is None:
            self.message.emit(translate("FileActions", "Nothing to save yet: train a model or open one first."))
            return False
        path = path or self._ask("save_model", "model.npz")
        if not path:
            return False
        path = _with_suffix(path, ".npz")
        extra = {"data": str(window.data.dataset.path), "validation": window.data_panel.validation_fraction}
        try:
            with trainer.consistent() as state:
                save_run(path, state, *configs, extra=extra)
                epochs, samples = state.epoch, state.samples_seen
        except OSError as error:
            self.message.emit(translate("FileActions", "Could not save the model to {path}: {reason}")
                              .format(path=path, reason=_reason(error)))
            return False
        self._report(translate("FileActions", "Saved the model after {epochs} epochs ({samples} samples) to {path}")
                     .format(epochs=epochs, samples=f"{samples:,}", path=path))
        self.window.settings.add_recent("model", path)
        return True

    # --- exports --------------------------------------------------------------------------
    def export_model(self, format: str, path=None) -> bool:
        """The model on screen as ONNX or safetensors (engine.export); after safetensors, a dialog
        shows the PyTorch code that loads it (also written beside it as NAME.py)."""
        trainer = self.window.trainer
        if trainer is None:
            self.message.emit(translate("FileActions", "Nothing to export yet: train a model or open one first."))
            return False
        path = path or self._ask(format, f"model{FORMATS[format]}")
        if not path:
            return False
        path = _with_suffix(path, FORMATS[format])
        with trainer.consistent() as state:      # copies: training may go on while the file is written
            snapshot, loss = state.snapshot(), state.loss.name
            hidden, output = state.model.hidden.name, state.model.output.name
        model = MLP.from_arrays(snapshot.weights, snapshot.biases, hidden=hidden, output=output)
        try:
            written = export_model(model, loss, path, format)
            code = written[1].read_text(encoding="utf-8") if format == "safetensors" else None
        except ValueError as error:   # ExportError (a missing extra, an unknown activation) or the encoder's
            self.message.emit(translate("FileActions", "Could not export the model: {error}").format(error=error))
            return False
        except (OSError, MemoryError) as error:
            self.message.emit(translate("FileActions", "Could not export the model to {path}: {reason}")
                              .format(path=path, reason=_reason(error)))
            return False
        self._report(translate("FileActions", "Exported the model after {steps} steps to {paths}").format(
            steps=f"{snapshot.steps:,}", paths=translate("FileActions", " and ").join(map(str, written))))
        if code is not None:
            self._show_code(*written, code)
        return True

    def _show_code(self, tensors: Path, code_file: Path, code: str) -> None:
        if self.code_dialog is not None:
            self.code_dialog.close()
            self.code_dialog.deleteLater()
        self.code_dialog = CodeDialog(
            translate("FileActions", "PyTorch code for the exported model"),
            translate("FileActions", "Saved the tensors to {tensors} and this code to {code}. In PyTorch (with the "
                                     "safetensors package), it rebuilds the network as an nn.Sequential and loads "
                                     "the tensors:").format(tensors=tensors, code=code_file), code, self.window)
        self.code_dialog.open()

    def export_view(self, name: str, path=None) -> bool:
        """One of PNG_EXPORTS, as drawn now: PNG at EXPORT_SCALE × the screen's pixels, or SVG when
        the file name ends in .svg."""
        text, suggested, widget_of = PNG_EXPORTS[name]
        view = translate("FileActions", text)
        view = text.lower() if view == text else view   # in English within a sentence; German nouns keep their capital
        if self.window.trainer is None:
            self.message.emit(translate("FileActions", "Nothing to export yet: the {view} fills in once a model "
                                                       "trains.").format(view=view))
            return False
        path = path or self._ask("png", suggested)
        if not path:
            return False
        self.window.redraw_now()   # the latest reports, not the last timer tick's
        path = _with_suffix(path, ".png")
        try:
            widget = widget_of(self.window)
            data = widget_svg(widget, text) if path.suffix.lower() == ".svg" else widget_png(widget)
            atomic_write(path, lambda out: out.write(data))
        except (OSError, ValueError) as error:
            self.message.emit(translate("FileActions", "Could not export the {view} to {path}: {reason}")
                              .format(view=view, path=path, reason=_reason(error)))
            return False
        self._report(translate("FileActions", "Exported the {view} to {path}").format(view=view, path=path))
        return True

    def export_metrics(self, path=None) -> bool:
        """The engine's per-epoch records of the run on screen, as the CLI's metrics.csv."""
        trainer = self.window.trainer
        if trainer is None:
            self.message.emit(translate("FileActions", "No metrics yet: train a model or open one first."))
            return False
        path = path or self._ask("csv", "metrics.csv")
        if not path:
            return False
        with trainer.consistent() as state:
            history = list(state.history)
        try:
            write_metrics(_with_suffix(path, ".csv"), history)
        except OSError as error:
            self.message.emit(translate("FileActions", "Could not export the metrics to {path}: {reason}")
                              .format(path=path, reason=_reason(error)))
            return False
        self._report(translate("FileActions", "Exported {epochs} epochs of metrics to {path}")
                     .format(epochs=len(history), path=path))
        return True

    def export_comparison(self, path=None) -> bool:
        """The Compare tab's table (every kept run and the one on screen) as CSV."""
        records = self.window.session.compared
        if not records:
            self.message.emit(translate("FileActions", "No runs to compare yet: train one, then another."))
            return False
        path = path or self._ask("compare_csv", "runs.csv")
        if not path:
            return False
        data = comparison_csv(records).encode("utf-8")
        try:
            atomic_write(_with_suffix(path, ".csv"), lambda out: out.write(data))
        except OSError as error:
            self.message.emit(translate("FileActions", "Could not export the comparison to {path}: {reason}")
                              .format(path=path, reason=_reason(error)))
            return False
        self._report(translate("FileActions", "Exported {runs} runs to {path}").format(runs=len(records), path=path))
        return True

    def export_animation(self, path=None) -> bool:
        """The weights view over the recorded moments of the run on screen, as an animated GIF.

        The moments are gathered here (the record belongs to this thread; only the page of units
        shown is copied), the frames drawn and encoded in a BackgroundJob (a few hundred frames take
        a second or more). True when the export started; `animation_exported(ok)` and the status
        bar (or the message banner) say how it ended.
        """
        record = self.window.session.run
        if record is None or not len(record):
            self.message.emit(translate("FileActions", "Nothing to animate yet: the weights fill in once a model "
                                                       "trains."))
            return False
        if self.animation_job is not None:
            self.message.emit(translate("FileActions", "A weights animation is being exported: wait for it to "
                                                       "finish."))
            return False
        path = path or self._ask("gif", "weights.gif")
        if not path:
            return False
        path = _with_suffix(path, ".gif")
        view, data = self.window.weights_view, self.window.data
        try:
            units = record.at(record.steps[0]).weights[0].shape[1]
            sheet = animation_sheet(view, units, data.class_names if data is not None else ())
            animation = WeightsAnimation.from_record(record, sheet)
        except (ValueError, MemoryError) as error:
            self.message.emit(translate("FileActions", "Could not export the weights animation to {path}: {reason}")
                              .format(path=path, reason=_reason(error)))
            return False
        lut = view.colorbar.colorMap().getLookupTable(nPts=256)   # what the view's image is coloured by
        job = BackgroundJob(lambda: atomic_write(path, lambda out: animation.write_gif(out, lut)),
                            "export weights animation", owner=self)
        job.path, job.animation = path, animation
        job.succeeded.connect(self._on_animation_written)   # connected before it starts: nothing is missed
        job.failed.connect(self._on_animation_failed)
        self.animation_job = job.start()
        self._report(translate("FileActions", "Exporting {frames} frames of the weights to {path}…")
                     .format(frames=animation.frames, path=path))
        return True

    @Slot(object)
    def _on_animation_written(self, _) -> None:
        job, self.animation_job = self.animation_job, None
        animation = job.animation
        text = translate("FileActions", "Exported {frames} frames of the weights to {path}").format(
            frames=animation.frames, path=job.path)
        if animation.frames < animation.moments:
            text += translate("FileActions", " ({frames} of the run's {moments} moments, evenly spaced)").format(
                frames=animation.frames, moments=f"{animation.moments:,}")
        self._report(text)
        self.animation_exported.emit(True)

    @Slot(object)
    def _on_animation_failed(self, error) -> None:
        job, self.animation_job = self.animation_job, None
        self.window.statusBar().clearMessage()
        self.message.emit(translate("FileActions", "Could not export the weights animation to {path}: {reason}")
                          .format(path=job.path, reason=_reason(error)))
        self.animation_exported.emit(False)

    # --- data -----------------------------------------------------------------------------
    def open_dataset(self, folder) -> bool:
        if not self._settings_editable(translate("FileActions", "opening other data")):
            return False
        self.window.load_data(folder)
        return True

    def download(self, name: str) -> DownloadDialog | None:
        """Download a known dataset into the user cache behind a dialog, then open it.

        $MNIST_TRAINER_MIRROR replaces the dataset's mirrors (tests point it at a local server).
        """
        if self.download_dialog is not None or not self._settings_editable(translate("FileActions",
                                                                                      "downloading data")):
            return None
        for ended in self.window.findChildren(DownloadDialog):   # the last download's, kept until now
            ended.deleteLater()
        dialog = DownloadDialog(name, mirrors_from_environment(), parent=self.window)
        title = datasets.KNOWN[name].title
        dialog.downloaded.connect(self._on_downloaded)
        dialog.failed.connect(lambda text: self._on_download_ended(
            translate("FileActions", "Could not download {dataset}: {reason}\nThe data and the run on screen are "
                                     "unchanged.").format(dataset=title, reason=text)))
        dialog.cancelled.connect(lambda _: self._on_download_ended(
            translate("FileActions", "Download of {dataset} cancelled; no partial file was kept. The data and the "
                                     "run on screen are unchanged.").format(dataset=title)))
        self.download_dialog = dialog
        dialog.start()
        return dialog

    def _on_downloaded(self, folder: str) -> None:
        self._forget_download()
        self._report(translate("FileActions", "Downloaded {folder}; opening it").format(folder=folder))
        self.window.load_data(folder)

    def _on_download_ended(self, text: str) -> None:
        self._forget_download()
        self.message.emit(text)

    def _forget_download(self) -> None:
        """The ended dialog stays, hidden, until the next download: whoever heard its outcome may
        still read it (deleteLater here could delete it under them, in the loop that delivered it)."""
        self.download_dialog = None

    def shut_down(self) -> None:
        """The window is closing: cancel a download and wait for its thread at most
        DownloadDialog.shut_down's couple of seconds (one that does not end then is abandoned)."""
        if self.download_dialog is not None:
            self.download_dialog.shut_down()
            self._forget_download()
        if self.animation_job is not None:   # it finishes its file (atomically) unheard, or dies with the app
            self.animation_job.cancel()
            self.animation_job = None
