"""The `mnist-trainer` command line: the window by default; train, evaluate, download, datasets, export.

Imports no Qt unless the window is asked for, so it runs on servers without a screen.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from tqdm import tqdm

from engine import (MLP, IDXFormatError, ModelConfig, ModelFileError, TrainConfig, build_trainer, evaluate,
                    least_squares, one_hot,
                    load_data, load_run, restore_trainer, save_run)
from engine.evaluation import predict
from engine.persist import saved_model
from engine.config import MODEL_KINDS, suggested_learning_rate
from engine.export import EXTRA, FORMATS, export_model, model_of_run
from engine.files import atomic_write
from engine.datasets import KNOWN, DownloadError, cache_root, download, find_datasets
from engine.model import INITS
from engine.optim import OPTIMIZERS, SCHEDULES

from .hyperparameters import parse_hidden_sizes
from .metrics_csv import write_metrics
from .predictions import check_inputs, predictions_csv
from .tensorboard_log import require_tensorboardx, tensorboard_log
from .training_data import prepare_training_data
from .transfer import mirrors_from_environment

INTERRUPTED = 130   # the exit status of a command stopped by Ctrl+C (128 + SIGINT), as shells report it


def hidden_sizes(text: str) -> tuple[int, ...]:
    """'256,128' -> (256, 128), by the rule the window's hidden-sizes field uses."""
    try:
        return parse_hidden_sizes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def seed(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text}") from None
    if not 0 <= value < 2 ** 63:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 2**63-1, got {text}")
    return value


