"""The metrics of a run as CSV, one row per epoch: the CLI's metrics.csv and the window's export; no Qt."""
from __future__ import annotations

import csv
import io
from dataclasses import astuple

from engine.files import atomic_write

COLUMNS = ("epoch", "samples_seen", "train_loss", "train_error", "test_loss", "test_error", "learning_rate")


def metrics_text(history) -> str:
    """history: the engine's EpochRecords, in order; a held-out figure the run lacks is written as nan."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for record in history:
        writer.writerow(astuple(record))
    return text.getvalue()


def write_metrics(path, history) -> None:
    """Write the CSV under a temporary name and rename it into place: a failed write leaves no half file."""
    data = metrics_text(history).encode("utf-8")
    atomic_write(path, lambda out: out.write(data))
