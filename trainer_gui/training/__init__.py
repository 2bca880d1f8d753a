"""The live run and everything with a thread: the worker QObject and its QThread (worker.py), the
run as the window sees it (training_run.py), a saved run shown as a stopped one (opened_run.py),
the trainer shared by two threads (guarded_trainer.py) and background jobs (background.py,
moment_evaluator.py)."""
