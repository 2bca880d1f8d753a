"""NumPy training engine: IDX data, losses, activations, the MLP, its optimizers and the step-wise Trainer.

Never imports Qt; the window and the command line both drive it through these names.
"""
from .activations import ACTIVATIONS, get_activation
from .config import MODEL_KINDS, ModelConfig, TrainConfig, build_trainer, config_dict
from .data import (DataFormatError, Dataset, IDXFormatError, Split, load_folder, parse_mnist, read_idx,
                   split_train_validation, write_idx)
from .formats import load_csv, load_data, load_image_folder, load_npz
from .losses import LOSSES, get_loss, one_hot, softmax
from .model import INITS, MLP
from .augment import Augmenter
from .optim import (OPTIMIZERS, SCHEDULES, SGD, AdaGrad, Adam, Constant, Cosine, InverseTime, Optimizer, RMSProp,
                    StepDecay, make_optimizer, make_schedule)
from .files import atomic_write
from .persist import ModelFileError, SavedRun, load_run, restore_trainer, save_run, snapshot_run
from .simple_ml import least_squares, loss_err, nn_epoch, softmax_loss, softmax_regression_epoch
from .evaluation import Evaluation, Misclassified, evaluate
from .preprocess import preprocess_drawing
from .trainer import EpochRecord, Snapshot, StepResult, Trainer

__all__ = [
    "ACTIVATIONS", "INITS", "LOSSES", "MODEL_KINDS", "OPTIMIZERS", "SCHEDULES",
    "AdaGrad", "Adam", "Augmenter", "Optimizer", "RMSProp", "make_optimizer",
    "Constant", "Cosine", "DataFormatError", "Dataset", "EpochRecord", "Evaluation", "IDXFormatError", "InverseTime", "MLP",
    "Misclassified", "ModelConfig", "SGD", "Snapshot", "Split", "StepDecay", "StepResult",
    "TrainConfig", "Trainer", "build_trainer", "evaluate", "config_dict", "get_activation", "get_loss",
    "ModelFileError", "SavedRun", "atomic_write", "load_run", "restore_trainer", "save_run", "snapshot_run",
    "least_squares", "load_csv", "load_data", "load_folder", "load_image_folder", "load_npz", "loss_err", "make_schedule", "nn_epoch", "one_hot", "softmax",
    "parse_mnist", "preprocess_drawing", "read_idx", "softmax_loss", "softmax_regression_epoch",
    "split_train_validation", "write_idx",
]
