"""The window's data commands: load a folder in the background, change the validation share."""
from __future__ import annotations

import os

from engine import load_folder
from engine.datasets import DATA_ENV

from .i18n import translate
from .state.run_state import RunState, enabled_controls
from .training.background import BackgroundJob
from .training_data import prepare_training_data


def _load(path, validation_fraction, train_limit=None):
    """(Dataset, TrainingData) of a folder: run off the GUI thread (a full dataset takes seconds)."""
    dataset = load_folder(path)
    return dataset, prepare_training_data(dataset, validation_fraction, train_limit)


class DataCommands:
    """What the data panel and the File menu do with data; a part of MainWindow (a mixin), which
    holds the state it reads: data, _dataset, _loading, session and the panels.

    `train_limit`: when set (by a lesson), only the first this many training examples are used.
    """
    train_limit: int | None = None

    def load_data(self, path) -> None:
        """Load a folder of IDX files in the background; `data_loaded(ok)` says how it went. On a bad
        folder the data panel says why and the data and the run on screen are kept."""
        if self._loading is not None:
            self._loading.cancel()   # the newer request wins
        fraction, limit = self.data_panel.validation_fraction, self.train_limit
        job = BackgroundJob(lambda: _load(path, fraction, limit), "load data", owner=self)
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
        dataset, data = loaded
        self.reset()
        self._dataset = dataset
        self._use_data(data)
        self.settings.add_recent("data", job.path)
        self.data_loaded.emit(True)

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
