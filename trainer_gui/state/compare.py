"""Runs side by side: a name for each made of the settings that tell it apart, and the figures the
Compare tab's table lists; no Qt."""
from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict

from engine.config import MODEL_KINDS
from engine.optim import USES_MOMENTUM

# the settings a name may be made of, in the order they are written, with the words for them
LABELS = {
    "kind": "", "hidden": "hidden", "activation": "", "output": "output", "loss": "", "bias": "bias",
    "init": "init", "optimizer": "", "learning_rate": "lr", "batch_size": "batch", "schedule": "",
    "momentum": "momentum", "weight_decay": "decay", "dropout": "dropout", "augment_shift": "shift",
    "augment_rotation": "rotation", "augment_noise": "noise", "shuffle": "shuffle",
    "seed": "seed", "epochs": "epochs",
}
SHORT_KINDS = {"softmax": "softmax", "two-layer": "two-layer", "mlp": "MLP", "linear": "linear"}


def settings_of(record) -> dict:
    """The settings of a run that make a difference to it: the fields its model kind reads (a
    two-layer net's activation is ReLU whatever the MLP's field says) and its training's."""
    return settings_of_configs(record.model_config, record.train_config)


def settings_of_configs(model, training) -> dict:
    """settings_of for a ModelConfig and a TrainConfig."""
    effect = model.in_effect()
    settings = {"kind": model.kind, "hidden": effect["hidden"], "activation": effect["activation"] or "",
                "output": effect["output"], "loss": effect["loss"], "bias": effect["bias"],
                "init": model.init, "seed_model": model.seed}
    settings.update({key: value for key, value in asdict(training).items()})
    settings["seed"] = (model.seed, training.seed)
    settings.pop("seed_model")
    return settings


SUMMARY_KEYS = ("kind", "hidden", "activation", "optimizer", "learning_rate", "batch_size", "epochs", "momentum",
                "weight_decay", "dropout")


def describe_settings(model, training) -> str:
    """The settings in one line, as a class reads them off a projector ("two-layer, hidden 100,
    SGD, lr 0.2, batch 100, epochs 10")."""
    settings = settings_of_configs(model, training)
    skipped = {"activation"} if model.kind != "mlp" else set()
    if training.optimizer not in USES_MOMENTUM:
        skipped.add("momentum")
    words = [_word(key, settings.get(key)) for key in SUMMARY_KEYS if key not in skipped]
    return ", ".join(word for word in words if word)


def differences(a, b) -> list[str]:
    """The words for the settings in which b (a (ModelConfig, TrainConfig) pair) differs from a,
    with b's values ("lr 0.5", "Adam"), in the order names are written."""
    settings_a, settings_b = settings_of_configs(*a), settings_of_configs(*b)
    return [_word(key, settings_b.get(key)) or f"no {LABELS[key] or key}" for key in LABELS
            if repr(settings_a.get(key)) != repr(settings_b.get(key))]


def _word(key: str, value) -> str:
    if key == "kind":
        return SHORT_KINDS.get(value, MODEL_KINDS.get(value, str(value)))
    if key == "hidden":
        return "hidden " + "-".join(str(h) for h in value) if value else "no hidden layer"
    if key in ("bias", "shuffle"):
        return f"{LABELS[key]} {'on' if value else 'off'}"
    if key == "seed":
        return "seed " + "/".join(str(s) for s in value)
    if key == "optimizer":
        return {"sgd": "SGD", "nesterov": "Nesterov", "adagrad": "AdaGrad", "rmsprop": "RMSProp",
                "adam": "Adam"}.get(value, str(value))
    if key in ("momentum", "weight_decay", "dropout", "augment_shift", "augment_rotation", "augment_noise") \
            and not value:
        return ""   # none of it: not worth a word
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{LABELS[key]} {text}".strip()


def run_names(records) -> list[str]:
    """A name for each run made of the settings that differ among them ("lr 0.5", "Adam, hidden
    400"); runs of identical settings are numbered ("run 2")."""
    settings = [settings_of(record) for record in records]
    differing = [key for key in LABELS if any(key in s for s in settings)
                 and len({repr(s.get(key)) for s in settings}) > 1]
    if "epochs" in differing and len(differing) > 1:
        differing.remove("epochs")   # a longer plan is rarely what a comparison is about
    names = []
    for i, s in enumerate(settings):
        name = ", ".join(word for word in (_word(key, s.get(key)) for key in differing) if word) or f"run {i + 1}"
        if name in names:
            name = f"{name} (run {i + 1})"
        names.append(name)
    return names


def run_figures(record) -> dict:
    """What the Compare table lists of a run: epochs done, held-out accuracy at the end and at its
    best, the final held-out loss, training time and speed (nan where the run has none)."""
    curves = record.curves
    errors, losses = curves.eval_error.values, curves.eval_loss.values
    epochs = record.at().epoch if len(record) else 0
    return {"epochs": epochs,
            "accuracy": 1 - float(errors[-1]) if len(errors) else math.nan,
            "best_accuracy": 1 - float(errors.min()) if len(errors) else math.nan,
            "loss": float(losses[-1]) if len(losses) else math.nan,
            "time": record.elapsed, "samples_per_second": record.samples_per_second}


CSV_COLUMNS = ("run", "model", "hidden", "optimizer", "learning_rate", "batch_size", "epochs",
               "accuracy", "best_accuracy", "loss", "time_s", "samples_per_second")


def comparison_rows(records) -> list[tuple]:
    """A row per run, in CSV_COLUMNS' order: its name, settings and figures."""
    rows = []
    for record, name in zip(records, run_names(records)):
        model, training, figures = record.model_config, record.train_config, run_figures(record)
        rows.append((name, model.kind, "-".join(str(h) for h in model.in_effect()["hidden"]),
                     getattr(training, "optimizer", "sgd"), training.learning_rate, training.batch_size,
                     figures["epochs"], figures["accuracy"], figures["best_accuracy"], figures["loss"],
                     figures["time"], figures["samples_per_second"]))
    return rows


def comparison_csv(records) -> str:
    """The Compare table as CSV text (a figure a run lacks is written as nan)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(comparison_rows(records))
    return text.getvalue()
