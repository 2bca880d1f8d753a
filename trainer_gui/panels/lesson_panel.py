"""The lesson side panel: the open lesson's title, notes and steps (a checklist walked with Next and
Back), a Download button when its dataset is missing, and Close, which ends the lesson."""
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from ..i18n import is_language_change, translate

PANEL_WIDTH = 260   # px: notes wrap to a comfortable line length beside the workspace


class LessonPanel(QFrame):
    """Shows a lessons.Lesson. close_requested: the Close button; download_requested(name): the
    Download button offered while the lesson's dataset is not found."""
    close_requested = Signal()
    download_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(PANEL_WIDTH)
        self.heading = QLabel("Lesson", objectName="lessonHeading")
        self.title_label = QLabel(objectName="lessonTitle", wordWrap=True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.notes_label = QLabel(objectName="lessonNotes", wordWrap=True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        notes = QWidget()
        notes_layout = QVBoxLayout(notes)
        notes_layout.setContentsMargins(0, 0, 4, 0)
        notes_layout.addWidget(self.notes_label)
        notes_layout.addStretch(1)
        self.notes_scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame,
                                        horizontalScrollBarPolicy=Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_scroll.setWidget(notes)
        self.download_button = QPushButton(objectName="lessonDownloadButton")
        self.download_button.clicked.connect(lambda: self.download_requested.emit(self._dataset))
        self.download_button.hide()
        self.steps_heading = QLabel(objectName="lessonStepsHeading")
        self.steps_list = QListWidget(objectName="lessonSteps", wordWrap=True)
        self.steps_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space stays pause/resume
        self.steps_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.back_button = QPushButton(objectName="lessonBackButton")
        self.next_button = QPushButton(objectName="lessonNextButton")
        self.close_button = QPushButton(objectName="lessonCloseButton")
        self.retranslate()
        for button in (self.back_button, self.next_button, self.close_button, self.download_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(lambda: self.go_to(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current + 1))
        self.close_button.clicked.connect(self.close_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.title_label)
        layout.addWidget(self.notes_scroll, 1)
        layout.addWidget(self.download_button)
        layout.addWidget(self.steps_heading)
        layout.addWidget(self.steps_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.close_button)
        self.current = 0
        self._dataset = ""

    def retranslate(self) -> None:
        """The panel's own texts in the current language (a lesson's texts are its file's)."""
        self.steps_heading.setText(translate("LessonPanel", "Steps"))
        self.back_button.setText(translate("LessonPanel", "Back"))
        self.next_button.setText(translate("LessonPanel", "Next"))
        self.close_button.setText(translate("LessonPanel", "Close lesson"))
        self.close_button.setToolTip(translate("LessonPanel", "End the lesson: every tab and control comes back"))

    def changeEvent(self, event) -> None:
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def show_lesson(self, lesson) -> None:
        """Show a lessons.Lesson, at its first step."""
        self.title_label.setText(lesson.title)
        self.notes_label.setText(lesson.notes)
        self._fit_notes()
        self.steps_list.clear()
        for number, text in enumerate(lesson.steps, 1):
            self.steps_list.addItem(QListWidgetItem(f"{number}. {text}"))
        for widget in (self.steps_heading, self.steps_list, self.back_button, self.next_button):
            widget.setVisible(bool(lesson.steps))
        self.offer_download(None)
        self.go_to(0)
        self.show()

    def _fit_notes(self) -> None:
        """The notes take the height they need and the steps the rest; notes longer than half the
        panel scroll."""
        width = PANEL_WIDTH - 2 * 8 - 4 - 2 * self.frameWidth()
        self.notes_scroll.setMaximumHeight(self.notes_label.heightForWidth(width) + 4)

    def offer_download(self, dataset: str | None, title: str = "") -> None:
        """A Download button for the missing dataset `dataset` (None: no button)."""
        self._dataset = dataset or ""
        title = title or dataset or ""
        # "MNIST", not its long title
        self.download_button.setText(translate("LessonPanel", "Download {dataset}…").format(dataset=title.split(' (')[0]))
        self.download_button.setToolTip(translate("LessonPanel", "Download {dataset} into the app's download folder, "
                                                                 "then go on with the lesson").format(dataset=title))
        self.download_button.setVisible(dataset is not None)

    def go_to(self, index: int) -> None:
        """Make step `index` the current one: the steps before it are ticked, it is highlighted."""
        count = self.steps_list.count()
        self.current = max(0, min(index, count - 1))
        for row in range(count):
            item = self.steps_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if row < self.current else Qt.CheckState.Unchecked)
            font = item.font()
            font.setBold(row == self.current)
            item.setFont(font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)   # ticked by Next and Back, not by clicks
        if count:
            self.steps_list.scrollToItem(self.steps_list.item(self.current))
        self.back_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < count - 1)

    def checked_steps(self) -> list[bool]:
        return [self.steps_list.item(row).checkState() == Qt.CheckState.Checked
                for row in range(self.steps_list.count())]


class LessonTextDialog(QDialog):
    """Asks for a lesson's title and notes (File ▸ Save as lesson…)."""

    def __init__(self, title: str = "", notes: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("LessonPanel", "Save as lesson"))
        self.setObjectName("lessonTextDialog")
        self.title_edit = QLineEdit(title, objectName="lessonTitleEdit",
                                    placeholderText=translate("LessonPanel", "What the lesson shows, e.g. "
                                                                             "“Overfitting on 500 digits”"))
        self.notes_edit = QPlainTextEdit(notes, objectName="lessonNotesEdit")
        self.notes_edit.setPlaceholderText(translate("LessonPanel", "What the student should watch for, in a few "
                                                                    "sentences"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.title_edit.textChanged.connect(lambda text: save.setEnabled(bool(text.strip())))
        save.setEnabled(bool(title.strip()))
        form = QFormLayout(self)
        form.addRow(translate("LessonPanel", "Title"), self.title_edit)
        form.addRow(translate("LessonPanel", "Notes"), self.notes_edit)
        form.addRow(buttons)
        self.resize(520, 320)

    def text(self) -> tuple[str, str]:
        return self.title_edit.text().strip(), self.notes_edit.toPlainText()
