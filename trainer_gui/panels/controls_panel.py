"""Start, Pause/Resume, Step, Step epoch, Stop, Reset and the speed slider, in one row."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from ..hyperparameters import DEMO_DELAY, SPEED_STEPS, describe_speed, speed_for_delay
from ..state.run_state import RunState, enabled_controls

SP = QStyle.StandardPixmap
BUTTONS = (  # (name in run_state, object name, text, icon, tool tip)
    ("start", "startButton", "Start", SP.SP_MediaPlay, "Build the model and train"),
    ("pause", "pauseButton", "Pause", SP.SP_MediaPause, "Pause or resume (Space)"),
    ("step", "stepButton", "Step", SP.SP_MediaSeekForward, "Train on one batch, then pause (Right arrow)"),
    ("step_epoch", "stepEpochButton", "Step epoch", SP.SP_MediaSkipForward,
     "Train to the end of the current epoch, then pause"),
    ("stop", "stopButton", "Stop", SP.SP_MediaStop, "End the run; its plots stay until the next Start"),
    ("reset", "resetButton", "Reset", SP.SP_BrowserReload, "End the run and clear the plots"),
)


class ControlsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("controlsPanel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for name, object_name, text, icon, tip in BUTTONS:
            button = QPushButton(self.style().standardIcon(icon), text, objectName=object_name, toolTip=tip)
            # keyboard focus stays off the buttons so Space always means pause/resume
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout.addWidget(button)
            self.buttons[name] = button
        # as wide as its longer label, so that Pause ⇄ Resume does not shift the buttons after it
        pause = self.buttons["pause"]
        pause.setText("Resume")
        pause.setMinimumWidth(max(pause.sizeHint().width(), pause.minimumSizeHint().width()))
        pause.setText("Pause")
        layout.addSpacing(16)
        layout.addWidget(QLabel("Speed"))
        self.speed_slider = QSlider(Qt.Orientation.Horizontal, objectName="speedSlider")
        self.speed_slider.setRange(0, SPEED_STEPS)
        self.speed_slider.setValue(SPEED_STEPS)
        self.speed_slider.setToolTip("From full speed (right) down to slow motion, a second per step (left)")
        self.speed_slider.setMinimumWidth(140)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(92)
        self.speed_slider.valueChanged.connect(lambda value: self.speed_label.setText(describe_speed(value)))
        self.speed_label.setText(describe_speed(SPEED_STEPS))
        layout.addWidget(self.speed_slider, 1)
        layout.addWidget(self.speed_label)
        self.demo_button = QPushButton("Demo pace", objectName="demoSpeedButton",
                                       toolTip="20 steps a second: slow enough to watch the curves grow "
                                               "and the weights change in front of a class")
        self.demo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.demo_button.clicked.connect(lambda: self.speed_slider.setValue(speed_for_delay(DEMO_DELAY)))
        layout.addWidget(self.demo_button)

    def set_state(self, state: RunState) -> None:
        for name, enabled in enabled_controls(state).items():
            if name in self.buttons:
                self.buttons[name].setEnabled(enabled)
        paused = state is RunState.PAUSED
        self.buttons["pause"].setText("Resume" if paused else "Pause")
        self.buttons["pause"].setIcon(self.style().standardIcon(SP.SP_MediaPlay if paused else SP.SP_MediaPause))
