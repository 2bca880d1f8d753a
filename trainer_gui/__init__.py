"""The desktop window of the visual trainer (PySide6 + pyqtgraph over the NumPy engine), and its
command line (cli.py; app.py builds the window when no subcommand is given).

state/ holds the Qt-free models the window shares (RunRecord, Cursor, Session, run control and
state, progress and status text, the curves): tested headless, and an import-linter contract keeps
Qt out. training/ is the only place with threads: the worker and its QThread, the live run, the
opened run, background jobs. panels/ and views/ are widgets; main_window.py lays them out and
wires them. hyperparameters, training_data, redraw_schedule and tiles are Qt-free helpers.
"""

import os
from pathlib import Path

# OpenBLAS's default thread pool stalls for long stretches on the small matrices of these models
# when cores are few (measured on 2 vCPUs: 2,500 instead of 180,000 samples/s), and the GUI thread
# needs a core of its own anyway. This must run before NumPy is first imported, so it sits in the
# package's first module, ahead of every import that could bring NumPy in (the command line and
# the window both start here); an explicit setting by the user wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# the style sheet, the icon and the built-in lessons (lessons/*.json), beside the packages
ASSETS = Path(__file__).resolve().parent / "assets"   # shipped in the package (pyproject package-data)