def fraction(text):
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mnist-trainer",
        description="A visual trainer for neural networks on MNIST-style data. "
                    "With no command, opens the window.")
    parser.add_argument("--data", type=Path,
                        help="data to open in the window, or for a command without its own --data: a folder of "
                             "IDX files or of pictures in class folders, a .csv or an .npz file")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser("train", help="train a model without a window",
                                description="Train a model and write it, its metrics and its "
                                            "evaluation to RUN_DIR.")
    # SUPPRESS: a subcommand's default would overwrite `mnist-trainer --data DIR train`'s folder
    train.add_argument("--data", type=Path, default=argparse.SUPPRESS,
                       help="folder of IDX files or pictures, .csv or .npz file (default: the first dataset found)")
    train.add_argument("--model", choices=list(MODEL_KINDS), default="two-layer")
    train.add_argument("--hidden", type=hidden_sizes, default=(100,), help="hidden sizes, e.g. 256,128")
    train.add_argument("--activation", choices=["relu", "sigmoid", "tanh", "identity"], default="relu",
                       help="hidden activation (mlp)")
    train.add_argument("--output", choices=["identity", "sigmoid"], default="identity",
                       help="output activation (mlp)")
    train.add_argument("--loss", choices=["softmax_ce", "mse", "bce"], default="softmax_ce", help="(mlp)")
    train.add_argument("--no-bias", dest="bias", action="store_false", help="(mlp) layers without bias")
    train.add_argument("--init", choices=["default", *INITS], default="default")
    train.add_argument("--epochs", type=positive(int), default=10)
    train.add_argument("--lr", type=positive(float),
                       help="learning rate (default: 0.2; 0.1 for linear regression)")
    train.add_argument("--batch", type=positive(int), default=100, help="batch size")
    train.add_argument("--schedule", choices=SCHEDULES, default="constant")
    train.add_argument("--momentum", type=float, default=0.0)
    train.add_argument("--weight-decay", type=float, default=0.0)
    train.add_argument("--shuffle", action="store_true", help="shuffle the batches every epoch")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                       help="nesterov needs --momentum; adagrad, rmsprop and adam take torch.optim's defaults")
    train.add_argument("--dropout", type=float, default=0.0, help="chance of dropping each hidden unit in training")
    train.add_argument("--augment-shift", type=int, default=0, metavar="PX",
                       help="shift each training image by up to PX pixels in each direction")
    train.add_argument("--augment-rotation", type=float, default=0.0, metavar="DEG",
                       help="rotate each training image by up to DEG degrees either way")
    train.add_argument("--augment-noise", type=float, default=0.0, metavar="SIGMA",
                       help="add Gaussian noise of this σ to each training image")
    train.add_argument("--early-stopping", type=int, default=0, metavar="N",
                       help="stop when the held-out loss has not improved for N epochs (0: off)")
    train.add_argument("--restore-best", action="store_true",
                       help="with --early-stopping, end with the weights of the best held-out loss")
    train.add_argument("--seed", type=seed, default=0, help="seed of the weights and the shuffling")
    train.add_argument("--validation", type=fraction, default=0.2,
                       help="fraction held out when the folder has a single split (default 0.2)")
    train.add_argument("--out", type=Path, required=True, help="run folder to write")
    train.add_argument("--tensorboard", type=Path, metavar="DIR",
                       help="also write each epoch's loss and error as TensorBoard event files into DIR "
                            "(watch with `tensorboard --logdir DIR`; needs the tensorboard extra)")

    evaluate = commands.add_parser("evaluate", help="evaluate a saved model",
                                   description="Print loss, error and confusion matrix of a saved model; on data "
                                               "without labels (a CSV without its label column), its "
                                               "predictions as ImageId,Label lines instead.")
    evaluate.add_argument("model", type=Path, help="a model.npz written by train or the window")
    evaluate.add_argument("--data", type=Path, default=argparse.SUPPRESS,
                          help="folder of IDX files or pictures, .csv or .npz file (default: the one it trained on)")

    get = commands.add_parser("download", help="download a known dataset",
                              description="Download a dataset's four IDX files, checking checksums.")
    get.add_argument("name", choices=list(KNOWN))
    get.add_argument("--root", type=Path, help=f"parent folder (default: {cache_root()})")
    get.add_argument("--mirror", action="append",
                     help="base address to try instead of the known mirrors (or set MNIST_TRAINER_MIRROR)")

    commands.add_parser("datasets", help="list the datasets found and those that can be downloaded")

    export = commands.add_parser("export", help="export a saved model for other tools (ONNX, PyTorch)",
                                 description="Write a saved model as ONNX, or as PyTorch tensors "
                                             "(safetensors) with the PyTorch code that loads them. "
                                             f"Needs the export extra: {EXTRA}")
    export.add_argument("model", type=Path, help="a model.npz written by train or the window")
    export.add_argument("--format", choices=list(FORMATS), required=True,
                        help="onnx: a graph any ONNX runtime runs and Netron draws; safetensors: "
                             "an nn.Sequential's state dict, with NAME.py beside it that loads it")
    export.add_argument("--out", type=Path,
                        help="file to write (default: the model's name with .onnx or .safetensors)")
    return parser


def resolve_data(path: Path | None) -> Path:
    if path is not None:
        return path
    found = find_datasets()
    if not found:
        raise SystemExit("no dataset found: pass --data DIR, set MNIST_TRAINER_DATA, "
                         "or run `mnist-trainer download mnist`")
    return found[0].path


def loaded_data(data_dir: Path):
    """The Dataset of a folder or file; what the loader noted (pictures skipped) goes to stderr."""
    dataset = load_data(data_dir)
    for note in dataset.notes:
        print(f"{data_dir}: {note}", file=sys.stderr)
    return dataset


def training_data(data_dir: Path, validation: float):
    """The TrainingData of a folder or file, as the window chooses it."""
    return prepare_training_data(loaded_data(data_dir), validation)


def held_out_data(data_dir: Path, validation: float):
    """(X_train, y_train, X_eval, y_eval, name of the evaluation split, image shape), as the window
    chooses them."""
    data = training_data(data_dir, validation)
    return data.X_train, data.y_train, data.X_eval, data.y_eval, data.eval_name, data.image_shape


def evaluation_report(evaluation, split: str) -> dict:
    return {"split": split, "loss": evaluation.loss, "error": evaluation.error,
            "confusion": evaluation.confusion.tolist()}


