"""`mnist-trainer train --tensorboard DIR`: the event files hold each epoch's figures, equal to the
run's own metrics (metrics.csv and the history saved in model.npz).

The files are read here without tensorboardX's writer: the TFRecord framing (length, masked CRC-32C
of the length, data, masked CRC-32C of the data) is parsed and checked by hand, and each record is
decoded as TensorBoard's Event protocol buffer.
"""
import csv
import struct
import sys

import numpy as np
import pytest

from engine import load_run
from trainer_gui.cli import main
from trainer_gui.tensorboard_log import EXTRA


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), bit by bit from its reflected polynomial."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def read_events(path):
    """The Events of one event file, each record's framing and checksums checked."""
    event_pb2 = pytest.importorskip("tensorboardX.proto.event_pb2")
    data, events, at = path.read_bytes(), [], 0
    while at < len(data):
        header = data[at:at + 8]
        (length,), (length_crc,) = struct.unpack("<Q", header), struct.unpack("<I", data[at + 8:at + 12])
        assert masked(crc32c(header)) == length_crc
        body = data[at + 12:at + 12 + length]
        (body_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        assert len(body) == length and masked(crc32c(body)) == body_crc
        event = event_pb2.Event()
        event.ParseFromString(body)
        events.append(event)
        at += 16 + length
    return events


def scalars(folder) -> dict:
    """{tag: {step: value}} of every event file in `folder`."""
    found = {}
    files = sorted(folder.glob("events.out.tfevents.*"))
    assert files, f"no event file in {folder}"
    for path in files:
        for event in read_events(path):
            for value in event.summary.value:
                found.setdefault(value.tag, {})[event.step] = value.simple_value
    return found


def test_train_writes_each_epochs_figures_as_tensorboard_scalars(shared_data, tmp_path, capsys):
    pytest.importorskip("tensorboardX")
    run, board = tmp_path / "run", tmp_path / "board"
    assert main(["train", "--data", str(shared_data / "mnist"), "--model", "softmax", "--epochs", "3",
                 "--out", str(run), "--tensorboard", str(board)]) == 0
    capsys.readouterr()
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    history = load_run(run / "model.npz").history
    assert len(rows) == len(history) == 3
    logged = scalars(board)
    assert sorted(logged) == ["error/train", "error/validation", "learning_rate", "loss/train", "loss/validation"]
    for tag, column in [("loss/train", "train_loss"), ("error/train", "train_error"),
                        ("loss/validation", "test_loss"), ("error/validation", "test_error"),
                        ("learning_rate", "learning_rate")]:
        assert sorted(logged[tag]) == [1, 2, 3], tag
        for row, record in zip(rows, history):
            step = int(row["epoch"])
            # TensorBoard keeps float32: the run's figure rounded so, exactly
            assert logged[tag][step] == np.float32(float(row[column])) == np.float32(getattr(record, column))
    assert logged["loss/train"][3] < logged["loss/train"][1]        # it learned: not a constant


def test_without_tensorboardx_the_option_is_refused_before_training(shared_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    status = main(["train", "--data", str(shared_data / "mnist"), "--model", "softmax", "--epochs", "1",
                   "--out", str(tmp_path / "run"), "--tensorboard", str(tmp_path / "board")])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err.strip() == ("mnist-trainer train: --tensorboard needs the tensorboardX package, which is not "
                           f"installed: {EXTRA}")
    assert list(tmp_path.iterdir()) == []


def test_a_tensorboard_folder_that_is_a_file_is_one_line_before_training(shared_data, tmp_path, capsys):
    pytest.importorskip("tensorboardX")
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    status = main(["train", "--data", str(shared_data / "mnist"), "--model", "softmax", "--epochs", "1",
                   "--out", str(tmp_path / "run"), "--tensorboard", str(blocker)])
    out, err = capsys.readouterr()
    assert status == 1 and "epoch 1/1" not in out
    assert err.startswith(f"mnist-trainer train: could not write TensorBoard events to {blocker}: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "[Errno" not in err
    assert blocker.read_text() == "keep me"
