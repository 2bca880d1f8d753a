"""The command line: train → RUN_DIR → evaluate on the real MNIST digits, help, bad arguments,
plain log lines without a terminal, no Qt, and Ctrl+C during training.

The shared MNIST folder holds only the 10,000 test digits, so `train` holds out the last 20 % of them
(rows 8,000–9,999) as its validation split. The figures it reports are checked against a forward pass
written here from the saved arrays and the IDX bytes decoded by hand.
"""
import csv
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from engine import build_trainer, load_run, write_idx
from trainer_gui.cli import held_out_data, main

REPO = Path(__file__).resolve().parent.parent
COMMANDS = ["train", "evaluate", "download", "datasets", "export"]
METRICS_COLUMNS = ["epoch", "samples_seen", "train_loss", "train_error", "test_loss", "test_error",
                   "learning_rate"]
RUN_CLI = "import sys; from trainer_gui.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def mnist_dir(shared_data):
    return shared_data / "mnist"


@pytest.fixture(scope="module")
def validation_split(mnist_dir):
    """Rows 8,000–9,999 of the MNIST test files, decoded from the IDX bytes without the engine."""
    with gzip.open(mnist_dir / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(10000, 784)
    with gzip.open(mnist_dir / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images[8000:].astype(np.float32) / np.float32(255), labels[8000:].astype(np.int64)


def forward(arrays, kind, X):
    """The model's output computed here from the arrays in model.npz."""
    weights = [arrays[f"weight_{i}"] for i in range(3) if f"weight_{i}" in arrays]
    biases = [arrays[f"bias_{i}"] for i in range(3) if f"bias_{i}" in arrays]
    A = X
    for i, W in enumerate(weights):
        Z = A @ W + (biases[i] if biases else 0)
        A = np.maximum(Z, 0) if i < len(weights) - 1 else Z
    return A.astype(np.float64)


def reference_loss(output, y, kind):
    if kind == "linear":                      # mean squared error over all elements, one-hot targets
        return float(np.mean((output - np.eye(10)[y]) ** 2))
    shifted = output - output.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(y)), y].mean())


# --- train → RUN_DIR → evaluate -------------------------------------------------------------------

MODELS = {   # kind: (extra arguments, epochs, learning rate, error it must get below)
    "softmax": ([], 2, 0.2, 0.12),
    "two-layer": (["--hidden", "32"], 1, 0.2, 0.15),
    "mlp": (["--hidden", "32,16"], 2, 0.2, 0.15),
    "linear": (["--lr", "0.1"], 2, 0.1, 0.30),
}