def print_evaluation(report: dict) -> None:
    print(f"{report['split']}: loss {report['loss']:.6f}  error {100 * report['error']:.2f}%")
    confusion = np.array(report["confusion"])
    width = max(len(str(confusion.max())), 3)
    print("confusion (rows: true label, columns: predicted)")
    print("      " + " ".join(f"{c:>{width}}" for c in range(len(confusion))))
    for label, row in enumerate(confusion):
        print(f"  {label:>3} " + " ".join(f"{n:>{width}}" for n in row))


def train_command(args) -> int:
    if args.tensorboard is not None:
        require_tensorboardx()              # before the data is loaded and a run spent
    data_dir = resolve_data(args.data)
    data = training_data(data_dir, args.validation)
    X_train, y_train, X_eval, y_eval, split = data.X_train, data.y_train, data.X_eval, data.y_eval, data.eval_name
    model_config = ModelConfig(kind=args.model, hidden=args.hidden, activation=args.activation,
                               output=args.output, loss=args.loss, bias=args.bias, init=args.init,
                               seed=args.seed)
    learning_rate = args.lr or suggested_learning_rate(args.model, args.optimizer)
    train_config = TrainConfig(learning_rate=learning_rate, batch_size=args.batch, epochs=args.epochs,
                               schedule=args.schedule, momentum=args.momentum,
                               weight_decay=args.weight_decay, shuffle=args.shuffle, seed=args.seed,
                               optimizer=args.optimizer, dropout=args.dropout, augment_shift=args.augment_shift,
                               augment_rotation=args.augment_rotation, augment_noise=args.augment_noise,
                               early_stopping=args.early_stopping, restore_best=args.restore_best)
    # as many outputs as the data has classes (EMNIST letters: 26, whichever labels are present)
    trainer = build_trainer(model_config, train_config, X_train, y_train, X_eval, y_eval,
                            n_outputs=data.n_classes, image_shape=data.image_shape)
    prepare_run_folder(args.out)
    with tensorboard_log(args.tensorboard, split) as log_epoch:
        print(f"{MODEL_KINDS[args.model]} {trainer.model.sizes} on {data_dir}: {len(y_train)} train, "
              f"{len(y_eval)} {split}")
        interactive = sys.stderr.isatty()
        start = time.perf_counter()
        # a diverging run is reported once below, not warned per step
        with np.errstate(all="ignore"), interrupts_between_steps() as interrupted:
            for _ in tqdm(range(args.epochs), desc="epochs", unit="epoch", disable=not interactive):
                batches = tqdm(total=trainer.batches_per_epoch, desc=f"epoch {trainer.epoch + 1}",
                               unit="batch", leave=False, disable=not interactive)
                epoch_start, result = time.perf_counter(), None
                while not interrupted() and (result is None or not result.epoch_end):
                    result = trainer.step()
                    if not result.finite:
                        batches.close()
                        print(f"training diverged at epoch {result.epoch + 1}, batch {result.batch + 1}: "
                              f"the loss or its gradients overflowed (loss {result.loss:.4g}) with a "
                              f"learning rate of {trainer.learning_rate:g}. The weights are those of the "
                              "last finite step; try a smaller learning rate.", file=sys.stderr)
                        return finish(args.out, trainer, model_config, train_config, split, status=2,
                                      data_dir=data_dir, validation=args.validation)
                    batches.update()
                    if result.batch % 20 == 0:
                        batches.set_postfix(loss=f"{result.loss:.4f}", error=f"{result.error:.3f}")
                batches.close()
                if result is None or not result.epoch_end:   # Ctrl+C in the middle of the epoch
                    break
                record = trainer.history[-1]
                log_epoch(record)
                rate = len(y_train) / (time.perf_counter() - epoch_start)
                message = (f"epoch {record.epoch}/{args.epochs}: train loss {record.train_loss:.4f} "
                           f"error {100 * record.train_error:.2f}%  {split} loss {record.test_loss:.4f} "
                           f"error {100 * record.test_error:.2f}%  {rate:,.0f} samples/s")
                if interactive:
                    tqdm.write(message)
                else:
                    print(message, flush=True)
                if trainer.stopped_early:
                    restored = " (its weights restored)" if train_config.restore_best else ""
                    print(f"stopped early: the {split} loss has not improved for {args.early_stopping} epochs; "
                          f"the best was epoch {trainer.best_epoch}{restored}", flush=True)
                    break
                if interrupted():
                    break
        if trainer.epoch < args.epochs and not trainer.stopped_early:   # Ctrl+C: keep what is complete
            if trainer.steps == 0:
                print("interrupted before the first step: nothing to save", file=sys.stderr)
                return INTERRUPTED
            print(f"interrupted after {trainer.steps} steps ({interrupted_where(trainer)}): saving the "
                  "run as it stands", file=sys.stderr)
            return finish(args.out, trainer, model_config, train_config, split, status=INTERRUPTED,
                          data_dir=data_dir, validation=args.validation)
        print(f"trained in {time.perf_counter() - start:.1f} s")
        if args.model == "linear":
            print_closed_form(trainer, X_train, y_train, X_eval, y_eval, split)
        return finish(args.out, trainer, model_config, train_config, split, data_dir=data_dir,
                      validation=args.validation)


