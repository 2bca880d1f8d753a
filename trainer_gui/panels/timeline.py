"""The timeline: scrub the run on screen from its first recorded moment to now, replay it, go live."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ..i18n import QT_TRANSLATE_NOOP, is_language_change, translate

PLAY_SPEEDS = {QT_TRANSLATE_NOOP("Timeline", "½ epoch/s"): 0.5, QT_TRANSLATE_NOOP("Timeline", "1 epoch/s"): 1.0,
               QT_TRANSLATE_NOOP("Timeline", "2 epochs/s"): 2.0, QT_TRANSLATE_NOOP("Timeline", "5 epochs/s"): 5.0}
PLAY_TICK_MS = 33


class TimelinePanel(QWidget):
    """A slider over the recorded moments of the cursor's run, writing the cursor's `step`.

    The slider counts moments (index i is the run's i-th recorded moment), so Left/Right move one
    moment and Home/End go to the first and the last; End, and the Live button, follow the run
    again (`cursor.step = None`). Play replays from the cursor's moment to now at a chosen number
    of epochs per second and then follows the run live. Setting the slider from the record or the
    cursor never echoes back into the cursor.
    """

    def __init__(self, cursor, parent=None):
        super().__init__(parent)
        self.setObjectName("timelinePanel")
        self.cursor = cursor
        self.record = None
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="timelineSlider")
        self.slider.setPageStep(10)
        self.live_button = QPushButton(objectName="liveButton", checkable=True)
        self.play_button = QPushButton(objectName="playButton", checkable=True)
        self.speed_combo = QComboBox(objectName="playSpeedCombo")
        for text, epochs_per_second in PLAY_SPEEDS.items():
            self.speed_combo.addItem(text, epochs_per_second)
        self.speed_combo.setCurrentIndex(1)
        self.label = QLabel(objectName="timelineLabel")
        self.label.setMinimumWidth(190)
        for button in (self.live_button, self.play_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space stays the run's pause
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        layout.addWidget(self.caption)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.play_button)
        layout.addWidget(self.speed_combo)
        layout.addWidget(self.live_button)
        self._play_timer = QTimer(self, interval=PLAY_TICK_MS, timeout=self._play_tick)
        # a fast run records moments by the hundred a second: the slider follows a few times a second
        self._refresh = QTimer(self, singleShot=True, interval=100, timeout=self._show)
        self._play_from = None   # (step, wall-clock start) of the replay under way
        self._setting = False    # the slider is being set from code: not a user's move
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.slider.installEventFilter(self)
        self.live_button.clicked.connect(self.go_live)
        self.play_button.toggled.connect(self._on_play_toggled)
        cursor.changed.connect(self._on_cursor_changed)
        self._follow(None)
        self.retranslate()

    def retranslate(self) -> None:
        """The timeline's texts in the current language."""
        self.caption.setText(translate("Timeline", "Timeline"))
        self.slider.setToolTip(translate("Timeline", "Drag to show an earlier moment of the run in every view "
                                                     "(Left/Right: one recorded moment; Home: the start; End: live)"))
        self.live_button.setText(translate("Timeline", "Live"))
        self.live_button.setToolTip(translate("Timeline", "Follow the run as it trains (End)"))
        self.play_button.setText(translate("Timeline", "Play"))
        self.play_button.setToolTip(translate("Timeline", "Replay the run from the moment shown to now"))
        self.speed_combo.setToolTip(translate("Timeline", "How fast Play replays the run"))
        for index, text in enumerate(PLAY_SPEEDS):
            self.speed_combo.setItemText(index, translate("Timeline", text))
        self._show()

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    # --- the user --------------------------------------------------------------------------
    def go_live(self) -> None:
        self.play_button.setChecked(False)
        self.cursor.set(step=None)

    def _on_slider_moved(self, index: int) -> None:
        if self._setting or self.record is None or not len(self.record):
            return
        self.play_button.setChecked(False)   # a move by hand ends a replay
        self.cursor.set(step=self.record.step_of(index))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.slider and event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_End:
            self.go_live()
            return True
        return super().eventFilter(watched, event)

    def _on_play_toggled(self, playing: bool) -> None:
        if playing and self.record is not None and len(self.record):
            start = self.cursor.step if self.cursor.step is not None else self.record.step_of(0)
            if self.cursor.step is None:   # from live: replay the whole run
                self.cursor.set(step=start)
            self._play_from = (start, time.monotonic())
            self._play_timer.start()
        else:
            self._play_timer.stop()
            self._play_from = None
            if playing:
                self.play_button.setChecked(False)

    def _play_tick(self) -> None:
        record = self.record
        if record is None or self._play_from is None:
            self.play_button.setChecked(False)
            return
        start, since = self._play_from
        epochs = self.speed_combo.currentData() * (time.monotonic() - since)
        target = start + int(epochs * record.batches_per_epoch)
        if target >= record.latest_step:
            self.go_live()
        else:
            self.cursor.set(step=record.moment_step(target))

    # --- the model -------------------------------------------------------------------------
    def _on_cursor_changed(self, names) -> None:
        if "run" in names:
            self._follow(self.cursor.run)
        self._show()

    def _follow(self, record) -> None:
        if self.record is not None:
            self.record.moment_added.disconnect(self._on_moment_added)
        self.record = record
        if record is not None:
            record.moment_added.connect(self._on_moment_added)
        self.play_button.setChecked(False)
        self.setEnabled(record is not None)

    def _on_moment_added(self, step: int) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def _show(self) -> None:
        """The slider, the label and the Live button as the record and the cursor stand."""
        record, cursor = self.record, self.cursor
        count = len(record) if record is not None else 0
        self._setting = True
        self.slider.setRange(0, max(count - 1, 0))
        self.slider.setValue(record.index_of(cursor.step) if count else 0)
        self._setting = False
        self.live_button.setChecked(cursor.live)
        if not count:
            self.label.setText(translate("Timeline", "no moments yet"))
            return
        step = record.moment_step(cursor.step)
        where = translate("Timeline", "live") if cursor.live else translate("Timeline", "moment {moment} of {count}") \
            .format(moment=record.index_of(cursor.step) + 1, count=count)
        self.label.setText(translate("Timeline", "epoch {epoch} · step {step} · {where}").format(
            epoch=f"{record.position_of(step):.2f}", step=f"{step:,}", where=where))