@pytest.mark.parametrize("kind", MODELS)
def test_train_writes_the_run_and_evaluate_reports_the_same_figures(kind, mnist_dir, validation_split,
                                                                     tmp_path, capsys):
    extra, epochs, learning_rate, good_enough = MODELS[kind]
    run = tmp_path / "run"
    status = main(["train", "--data", str(mnist_dir), "--model", kind, *extra,
                   "--epochs", str(epochs), "--out", str(run)])
    out = capsys.readouterr().out
    assert status == 0
    assert sorted(p.name for p in run.iterdir()) == ["evaluation.json", "metrics.csv", "model.npz"]
    assert "8000 train, 2000 validation" in out
    assert len(re.findall(r"^epoch \d+/\d+: train loss .* samples/s$", out, re.M)) == epochs

    # metrics.csv: one row per epoch, in the documented columns
    with open(run / "metrics.csv", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == METRICS_COLUMNS
    assert [int(r["epoch"]) for r in rows] == list(range(1, epochs + 1))
    assert [int(r["samples_seen"]) for r in rows] == [8000 * e for e in range(1, epochs + 1)]
    assert all(float(r["learning_rate"]) == learning_rate for r in rows)

    # evaluation.json: the last epoch's validation figures, checked against a forward pass made here
    report = json.loads((run / "evaluation.json").read_text())
    assert report["split"] == "validation"
    assert (report["loss"], report["error"]) == (float(rows[-1]["test_loss"]), float(rows[-1]["test_error"]))
    X, y = validation_split
    with np.load(run / "model.npz", allow_pickle=False) as npz:
        output = forward(dict(npz), kind, X)
    assert report["error"] == pytest.approx(np.mean(output.argmax(axis=1) != y), abs=1.5 / 2000)
    assert report["loss"] == pytest.approx(reference_loss(output, y, kind), rel=1e-4)
    confusion = np.array(report["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 2000
    assert confusion.sum(axis=1).tolist() == np.bincount(y, minlength=10).tolist()
    assert 1 - np.trace(confusion) / 2000 == pytest.approx(report["error"])
    assert report["error"] < good_enough                                   # it learned

    # evaluate prints the same loss, error and confusion matrix
    assert main(["evaluate", str(run / "model.npz")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"validation: loss {report['loss']:.6f}  error {100 * report['error']:.2f}%"
    assert printed[1] == "confusion (rows: true label, columns: predicted)"
    assert [[int(n) for n in line.split()[1:]] for line in printed[3:13]] == report["confusion"]
    assert [int(line.split()[0]) for line in printed[3:13]] == list(range(10))


def test_evaluate_on_another_folder_uses_that_data(mnist_dir, tmp_path, capsys, shared_data):
    run = tmp_path / "run"
    assert main(["train", "--data", str(mnist_dir), "--model", "softmax", "--epochs", "1",
                 "--out", str(run)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(run / "model.npz"), "--data", str(shared_data / "fashion-mnist")]) == 0
    out = capsys.readouterr().out
    # digits model on clothes: a test split of 10,000 and an error far above the digits' figure
    confusion = [[int(n) for n in line.split()[1:]] for line in out.splitlines()[3:13]]
    assert out.startswith("test: loss") and np.sum(confusion) == 10000
    assert float(re.search(r"error (\d+\.\d+)%", out).group(1)) > 50


# --- help ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["mnist-trainer", *COMMANDS])
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: mnist-trainer {' '.join(command)}".rstrip())
    wanted = {"mnist-trainer": COMMANDS, "train": ["--model", "--hidden", "--epochs", "--lr", "--batch",
                                                   "--schedule", "--seed", "--out", "two-layer", "--tensorboard"],
              "evaluate": ["model", "--data"], "download": ["--root", "--mirror", "fashion-mnist"],
              "datasets": [], "export": ["model", "--format", "onnx", "safetensors", "--out",
                                         "export extra"]}[command[0] if command else "mnist-trainer"]
    for word in wanted:
        assert word in out


# --- bad arguments --------------------------------------------------------------------------------

@pytest.mark.parametrize("arguments, message", [
    (["--hidden", "abc"], "hidden layer sizes 'abc' not understood"),
    (["--hidden", "100,,"], "hidden layer sizes '100,,' not understood"),
    (["--hidden", "0"], "hidden layer sizes '0' not understood"),
    (["--hidden", "-5"], "hidden layer sizes '-5' not understood"),
    (["--lr", "0"], "argument --lr: must be positive, got 0"),
    (["--lr", "-0.5"], "argument --lr: must be positive, got -0.5"),
    (["--lr", "nan"], "argument --lr: must be positive, got nan"),
    (["--lr", "fast"], "argument --lr: invalid"),
    (["--batch", "0"], "argument --batch: must be positive, got 0"),
    (["--batch", "2.5"], "argument --batch: invalid"),
    (["--epochs", "0"], "argument --epochs: must be positive, got 0"),
    (["--model", "resnet"], "argument --model: invalid choice: 'resnet'"),
    (["--validation", "1"], "argument --validation: must be between 0 and 1, got 1"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_bad_arguments_are_refused_with_a_message(arguments, message, mnist_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["train", "--data", str(mnist_dir), *arguments, "--out", str(tmp_path / "run")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: mnist-trainer train")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("case, message", [
    ("empty folder", "no MNIST-style IDX files here"),
    ("missing folder", "not a folder"),
    ("labels without images", "found t10k-labels-idx1-ubyte but not its images file"),
    ("batch larger than the data", "batch size must be between 1 and the 8000 training examples, got 9000"),
    ("infinite learning rate", "learning rate must be a positive number, got inf"),
    ("momentum of 1.5", "momentum must be in [0, 1), got 1.5"),
    ("weight decay nan", "weight decay must be a number ≥ 0, got nan"),
])
def test_bad_data_and_settings_give_one_clear_line_and_exit_1(case, message, mnist_dir, tmp_path, capsys):
    data, extra = mnist_dir, []
    if case == "empty folder":
        data = tmp_path / "empty"
        data.mkdir()
        (data / "notes.txt").write_text("no digits here")
    elif case == "missing folder":
        data = tmp_path / "nowhere"
    elif case == "labels without images":
        data = tmp_path / "half"
        data.mkdir()
        (data / "t10k-labels-idx1-ubyte").write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 1, 3]))
    else:
        extra = {"batch larger than the data": ["--batch", "9000"],
                 "infinite learning rate": ["--lr", "inf"],
                 "momentum of 1.5": ["--momentum", "1.5"],
                 "weight decay nan": ["--weight-decay", "nan"]}[case]
    status = main(["train", "--data", str(data), "--model", "softmax", *extra,
                   "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("mnist-trainer train: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("content", [None, b"", b"PK\x03\x04 not really a zip", bytes(range(256)) * 8])
def test_evaluate_of_a_file_that_is_not_a_model_says_so(content, tmp_path, capsys):
    path = tmp_path / "model.npz"
    if content is not None:
        path.write_bytes(content)
    assert main(["evaluate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mnist-trainer evaluate: model.npz: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_evaluate_of_a_text_image_or_array_file_says_it_is_not_a_saved_model(files_that_are_not_models,
                                                                            capsys):
    """Found: `evaluate readme.txt` said the file "contains pickled (object) data" and advised
    loading it "unsafely using allow_pickle=", which is wrong and unsafe."""
    for path in files_that_are_not_models:
        assert main(["evaluate", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"mnist-trainer evaluate: {path.name}: not a saved model"), err
        assert "pickle" not in err.lower() and len(err.strip().splitlines()) == 1


def test_an_out_path_that_is_a_file_is_refused_before_training(mnist_dir, tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    status = main(["train", "--data", str(mnist_dir), "--model", "softmax", "--epochs", "1",
                   "--out", str(blocker)])
    out, err = capsys.readouterr()
    assert status == 1 and "File exists" in err and "Traceback" not in err
    assert "epoch 1/1" not in out                       # refused before a run was spent
    assert blocker.read_text() == "keep me"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
@pytest.mark.parametrize("out, reason", [("/proc/x", "No such file or directory"),
                                         ("/proc", "")])   # a folder that exists but takes no files
def test_an_out_folder_that_cannot_be_written_is_named_in_one_line_before_training(out, reason, mnist_dir,
                                                                                  capsys):
    status = main(["train", "--data", str(mnist_dir), "--model", "softmax", "--epochs", "1", "--out", out])
    captured = capsys.readouterr()
    assert status == 1 and "epoch 1/1" not in captured.out
    assert captured.err.startswith(f"mnist-trainer train: could not write the run to {out}: {reason}")
    assert "[Errno" not in captured.err and len(captured.err.strip().splitlines()) == 1


@pytest.fixture
def no_datasets_elsewhere(tmp_path, monkeypatch):
    """No dataset to be found but what the command line names: an empty user cache, no
    MNIST_TRAINER_DATA, no Debian package."""
    import engine.datasets as datasets
    monkeypatch.setattr(datasets, "cache_root", lambda: tmp_path / "cache")
    monkeypatch.setattr(datasets, "DEBIAN_FASHION", tmp_path / "no-debian")
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)


def test_the_top_level_data_option_is_the_commands_unless_they_are_given_their_own(
        no_datasets_elsewhere, mnist_dir, shared_data, tmp_path, capsys):
    """Found: `mnist-trainer --data X train` ignored X (the subcommand's default overwrote it)."""
    run = tmp_path / "run"
    assert main(["--data", str(mnist_dir), "train", "--model", "softmax", "--epochs", "1",
                 "--out", str(run)]) == 0
    assert f"on {mnist_dir}: 8000 train, 2000 validation" in capsys.readouterr().out
    fashion = shared_data / "fashion-mnist"
    assert main(["--data", str(fashion), "evaluate", str(run / "model.npz")]) == 0
    assert capsys.readouterr().out.startswith("test: loss")                # Fashion-MNIST's test split
    assert main(["--data", str(fashion), "evaluate", str(run / "model.npz"), "--data", str(mnist_dir)]) == 0
    assert capsys.readouterr().out.startswith("validation: loss")         # the command's own --data
    assert main(["evaluate", str(run / "model.npz")]) == 0                # the folder it trained on
    assert capsys.readouterr().out.startswith("validation: loss")


def test_download_into_a_root_that_is_a_file_says_so(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("")
    assert main(["download", "mnist", "--root", str(blocker), "--mirror", "http://127.0.0.1:9/"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mnist-trainer download: cannot create") and "Traceback" not in err


# --- in a real process ----------------------------------------------------------------------------

def run_cli(arguments, script=RUN_CLI, **options):
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "-c", script, *arguments], cwd=REPO, env=env,
                          timeout=120, **options)


def test_without_a_terminal_it_prints_plain_log_lines(mnist_dir, tmp_path):
    done = run_cli(["train", "--data", str(mnist_dir), "--model", "softmax", "--epochs", "2",
                    "--out", str(tmp_path / "run")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""                    # no progress bars, no warnings
    assert "\r" not in done.stdout and "\x1b" not in done.stdout
    lines = done.stdout.splitlines()
    epoch_line = (r"epoch {}/2: train loss \d+\.\d{{4}} error \d+\.\d{{2}}%  "
                  r"validation loss \d+\.\d{{4}} error \d+\.\d{{2}}%  [\d,]+ samples/s")
    assert re.fullmatch(epoch_line.format(1), lines[1]) and re.fullmatch(epoch_line.format(2), lines[2])
    assert lines[0].startswith("Softmax regression [784, 10] on ")
    assert re.fullmatch(r"trained in \d+\.\d s", lines[3])
    assert lines[-1].startswith("wrote ")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a Linux pseudo-terminal")
def test_on_a_terminal_it_shows_progress_bars(mnist_dir, tmp_path):
    import fcntl
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))   # 24 rows, 120 columns
    received = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = run_cli(["train", "--data", str(mnist_dir), "--model", "softmax", "--epochs", "1",
                        "--out", str(tmp_path / "run")], stdout=subprocess.PIPE, stderr=slave, text=True)
    finally:
        os.close(slave)
        reader.join(10)
        os.close(master)
    bars = b"".join(received).decode(errors="replace")
    assert done.returncode == 0
    assert "epochs" in bars and "epoch 1" in bars and "batch" in bars and "\r" in bars
    assert "loss=" in bars and "error=" in bars
    assert re.search(r"epoch 1/1: train loss .* samples/s", done.stdout)


def test_the_command_line_never_imports_qt(mnist_dir, tmp_path):
    qt = "[m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]"
    done = subprocess.run([sys.executable, "-c", f"import sys, trainer_gui.cli; print({qt})"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

    script = (f"import sys; from trainer_gui.cli import main; code = main(); "
              f"print('qt:', {qt}); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, "train", "--data", str(mnist_dir), "--model",
                           "softmax", "--epochs", "1", "--out", str(tmp_path / "run")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "qt: []"


# --- Ctrl+C ---------------------------------------------------------------------------------------

@pytest.fixture
def random_digits(tmp_path):
    """400 random 8×8 images with labels 0–9: epochs of 32 batches of 10 that take milliseconds."""
    rng = np.random.default_rng(3)
    folder = tmp_path / "digits"
    folder.mkdir()
    write_idx(folder / "t10k-images-idx3-ubyte", rng.integers(0, 256, (400, 8, 8), dtype=np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte", rng.integers(0, 10, 400).astype(np.uint8))
    return folder


def endless_training(data, run):
    return ["train", "--data", str(data), "--hidden", "16", "--batch", "10", "--epochs", "100000",
            "--out", str(run)]


def assert_saved_after_whole_steps(run, data, steps):
    """model.npz holds exactly the run of `steps` whole steps: the same weights as a run replayed
    here for that many steps (no step cut half-way), and metrics.csv its complete epochs."""
    saved = load_run(run / "model.npz")
    assert saved.state["steps"] == steps
    replay = build_trainer(saved.model_config, saved.train_config, *held_out_data(data, 0.2)[:4])
    for _ in range(steps):
        replay.step()
    for have, want in zip(saved.weights, replay.model.weights):
        np.testing.assert_array_equal(have, want)
    with open(run / "metrics.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == replay.epoch == saved.state["epoch"]


def test_ctrl_c_during_train_saves_the_run_at_a_step_and_exits_130(random_digits, tmp_path):
    """Found: Ctrl+C printed a 25-line traceback and saved nothing."""
    run = tmp_path / "run"
    child = subprocess.Popen([sys.executable, "-c", RUN_CLI, *endless_training(random_digits, run)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    guard = threading.Timer(60, child.kill)   # a child that never prints cannot hang the suite
    guard.start()
    try:
        printed = []
        for line in child.stdout:            # interrupt once it is well into training
            printed.append(line)
            if line.startswith("epoch 3/"):
                child.send_signal(signal.SIGINT)
                break
        out, err = child.communicate(timeout=60)
    finally:
        guard.cancel()
    out = "".join(printed) + out
    assert child.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    stopped = re.fullmatch(r"interrupted after (\d+) steps \((in epoch \d+, after batch \d+ of 32|at the end "
                           r"of epoch \d+)\): saving the run as it stands\n", err)
    assert stopped, err
    assert out.strip().splitlines()[-1] == f"wrote {run / 'model.npz'}, {run / 'metrics.csv'} and " \
                                           f"{run / 'evaluation.json'}"
    assert_saved_after_whole_steps(run, random_digits, int(stopped.group(1)))


PRESSING_CTRL_C = textwrap.dedent("""
    import signal, sys
    from engine.trainer import Trainer
    from trainer_gui.cli import main

    presses, step = int(sys.argv[1]), Trainer.step

    def step_pressing_ctrl_c(self):   # Ctrl+C pressed `presses` times as the sixth step begins
        if self.steps == 5:
            for _ in range(presses):
                signal.raise_signal(signal.SIGINT)
        return step(self)

    Trainer.step = step_pressing_ctrl_c
    sys.exit(main(sys.argv[2:]))
""")


def test_ctrl_c_during_a_step_ends_the_run_once_the_step_is_done(random_digits, tmp_path):
    run = tmp_path / "run"
    done = run_cli(["1", *endless_training(random_digits, run)], script=PRESSING_CTRL_C,
                   capture_output=True, text=True)
    assert done.returncode == 130 and "Traceback" not in done.stderr
    assert done.stderr == ("interrupted after 6 steps (in epoch 1, after batch 6 of 32): saving the run "
                           "as it stands\n")
    assert_saved_after_whole_steps(run, random_digits, 6)


def test_a_second_ctrl_c_stops_at_once_and_saves_nothing(random_digits, tmp_path):
    run = tmp_path / "run"
    done = run_cli(["2", *endless_training(random_digits, run)], script=PRESSING_CTRL_C,
                   capture_output=True, text=True)
    assert done.returncode == 130
    assert done.stderr == "mnist-trainer train: interrupted\n"
    assert list(run.iterdir()) == []


def test_train_with_adam_stops_early_and_keeps_the_best_weights(mnist_dir, validation_split, tmp_path, capsys):
    """--optimizer adam takes Adam's own starting rate, --early-stopping ends the run when the held-out
    loss stops improving, and --restore-best leaves the best epoch's weights in model.npz."""
    run = tmp_path / "run"
    status = main(["train", "--data", str(mnist_dir), "--model", "two-layer", "--hidden", "32", "--epochs", "60",
                   "--optimizer", "adam", "--early-stopping", "2", "--restore-best", "--out", str(run)])
    out = capsys.readouterr().out
    assert status == 0
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    losses = [float(r["test_loss"]) for r in rows]
    best = int(np.argmin(losses)) + 1
    assert len(rows) == best + 2 < 60                                # two epochs without improvement
    assert f"stopped early: the validation loss has not improved for 2 epochs; the best was epoch {best}" in out
    assert all(float(r["learning_rate"]) == 0.001 for r in rows)     # Adam's default rate
    X, y = validation_split
    with np.load(run / "model.npz", allow_pickle=False) as npz:
        output = forward(dict(npz), "two-layer", X)
    assert reference_loss(output, y, "two-layer") == pytest.approx(losses[best - 1], rel=1e-4)
    assert json.loads((run / "evaluation.json").read_text())["loss"] == pytest.approx(losses[best - 1], rel=1e-5)
