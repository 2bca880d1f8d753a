"""What the download dialog says: sizes, speed, and where to download from; no Qt."""
from __future__ import annotations

import math
import os
import re
import time

MIRROR_ENV = "MNIST_TRAINER_MIRROR"   # base addresses to use instead of the known mirrors


def mirrors_from_environment(environ=os.environ) -> list[str] | None:
    """$MNIST_TRAINER_MIRROR split at commas or spaces (a local mirror, a test server), else None:
    the dataset's own mirrors. The window's equivalent of `mnist-trainer download --mirror`."""
    mirrors = [m for m in re.split(r"[,\s]+", environ.get(MIRROR_ENV, "")) if m]
    return mirrors or None


def format_bytes(count: float) -> str:
    """Decimal units, as download sizes are usually given: 950 B, 4.5 kB, 9.9 MB."""
    for unit in ("B", "kB", "MB"):
        if abs(count) < 1000:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


class TransferMeter:
    """Bytes received over a whole download of several files, and the mean speed since it started
    (connecting included: the speed a user waits at; a stalled server shows as a falling speed).

    now: the time source, replaceable in tests.
    """

    def __init__(self, now=time.monotonic):
        self._now = now
        self._start = now()
        self._finished_files = 0   # bytes of the files already complete
        self._file, self._done = None, 0

    def update(self, file_name: str, done: int) -> None:
        """The progress callback's (file, bytes done of that file)."""
        if file_name != self._file:
            self._finished_files += self._done
            self._file = file_name
        self._done = done

    @property
    def received(self) -> int:
        return self._finished_files + self._done

    def bytes_per_second(self) -> float:
        seconds = self._now() - self._start
        return self.received / seconds if seconds > 0 else math.nan


def describe_transfer(done: int, total: int, bytes_per_second: float) -> str:
    """'1.2 MB of 1.6 MB · 850.0 kB/s'; total 0 means the server did not say."""
    amount = f"{format_bytes(done)} of {format_bytes(total)}" if total else format_bytes(done)
    speed = f"{format_bytes(bytes_per_second)}/s" if math.isfinite(bytes_per_second) else "— /s"
    return f"{amount}   ·   {speed}"
