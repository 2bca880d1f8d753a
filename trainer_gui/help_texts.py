"""The Help menu's texts: the keyboard shortcuts, and what each view shows; no Qt."""

SHORTCUTS = (
    ("Space", "pause or resume training (wherever the focus is, but in the hidden-sizes text)"),
    ("→", "train one batch, then pause (in a field: once the text cursor is at its end)"),
    ("Timeline: ← →", "one recorded moment back or forward"),
    ("Timeline: Home / End", "the start of the run / follow it live again"),
    ("Ctrl+O", "open a data folder"),
    ("Ctrl+Shift+O", "open a saved model"),
    ("Ctrl+S", "save the model"),
)

VIEWS = (
    ("Loss", "How wrong the model is, per batch (faint), smoothed (dark), and per epoch on the training "
             "(orange) and held-out (green) data. Lower is better; a held-out curve rising while the "
             "training curve falls is overfitting."),
    ("Error rate", "The share of examples answered wrongly, per epoch, on a log scale: 10 % → 1 % is "
                   "as big a step as 100 % → 10 %."),
    ("Weights", "The first layer's weights, one tile per unit (per class for softmax regression): red "
                "pixels push the unit up, blue ones down. By default the change since the start."),
    ("Misclassified", "The held-out images the model gets wrong, the most confident mistakes first: "
                      "true → predicted and how sure it was."),
    ("Confusion", "Rows are the true classes, columns the answers: the diagonal is right, every other "
                  "cell a kind of mistake."),
    ("Timeline", "Drag back to see every view as it was at that moment of the run; Live follows it."),
    ("Inside", "Draw a digit and watch each layer answer: the input the network sees, its answer, "
               "the units that light up, the softmax worked out, and what happens when you switch a "
               "unit off."),
    ("Step", "The last step taken with Step (→), taken apart: its batch, the forward pass of one "
             "digit, the error flowing back layer by layer (probabilities minus the one-hot label at the "
             "output), the change it made to the weights, and a check of the gradients by finite "
             "differences."),
    ("Evaluate", "How good the moment's model is on the held-out set: accuracy per class, the confusion "
                 "matrix (click a cell to see its digits), what answering only when sure gives, how it "
                 "copes with noisy, turned, shifted or thinner digits, and a map of the digits as a layer "
                 "sees them."),
    ("Vital signs", "Per layer: the weights against their start, the gradient's size and the size of each "
                    "update against the weights (about 0.001 is healthy), and the hidden units that died or "
                    "saturated."),
    ("Compare", "Every run you replaced (Reset, or Start with other settings) beside the one on screen: "
                "their curves overlaid, their settings and results in a table, their weights side by side."),
)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{key}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>" for key, what in SHORTCUTS)
    return f"<table>{rows}</table>"


def views_html() -> str:
    return "".join(f"<p><b>{name}</b>: {what}</p>" for name, what in VIEWS)
