"""The window's run commands: Start, Pause, Step, Step epoch, Stop, Reset, and the run on screen."""
from __future__ import annotations

from dataclasses import replace

from engine.config import suggested_learning_rate

from .hyperparameters import delay_for_speed
from .i18n import translate
from .state.hints import OVERFLOW_FIX, learning_rate_hint
from .state.run_state import RunState, enabled_controls
from .training.race import Race
from .training.opened_run import describes_same_model, trainer_to_start
from .training.training_run import TrainingRun


SLOW_MOTION = 0.2   # seconds between steps from which the loss plot follows the recent steps (close-up)


class RunCommands:
    """What the run buttons, their shortcuts and the settings changed during a run do; a part of
    MainWindow (a mixin), which holds the run on screen (`_run`: a TrainingRun, or an OpenedRun
    that Start continues), its state, the session and the panels."""

    def start(self) -> None:
        """Train: a new model, or the run on screen continued (an opened model, or a finished run
        whose Epochs were raised)."""
        if not enabled_controls(self._state)["start"]:
            return
        self.model_panel.commit_typed()
        self._follow_steps(False)
        self.hint_button.hide()   # a fix offered for the run before is moot now
        if self._state is RunState.COMPLETED and self._extends_finished_run():
            if self._trained_enough(self.trainer.epoch):
                self._run.control.resume()
                self._set_state(RunState.RUNNING)
            return
        self._begin_run(paused=False)

    def _follow_steps(self, stepping: bool) -> None:
        """The loss plot in close-up on the recent steps while the user steps batch by batch (or
        one example), or in slow motion; the whole run otherwise."""
        self._stepping = stepping
        slow = delay_for_speed(self.controls.speed_slider.value()) >= SLOW_MOTION
        self.loss_plot.set_close_up(stepping or slow)
        self._schedule.mark("plots")

    def _extends_finished_run(self) -> bool:
        """A finished run goes on when the panels still describe it but for the learning rate and
        the epochs (both reach its worker as they change); any other change trains a new model."""
        try:
            model_config, train_config = self.model_panel.model_config(), self.model_panel.train_config()
        except ValueError:   # unfinished settings: _begin_run says what is wrong
            return False
        unchanged = dict(learning_rate=0.0, epochs=1)
        return describes_same_model(model_config, self._run.model_config) and \
            replace(train_config, **unchanged) == replace(self._run.train_config, **unchanged)

    def _trained_enough(self, epochs_done: int) -> bool:
        """False, and a message saying what to do, when the model on screen has already trained the
        Epochs asked for (Start would stop at once)."""
        epochs = self.model_panel.epochs_spin.value()
        if epochs > epochs_done:
            return True
        text = translate("RunCommands", "This model has already trained {epochs} epoch: raise Epochs above "
                                        "{epochs} and press Start to train it further, or press Reset to train "
                                        "a new one.") if epochs_done == 1 else \
            translate("RunCommands", "This model has already trained {epochs} epochs: raise Epochs above {epochs} "
                                     "and press Start to train it further, or press Reset to train a new one.")
        self._show_message(text.format(epochs=epochs_done))
        return False

    def toggle_pause(self) -> None:
        self.model_panel.commit_typed()
        if self._state is RunState.RUNNING:
            self._run.control.pause()
            self._set_state(RunState.PAUSED)
        elif self._state is RunState.PAUSED:
            self._show_message("")   # a divergence reported at the pause is past; a new one says so again
            self._follow_steps(False)
            self._run.control.resume()
            self._set_state(RunState.RUNNING)

    def step(self) -> None:
        """One batch, then pause (starting a paused run first if there is none)."""
        if self._ready_to_step():
            self._follow_steps(True)
            self._run.control.request_batch()
            self.session.cursor.set(step=None)   # the views land on the new step when it comes

    def step_example(self) -> None:
        """One step on a single example (the first of the next batch), then pause: plain SGD on
        one digit, taken apart in the Step tab."""
        if self._ready_to_step():
            self._follow_steps(True)
            self._run.control.request_example()
            self.session.cursor.set(step=None)

    def step_epoch(self) -> None:
        if self._ready_to_step():
            self._follow_steps(False)
            self._run.control.request_epoch()

    def _ready_to_step(self) -> bool:
        if not enabled_controls(self._state)["step"]:
            return False
        self.model_panel.commit_typed()
        if self._state is RunState.COMPLETED and not self._extends_finished_run():
            self._set_state(RunState.READY)   # changed settings: a new model, as from Ready
        if self._state is RunState.READY and not self._begin_run(paused=True):
            return False
        if self._state is RunState.RUNNING:
            self._set_state(RunState.PAUSED)
        self._show_message("")
        return True

    def toggle_race(self) -> None:
        """Race SGD, momentum, RMSProp and Adam on the model the panels describe (the Compare tab
        overlays them as they train); pressed again, stop the race."""
        if self.race is not None:
            self.stop_race()
            return
        if self.data is None or self._state is RunState.RUNNING or self.loading:
            self._show_message(translate("RunCommands", "Load data, and pause the run on screen, before racing "
                                                        "the optimisers."))
            return
        try:
            model_config, train_config = self.model_panel.model_config(), self.model_panel.train_config()
            train_config.validate(len(self.data.y_train))
        except ValueError as error:
            self._show_message(translate("RunCommands", "Cannot race: {error}").format(error=error))
            return
        self.race = Race(model_config, train_config, self.data)
        self.race.progressed.connect(self.compare_view.soon)
        self.race.ended.connect(self._on_race_ended)
        self.session.add_compared(self.race.records)
        self.compare_view.race_button.setText(translate("RunCommands", "Stop race"))
        self._show_message(translate("RunCommands", "Racing SGD, momentum, RMSProp and Adam for {epochs} epochs "
                                                    "in the Compare tab.").format(epochs=train_config.epochs))

    def start_twin(self) -> None:
        """Train A (the settings column) and B (the Compare tab's twin panel) at once, two new
        models in lockstep on the same batches; Pause, Step and Step epoch then act on both."""
        if self.data is None or self.loading:
            self._show_message(translate("RunCommands", "Load data before starting a twin run."))
            return
        if self.race is not None:
            self._show_message(translate("RunCommands", "Stop the optimiser race before starting a twin run."))
            return
        try:
            (a_model, a_train), (b_model, b_train) = self.twin_panel.configs()
        except ValueError as error:
            self._show_message(translate("RunCommands", "Cannot start the twin: {error}").format(error=error))
            return
        if self._begin_run(paused=False, twin=((a_model, a_train), (b_model, b_train))):
            self._show_message(translate("RunCommands", "Twin run: A (the settings) and B (the Compare tab's twin "
                                                        "panel) train on the same batches; Pause, Step and Step "
                                                        "epoch act on both."))

    def stop_race(self) -> None:
        if self.race is not None:
            self.race.stop()

    def _on_race_ended(self, message: str) -> None:
        self.race = None
        self.compare_view.race_button.setText(translate("RunCommands", "Race optimisers"))
        self.compare_view.refresh()
        self._show_message(message or translate("RunCommands", "The optimiser race is over: see the Compare tab."))

    def stop(self) -> None:
        """End the run; its plots and `trainer` stay until the next Start or Reset."""
        self._end_run()
        if self.data is not None:
            self._set_state(RunState.READY)

    def reset(self) -> None:
        """End the run and clear what it drew."""
        self._end_run()
        self._run = None
        self._follow_steps(False)   # the next run starts with the whole-run view, unless it is stepped
        self.evaluator.cancel()
        self.session.clear_runs()
        self._schedule.clear()
        self.dashboard.clear()
        self._show_message("")
        self._set_state(RunState.READY if self.data is not None else RunState.NO_DATA)

    def _on_learning_rate_changed(self, learning_rate: float) -> None:
        if self._run is not None:
            self._run.control.set_learning_rate(learning_rate)

    def _on_epochs_changed(self, epochs: int) -> None:
        if self._run is not None:
            self._run.control.set_epochs(epochs)
            self._run.train_config = replace(self._run.train_config, epochs=epochs)
            twin = getattr(self._run, "twin_record", None)
            if twin is not None:
                twin.train_config = replace(twin.train_config, epochs=epochs)
            self._update_status()

    def _on_model_changed(self) -> None:
        """The panel locks the model during a run, but code (a script, a menu) may still change it:
        a run training another model than the one shown is ended, as a new dataset ends it. (A
        finished run stays: Start decides whether the settings continue it.)"""
        if self._run is None or self._state not in (RunState.RUNNING, RunState.PAUSED):
            return
        try:
            unchanged = describes_same_model(self.model_panel.model_config(), self._run.model_config)
        except ValueError:   # unfinished hidden sizes: not the model of the run either
            unchanged = False
        if not unchanged:
            self.reset()
            self._show_message(translate("RunCommands", "The model was changed, so the run was ended. Press Start "
                                                        "to train the new one."))

    def _on_cursor_changed(self, names) -> None:
        self._schedule.mark("status", "plots", "weights", "evaluation", promptly=True)

    def _on_moment_evaluated(self, record, step: int) -> None:
        if record is self.session.cursor.run:
            self._schedule.mark("evaluation", promptly=True)

    def _on_progressed(self) -> None:
        # at an earlier moment only the curves and the status grow; the weights shown stay
        self._schedule.mark("status", "plots", *(("weights",) if self.session.cursor.live else ()))

    def _on_evaluated(self) -> None:
        self._schedule.mark("plots", *(("evaluation",) if self.session.cursor.live else ()))
        self._check_learning_rate()

    def _check_learning_rate(self) -> None:
        """Once a run, a hint with a one-click fix when its curves show the learning rate at fault
        (stuck at chance, or a training loss rising epoch after epoch: hints.py)."""
        run = self._run
        if run is None or getattr(run, "hinted", False) or self.data is None:
            return
        config = run.model_config
        hint = learning_rate_hint(run.record.curves, self.model_panel.lr_spin.value(),
                                  suggested_learning_rate(config.kind, run.train_config.optimizer),
                                  self.data.n_classes, translate)
        if hint is not None:
            run.hinted = True
            self.offer_fix(hint.learning_rate, hint.text)

    def _on_overflowed(self, learning_rate: float) -> None:
        """A step would have overflowed (the worker's message says so): offer a tenth of the rate,
        or the model's suggested rate if that is lower (a tenth of 100 overflows a linear model
        again), as the run's one hint: after that, its curves speak of the overflow, not the rate."""
        if self._run is None:
            return
        self._run.hinted = True
        config = self._run.model_config
        suggested = suggested_learning_rate(config.kind, self._run.train_config.optimizer)
        self.offer_fix(min(learning_rate * OVERFLOW_FIX, suggested))

    def apply_fix(self) -> None:
        """The hint's button: the learning rate it offers in the field, and a new run started (a
        new twin, if the hinted run was one: B keeps its own settings)."""
        twin = self.session.twin is not None
        self.model_panel.lr_spin.setValue(self._fix_rate)
        self.reset()
        if twin:
            self.start_twin()
        else:
            self.start()

    def _on_speed_changed(self, value: int) -> None:
        if self._run is not None:
            self._run.control.set_delay(delay_for_speed(value))
        self._follow_steps(self._stepping)

    # --- the run --------------------------------------------------------------------------
    def _begin_run(self, paused: bool, twin=None) -> bool:
        """Start a worker thread that builds the Trainer the panels describe and trains it; False
        (and a message) if a value is bad or the model could not fit in memory. twin: the
        (ModelConfig, TrainConfig) pairs of A and B to train as a twin run (two new models)."""
        if self.loading:
            self._show_message(translate("RunCommands", "The data is still loading: start when it is on screen."))
            return False
        data = self.data
        twin_start = None
        try:
            if twin is None:
                model_config, train_config = self.model_panel.model_config(), self.model_panel.train_config()
                to_start = trainer_to_start(self._run, model_config, train_config, data)
            else:
                (model_config, train_config), (b_model, b_train) = twin
                to_start = trainer_to_start(None, model_config, train_config, data)
                try:
                    twin_start = (trainer_to_start(None, b_model, b_train, data), b_train)
                except ValueError as error:
                    raise ValueError(translate("RunCommands", "B's {error}").format(error=error)) from None
        except ValueError as error:
            self._show_message(translate("RunCommands", "Cannot start: {error}").format(error=error))
            return False
        if to_start.continued_from is not None and not paused and not self._trained_enough(to_start.continued_from):
            return False
        self.reset()
        self.dashboard.begin_run(data.image_shape, to_start.model_config.kind in ("softmax", "linear"),
                                 train_config.epochs, to_start.initial_weights)
        run = TrainingRun(to_start, data, train_config, paused, delay_for_speed(self.controls.speed_slider.value()),
                          twin=twin_start)
        run.built.connect(self._on_built)
        run.progressed.connect(self._on_progressed)
        run.evaluated.connect(self._on_evaluated)
        run.paused.connect(self.run_paused)
        run.completed.connect(self._on_completed)
        run.diverged.connect(self._on_diverged)
        run.overflowed.connect(self._on_overflowed)
        run.errored.connect(self._show_message)
        run.finished.connect(self.stop)   # the worker ended by itself, after an error: join its thread
        self._run = run
        self.session.show_run(run.record, run.twin_record)
        self._set_state(RunState.PAUSED if paused else RunState.RUNNING)
        return True

    def _on_built(self) -> None:
        """The worker has built the model: the menus that save and export it can be used."""
        self._set_state(self._state)

    def _end_run(self) -> None:
        """Stop the worker and join its thread; the run stays on screen."""
        if self._run is not None:
            self._run.stop()

    @property
    def trainer(self):
        """The engine Trainer of the run on screen, or None."""
        return self._run.trainer if self._run is not None else None

    @property
    def history(self):
        """The TrainingHistory of the run on screen, or None."""
        return self._run.history if self._run is not None else None

    @property
    def training_thread(self):
        """The QThread of the active run, or None."""
        return self._run.thread if self._run is not None else None

    def _on_completed(self) -> None:
        if self._run is not None and self._run.active:   # not a report that crossed a Stop
            self._set_state(RunState.COMPLETED)

    def _on_diverged(self, message: str) -> None:
        self._show_message(message)
        if self._run is not None and self._run.active:
            self._set_state(RunState.PAUSED)

    @property
    def run_configs(self):
        """(ModelConfig, TrainConfig) of the run on screen, or None."""
        return (self._run.model_config, self._run.train_config) if self._run is not None else None

    def show_opened_run(self, opened) -> None:
        """Show an OpenedRun (a saved model restored on the loaded data) as a stopped run: its
        settings in the panels, its curves, weights and evaluation in the views. Start or Step
        continues it."""
        self.reset()
        self.model_panel.show_config(opened.model_config, opened.train_config)
        self._run = opened
        self.session.show_run(opened.record)
        self.dashboard.begin_run(self.data.image_shape, len(opened.trainer.model.weights) == 1,
                                 opened.train_config.epochs, opened.initial_weights)
        self._schedule.mark("status", "plots", "weights", "evaluation")
        self.redraw_now()
        self._set_state(RunState.READY)
