"""`mnist-trainer train --tensorboard DIR`: each finished epoch's metrics as TensorBoard scalars; no Qt.

tensorboardX (the `tensorboard` extra) writes the event files; `tensorboard --logdir DIR` shows them
while the run goes on (each epoch is flushed at once). The tags are grouped by figure, one curve per
split: loss/train, loss/validation (or loss/test), error/train, error/validation, and learning_rate;
the step is the epoch number.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path

EXTRA = "pip install 'mnist-trainer[tensorboard]'"


class MissingTensorBoard(ValueError):
    """tensorboardX is not installed; the message names the extra that installs it."""


def require_tensorboardx():
    """The tensorboardX module, or MissingTensorBoard: checked before a run is spent."""
    try:
        import tensorboardX
    except ImportError:
        raise MissingTensorBoard("--tensorboard needs the tensorboardX package, which is not installed: "
                                 f"{EXTRA}") from None
    return tensorboardX


def write_epoch(writer, record, split: str) -> None:
    """One EpochRecord's scalars; a held-out figure the run lacks (nan) is left out."""
    step = record.epoch
    for figure in ("loss", "error"):
        writer.add_scalar(f"{figure}/train", getattr(record, f"train_{figure}"), step)
        held_out = getattr(record, f"test_{figure}")
        if not math.isnan(held_out):
            writer.add_scalar(f"{figure}/{split}", held_out, step)
    writer.add_scalar("learning_rate", record.learning_rate, step)
    writer.flush()


@contextmanager
def tensorboard_log(folder: Path | None, split: str):
    """Yields log(record), writing each EpochRecord into event files in `folder` (created if need
    be); without a folder, log does nothing. The files are closed when the block ends, however."""
    if folder is None:
        yield lambda record: None
        return
    tensorboardx = require_tensorboardx()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writer = tensorboardx.SummaryWriter(logdir=str(folder), flush_secs=5)
    except OSError as error:
        raise OSError(f"could not write TensorBoard events to {folder}: {error.strerror or error}") from None
    try:
        yield lambda record: write_epoch(writer, record, split)
    finally:
        writer.close()
