"""The Help menu's texts: the keyboard shortcuts, and what each view shows; no Qt.

The texts are marked for lupdate here and translated when shown: the functions take the window's
translate(context, text) (trainer_gui.i18n).
"""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name lupdate looks for)
    """Marks a text for translation (see trainer_gui.i18n) without importing Qt."""
    return text


def _untranslated(context: str, text: str) -> str:
    return text


SHORTCUTS = (
    (QT_TRANSLATE_NOOP("HelpTexts", "Space"), QT_TRANSLATE_NOOP("HelpTexts", "pause or resume training (wherever the focus is, but in the hidden-sizes text)")),
    (QT_TRANSLATE_NOOP("HelpTexts", "→"), QT_TRANSLATE_NOOP("HelpTexts", "train one batch, then pause (in a field: once the text cursor is at its end)")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Timeline: ← →"), QT_TRANSLATE_NOOP("HelpTexts", "one recorded moment back or forward")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Timeline: Home / End"), QT_TRANSLATE_NOOP("HelpTexts", "the start of the run / follow it live again")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Ctrl+O"), QT_TRANSLATE_NOOP("HelpTexts", "open a data folder")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Ctrl+Shift+O"), QT_TRANSLATE_NOOP("HelpTexts", "open a saved model")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Ctrl+S"), QT_TRANSLATE_NOOP("HelpTexts", "save the model")),
)

VIEWS = (
    (QT_TRANSLATE_NOOP("HelpTexts", "Loss"), QT_TRANSLATE_NOOP("HelpTexts", "How wrong the model is, per batch (faint), smoothed (dark), and per epoch on the training "
             "(orange) and held-out (green) data. Lower is better; a held-out curve rising while the "
             "training curve falls is overfitting.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Error rate"), QT_TRANSLATE_NOOP("HelpTexts", "The share of examples answered wrongly, per epoch, on a log scale: 10 % → 1 % is "
                   "as big a step as 100 % → 10 %.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Weights"), QT_TRANSLATE_NOOP("HelpTexts", "The first layer's weights, one tile per unit (per class for softmax regression): red "
                "pixels push the unit up, blue ones down. By default the change since the start.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Misclassified"), QT_TRANSLATE_NOOP("HelpTexts", "The held-out images the model gets wrong, the most confident mistakes first: "
                      "true → predicted and how sure it was.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Confusion"), QT_TRANSLATE_NOOP("HelpTexts", "Rows are the true classes, columns the answers: the diagonal is right, every other "
                  "cell a kind of mistake.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Timeline"), QT_TRANSLATE_NOOP("HelpTexts", "Drag back to see every view as it was at that moment of the run; Live follows it.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Inside"), QT_TRANSLATE_NOOP("HelpTexts", "Draw a digit and watch each layer answer: the input the network sees, its answer, "
               "the units that light up, the softmax worked out, and what happens when you switch a "
               "unit off.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Step"), QT_TRANSLATE_NOOP("HelpTexts", "The last step taken with Step (→), taken apart: its batch, the forward pass of one "
             "digit, the error flowing back layer by layer (probabilities minus the one-hot label at the "
             "output), the change it made to the weights, and a check of the gradients by finite "
             "differences.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Evaluate"), QT_TRANSLATE_NOOP("HelpTexts", "How good the moment's model is on the held-out set: accuracy per class, the confusion "
                 "matrix (click a cell to see its digits), what answering only when sure gives, how it "
                 "copes with noisy, turned, shifted or thinner digits, and a map of the digits as a layer "
                 "sees them.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Vital signs"), QT_TRANSLATE_NOOP("HelpTexts", "Per layer: the weights against their start, the gradient's size and the size of each "
                    "update against the weights (about 0.001 is healthy), and the hidden units that died or "
                    "saturated.")),
    (QT_TRANSLATE_NOOP("HelpTexts", "Compare"), QT_TRANSLATE_NOOP("HelpTexts", "Every run you replaced (Reset, or Start with other settings) beside the one on screen: "
                "their curves overlaid, their settings and results in a table, their weights side by side.")),
)


def shortcuts_html(translate=_untranslated) -> str:
    rows = "".join(f"<tr><td><b>{translate('HelpTexts', key)}</b>&nbsp;&nbsp;</td>"
                   f"<td>{translate('HelpTexts', what)}</td></tr>" for key, what in SHORTCUTS)
    return f"<table>{rows}</table>"


def views_html(translate=_untranslated) -> str:
    return "".join(f"<p><b>{translate('HelpTexts', name)}</b>: {translate('HelpTexts', what)}</p>"
                   for name, what in VIEWS)
