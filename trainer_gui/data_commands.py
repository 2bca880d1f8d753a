"""The window's data commands: load a folder in the background, change the validation share."""
from __future__ import annotations

import copy
import os

from engine import load_data
from engine.datasets import DATA_ENV
from engine.evaluation import predict

from .i18n import translate
from .state.run_state import RunState, enabled_controls
from .training.background import BackgroundJob
from .predictions import check_inputs
from .training_data import prepare_training_data


def _load(path, validation_fraction, model=None, train_limit=None):
    """(Dataset, TrainingData, None) of a folder or file (engine.load_data): run off the GUI thread (a
    full dataset takes seconds). Images without labels (predict-only) give (Dataset, None, predictions):
    `model` (model, loss name), a copy of the one on screen, classifies them ((predicted, confidence),
    or None without a model). train_limit: train on the first this many training examples only (a
    lesson on overfitting)."""
    dataset = load_data(path)
    if not dataset.predict_only:
        return dataset, prepare_training_data(dataset, validation_fraction, train_limit), None
    if model is None:
        return dataset, None, None
    network, loss = model
    check_inputs(network, dataset.unlabelled, dataset.path.name)
    return dataset, None, predict(network, loss, dataset.unlabelled)


class DataCommands:
    """What the data panel and the File menu do with data; a part of MainWindow (a mixin), which
    holds the state it reads: data, _dataset, _loading, session and the panels.

    `train_limit`: when set (by a lesson), only the first this many training examples are used.
    """
    train_limit: int | None = None

    def load_data(self, path) -> None:
        """Load data (a folder of IDX files or pictures, a CSV or .npz file) in the background; `data_loaded(ok)` says how it went. On a bad
        folder the data panel says why and the data and the run on screen are kept."""
        if self._loading is not None:
            self._loading.cancel()   # the newer request wins
        fraction, limit = self.data_panel.validation_fraction, self.train_limit
        # a copy of the model on screen, for data without labels (taken here: no run changes it meanwhile)
        trainer = self.trainer
        model = (copy.deepcopy(trainer.model), trainer.loss.name) if trainer is not None else None
        job = BackgroundJob(lambda: _load(path, fraction, model, limit), "load data", owner=self)
        job.path = path
        # connected before it starts: nothing is missed; the job comes along, so that a load a newer
        # one superseded is told apart
        job.succeeded.connect(lambda loaded: self._on_data_loaded(job, loaded))
        job.failed.connect(lambda error: self._on_data_failed(job, error))
        self._loading = job.start()
        self.data_panel.show_loading(path)
        self.data_panel.set_editable(False)   # the validation share it splits by is fixed until then
        self._update_status()

    @property
    def loading(self) -> bool:
        """A folder is being loaded (load_data was called and has not reported yet)."""
        return self._loading is not None

    def _on_data_loaded(self, job, loaded) -> None:
        if job is not self._loading:   # a load that a newer one superseded
            return
        self._loading = None
        dataset, data, predictions = loaded
        if data is None:   # images without labels: their predictions, the data on screen kept
            self._show_predictions(dataset, predictions)
            return
        self.reset()
        self._dataset = dataset
        self._use_data(data)
        self.settings.add_recent("data", job.path)
        self.data_loaded.emit(True)

    def _show_predictions(self, dataset, predictions) -> None:
        """A predict-only file: the model on screen classifies it in the Predictions dialog, or the
        data panel says a model is needed. Either way the data and the run on screen stay, and
        data_loaded(False) says no data was loaded."""
        from .predictions_dialog import PredictionsDialog

        name, count = dataset.path.name, len(dataset.unlabelled)
        if predictions is None:
            self.data_panel.show_error(f"{name} has no label column: its {count:,} images can be "
                                       "classified, not trained or evaluated on. Train a model (or open "
                                       "one), then open it again to see its predictions.")
        else:
            predicted, confidence = predictions
            k = self.trainer.n_classes if self.trainer is not None else int(predicted.max()) + 1
            names = self.data.class_names if self.data is not None and self.data.n_classes == k \
                else tuple(str(c) for c in range(k))
            if self.predictions_dialog is not None:
                self.predictions_dialog.close()
            self.predictions_dialog = PredictionsDialog(dataset.path, dataset.unlabelled, dataset.image_shape,
                                                        predicted, confidence, names,
                                                        lambda *asked: self._ask_path(*asked),   # looked up when
                                                        self._show_message, parent=self)         # used: tests replace it
            self.predictions_dialog.show()
            self.data_panel.show_error(f"{name} has no label column: the predictions of the model on screen "
                                       f"for its {count:,} images are in the Predictions window (nothing to "
                                       "evaluate). The data here is unchanged.")
        self._set_state(self._state)
        self.data_loaded.emit(False)

    def _on_data_failed(self, job, error) -> None:
        if job is not self._loading:
            return
        path, self._loading = self._loading.path, None
        if isinstance(error, MemoryError):
            error = "there is not enough memory to load it"
        self.data_panel.show_error(translate("DataCommands", "Could not load {path}:\n{error}")
                                   .format(path=os.fspath(path), error=error))
        self._set_state(self._state)   # the data panel editable again, as the state says
        self.data_loaded.emit(False)

    def _use_data(self, data) -> None:
        self.stop_race()   # its runs train on the data before, and other data drops them
        self.data = data
        self.session.set_data(data)
        self.data_panel.show_data(data)
        self.model_panel.set_training_size(len(data.y_train))
        self.dashboard.set_eval_name(data.eval_name)
        self.setWindowTitle(str(data.dataset.path))
        self._set_state(RunState.READY)

    def _choose_folder(self) -> None:
        start = os.fspath(self._dataset.path) if self._dataset else os.environ.get(DATA_ENV, "")
        folder = self._ask_path("data_folder", start)
        if folder:
            self.load_data(folder)

    def _choose_file(self) -> None:
        """File ▸ Open data file…: a CSV, an .npz or an IDX file (whose folder is loaded)."""
        start = os.fspath(self._dataset.path) if self._dataset else os.environ.get(DATA_ENV, "")
        path = self._ask_path("data_file", start)
        if path:
            self.load_data(path)

    def _on_validation_fraction_changed(self, fraction: float) -> None:
        if self._dataset is None or not enabled_controls(self._state)["settings"]:
            return
        self._prepare_again(fraction)

    def set_train_limit(self, limit: int | None) -> None:
        """Train on the first `limit` training examples only (None: all of them), from the next
        load on, and at once on the data loaded unless a run is under way (its data stays)."""
        self.train_limit = limit
        if self._dataset is not None and self._loading is None and enabled_controls(self._state)["settings"]:
            self._prepare_again(self.data_panel.validation_fraction)

    def _prepare_again(self, fraction: float) -> None:
        """The loaded dataset divided again (a new validation share or training-set limit): no file is read."""
        try:
            data = prepare_training_data(self._dataset, fraction, self.train_limit)
        except ValueError as error:
            self.data_panel.show_error(str(error))
            return
        self.reset()
        self._use_data(data)
