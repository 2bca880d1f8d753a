"""The desktop window of the visual trainer (PySide6 + pyqtgraph over the NumPy engine), and its
command line (cli.py).

The logic the widgets show lives in modules without Qt, testable headless: hyperparameters,
training_data, run_control, run_state, progress, history, redraw_schedule and tiles. worker.py is
the one module that touches both the engine and threads; training_run.py, main_window.py, panels/
and views/ are the Qt side.
"""
