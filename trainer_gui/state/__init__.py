"""The window's Qt-free models: a record of each run, the cursor every view follows, the session.

Nothing here imports Qt (an import-linter contract in pyproject.toml checks it), so these are
tested without a screen; see ../../../shared/DESIGN.md for the shape they serve.
"""
from .cursor import Cursor
from .record import DEFAULT_BUDGET, Moment, RunRecord
from .session import Session

__all__ = ["Cursor", "DEFAULT_BUDGET", "Moment", "RunRecord", "Session"]