@contextmanager
def interrupts_between_steps():
    """While training: the first Ctrl+C only asks the run to stop once the step under way is done
    (a step cut short can leave some layers updated and others not, or the weights updated and the
    counters not: no state to save). `interrupted()` says whether it was pressed. A second Ctrl+C
    interrupts at once. Only in the main thread and over Python's own handler (not an ignored
    SIGINT): elsewhere nothing changes."""
    pressed = []

    def press(signum, frame):
        if pressed:
            raise KeyboardInterrupt
        pressed.append(signum)

    ours = (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    if ours:
        signal.signal(signal.SIGINT, press)
    try:
        yield lambda: bool(pressed)
    finally:
        if ours:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def interrupted_where(trainer) -> str:
    if trainer.batch == 0:
        return f"at the end of epoch {trainer.epoch}"
    return f"in epoch {trainer.epoch + 1}, after batch {trainer.batch} of {trainer.batches_per_epoch}"


def print_closed_form(trainer, X_train, y_train, X_eval, y_eval, split) -> None:
    """Linear regression's exact least-squares fit beside what gradient descent reached."""
    W, b = least_squares(X_train, one_hot(y_train, trainer.n_classes))
    exact = MLP.from_arrays([W.astype(np.float32)], [b.astype(np.float32)], output="identity")
    closed = evaluate(exact, "mse", X_eval, y_eval)
    reached = trainer.history[-1]
    print(f"closed-form least squares: {split} loss {closed.loss:.4f} error {100 * closed.error:.2f}% "
          f"(gradient descent reached loss {reached.test_loss:.4f} error {100 * reached.test_error:.2f}%)")


def cannot_write_run(out: Path, error: OSError) -> OSError:
    return OSError(f"could not write the run to {out}: {error.strerror or error}")


def prepare_run_folder(out: Path) -> None:
    """Create RUN_DIR and write (and drop) a file in it before training: a bad --out must not cost
    the run."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise cannot_write_run(out, error) from None


def finish(out: Path, trainer, model_config, train_config, split, status=0, data_dir=None,
           validation=0.2) -> int:
    try:
        written = write_run(out, trainer, model_config, train_config, split, data_dir, validation)
    except OSError as error:
        raise cannot_write_run(out, error) from None
    print(f"wrote {', '.join(map(str, written[:-1]))} and {written[-1]}")
    return status


def write_run(out: Path, trainer, model_config, train_config, split, data_dir, validation) -> list[Path]:
    """model.npz, metrics.csv and evaluation.json, each written whole or not at all."""
    out.mkdir(parents=True, exist_ok=True)
    save_run(out / "model.npz", trainer, model_config, train_config,
             extra={"data": str(data_dir) if data_dir else None, "validation": validation})
    write_metrics(out / "metrics.csv", trainer.history)
    written = [out / "model.npz", out / "metrics.csv"]
    if trainer.last_evaluation is not None:
        report = evaluation_report(trainer.last_evaluation, split)
        text = json.dumps(report, indent=1).encode("utf-8")
        atomic_write(out / "evaluation.json", lambda file: file.write(text))
        print_evaluation(report)
        written.append(out / "evaluation.json")
    return written


def evaluate_command(args) -> int:
    saved = load_run(args.model)
    data_dir = resolve_data(args.data or (Path(saved.extra["data"]) if saved.extra.get("data") else None))
    dataset = loaded_data(data_dir)
    if dataset.predict_only:   # no labels: nothing to evaluate, the predictions instead
        model = saved_model(saved)
        check_inputs(model, dataset.unlabelled, data_dir.name)
        predicted, _ = predict(model, saved.model_config.loss_name(), dataset.unlabelled)
        print(f"{data_dir.name} has no labels, so there is nothing to evaluate: the model's predictions "
              "follow (ImageId,Label)", file=sys.stderr)
        sys.stdout.write(predictions_csv(predicted))
        return 0
    data = prepare_training_data(dataset, saved.extra.get("validation", 0.2))
    trainer = restore_trainer(saved, data.X_train, data.y_train)
    print_evaluation(evaluation_report(trainer.evaluate(data.X_eval, data.y_eval), data.eval_name))
    return 0


def download_command(args) -> int:
    bars = {}

    def progress(name, done, total):
        if name not in bars:
            bars[name] = tqdm(total=total or None, desc=name, unit="B", unit_scale=True,
                              unit_divisor=1024, disable=not sys.stderr.isatty())
        bar = bars[name]
        bar.update(done - bar.n)

    try:
        folder = download(args.name, args.root, args.mirror or mirrors_from_environment(), progress)
    except KeyboardInterrupt:   # atomic_write has removed the file being written
        folder = None
    finally:
        for bar in bars.values():
            bar.close()
    if folder is None:
        print("mnist-trainer download: interrupted; the files already complete are kept, the one "
              "being downloaded was discarded", file=sys.stderr)
        return INTERRUPTED
    print(f"{KNOWN[args.name].title}: ready in {folder}")
    return 0


def datasets_command(args) -> int:
    found = find_datasets(args.data)
    print("found:" if found else "found: none")
    for location in found:
        print(f"  {location.name:<16} {location.path}  ({location.source})")
    print("can be downloaded (mnist-trainer download NAME):")
    for dataset in KNOWN.values():
        print(f"  {dataset.name:<16} {dataset.title}")
    return 0


def export_command(args) -> int:
    model, loss = model_of_run(load_run(args.model))
    out = args.out or args.model.with_suffix(FORMATS[args.format])
    if not out.suffix:
        out = out.with_suffix(FORMATS[args.format])
    if out.resolve() == args.model.resolve():
        raise ValueError(f"{out} is the saved model itself: choose another --out")
    try:
        written = export_model(model, loss, out, args.format)
    except OSError as error:
        raise OSError(f"could not write {out}: {error.strerror or error}") from None
    print(f"wrote {' and '.join(map(str, written))}")
    if args.format == "safetensors":
        print(f"PyTorch loads it with ({written[1].name}):\n")
        print(written[1].read_text(encoding="utf-8"), end="")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from .app import run_window
        return run_window(args.data)
    command = {"train": train_command, "evaluate": evaluate_command,
               "download": download_command, "datasets": datasets_command,
               "export": export_command}[args.command]
    try:
        return command(args)
    except (IDXFormatError, ModelFileError, DownloadError, ValueError) as error:
        print(f"mnist-trainer {args.command}: {error}", file=sys.stderr)
        return 1
    except MemoryError:
        print(f"mnist-trainer {args.command}: there is not enough memory for this", file=sys.stderr)
        return 1
    except KeyboardInterrupt:   # Ctrl+C loading data or saving; train and download say more
        print(f"mnist-trainer {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:   # `mnist-trainer evaluate ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:   # e.g. --out names a file, or a folder that cannot be written
        print(f"mnist-trainer {args.command}: {error}", file=sys.stderr)
        return 1
