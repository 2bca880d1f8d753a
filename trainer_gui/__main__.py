"""`mnist-trainer` and `python -m trainer_gui`: the command line (cli.py), which opens the window
(app.py) when no subcommand is given."""
from __future__ import annotations

import sys

from .cli import main


if __name__ == "__main__":
    sys.exit(main())
