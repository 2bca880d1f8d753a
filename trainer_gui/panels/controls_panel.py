"""Start, Pause/Resume, Step, Step epoch, Stop, Reset and the speed slider, in one row."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from ..hyperparameters import DEMO_DELAY, SPEED_STEPS, describe_speed, speed_for_delay
from ..i18n import QT_TRANSLATE_NOOP, is_language_change, translate
from ..state.run_state import RunState, enabled_controls

SP = QStyle.StandardPixmap
C = "ControlsPanel"   # the translation context
BUTTONS = (  # (name in run_state, object name, text, icon, tool tip), translated when shown
    ("start", "startButton", QT_TRANSLATE_NOOP("ControlsPanel", "Start"), SP.SP_MediaPlay,
     QT_TRANSLATE_NOOP("ControlsPanel", "Build the model and train")),
    ("pause", "pauseButton", QT_TRANSLATE_NOOP("ControlsPanel", "Pause"), SP.SP_MediaPause,
     QT_TRANSLATE_NOOP("ControlsPanel", "Pause or resume (Space)")),
    ("step", "stepButton", QT_TRANSLATE_NOOP("ControlsPanel", "Step"), SP.SP_MediaSeekForward,
     QT_TRANSLATE_NOOP("ControlsPanel", "Train on one batch, then pause (Right arrow)")),
    ("step_epoch", "stepEpochButton", QT_TRANSLATE_NOOP("ControlsPanel", "Step epoch"), SP.SP_MediaSkipForward,
     QT_TRANSLATE_NOOP("ControlsPanel", "Train to the end of the current epoch, then pause")),
    ("stop", "stopButton", QT_TRANSLATE_NOOP("ControlsPanel", "Stop"), SP.SP_MediaStop,
     QT_TRANSLATE_NOOP("ControlsPanel", "End the run; its plots stay until the next Start")),
    ("reset", "resetButton", QT_TRANSLATE_NOOP("ControlsPanel", "Reset"), SP.SP_BrowserReload,
     QT_TRANSLATE_NOOP("ControlsPanel", "End the run and clear the plots")),
)


class ControlsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("controlsPanel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        self._paused = False
        for name, object_name, _, icon, _ in BUTTONS:
            button = QPushButton(self.style().standardIcon(icon), "", objectName=object_name)
            # keyboard focus stays off the buttons so Space always means pause/resume
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout.addWidget(button)
            self.buttons[name] = button
        layout.addSpacing(16)
        self.speed_caption = QLabel()
        layout.addWidget(self.speed_caption)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal, objectName="speedSlider")
        self.speed_slider.setRange(0, SPEED_STEPS)
        self.speed_slider.setValue(SPEED_STEPS)
        self.speed_slider.setMinimumWidth(140)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(92)
        self.speed_slider.valueChanged.connect(self._show_speed)
        layout.addWidget(self.speed_slider, 1)
        layout.addWidget(self.speed_label)
        self.demo_button = QPushButton(objectName="demoSpeedButton")
        self.demo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.demo_button.clicked.connect(lambda: self.speed_slider.setValue(speed_for_delay(DEMO_DELAY)))
        layout.addWidget(self.demo_button)
        self.retranslate()

    def retranslate(self) -> None:
        """The buttons' and the slider's texts in the current language."""
        for name, _, text, _, tip in BUTTONS:
            self.buttons[name].setText(translate(C, text))
            self.buttons[name].setToolTip(translate(C, tip))
        # as wide as its longer label, so that Pause ⇄ Resume does not shift the buttons after it
        pause = self.buttons["pause"]
        pause.setMinimumWidth(0)
        pause.setText(translate("ControlsPanel", "Resume"))
        width = max(pause.sizeHint().width(), pause.minimumSizeHint().width())
        pause.setText(translate("ControlsPanel", "Pause"))
        pause.setMinimumWidth(max(width, pause.sizeHint().width()))
        pause.setText(translate("ControlsPanel", "Resume") if self._paused else translate("ControlsPanel", "Pause"))
        self.speed_caption.setText(translate("ControlsPanel", "Speed"))
        self.speed_slider.setToolTip(translate("ControlsPanel", "From full speed (right) down to slow motion, a second per "
                                                  "step (left)"))
        self._show_speed(self.speed_slider.value())
        self.demo_button.setText(translate("ControlsPanel", "Demo pace"))
        self.demo_button.setToolTip(translate("ControlsPanel", "20 steps a second: slow enough to watch the curves grow and "
                                                 "the weights change in front of a class"))

    def _show_speed(self, value: int) -> None:
        self.speed_label.setText(describe_speed(value, translate))

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def set_state(self, state: RunState) -> None:
        for name, enabled in enabled_controls(state).items():
            if name in self.buttons:
                self.buttons[name].setEnabled(enabled)
        self._paused = paused = state is RunState.PAUSED
        self.buttons["pause"].setText(translate("ControlsPanel", "Resume") if paused else translate("ControlsPanel", "Pause"))
        self.buttons["pause"].setIcon(self.style().standardIcon(SP.SP_MediaPlay if paused else SP.SP_MediaPause))
