"""Which known dataset a folder holds, and the names of its classes.

IDX files carry label numbers only. The names come from recognising the dataset: first by its
labels, when they are Fashion-MNIST's own (the SHA-256 of a split's decoded label bytes: the order
of 10,000 or 60,000 labels is a fingerprint no other set shares, and it survives recompression),
then by the folder's name, which is the dataset's in the download cache
(engine.datasets.cache_root()/NAME), in Debian's /usr/share/datasets/fashion-mnist and in most
copies ("Fashion_MNIST" and "FashionMNIST" count too). Anything else is numbered: "0", "1", ...
"""
from __future__ import annotations

import hashlib
import re

import numpy as np

# In label order, for each engine.datasets.KNOWN name. Kuzushiji-MNIST's are the romaji of its ten
# hiragana (お き す つ な は ま や れ を): many fonts have no kana.
CLASS_NAMES = {
    "mnist": tuple(str(digit) for digit in range(10)),
    "fashion-mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    "kmnist": ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
    # EMNIST (Cohen et al. 2017), from its emnist-*-mapping.txt files: letters' 26 classes each merge
    # a capital and a small letter (its labels 1–26 are read as 0–25); balanced has the digits, the
    # 26 capitals and the 11 small letters whose shapes differ from their capitals'.
    "emnist-digits": tuple(str(digit) for digit in range(10)),
    "emnist-letters": tuple(chr(ord("A") + i) for i in range(26)),
    "emnist-balanced": (tuple(str(digit) for digit in range(10)) + tuple(chr(ord("A") + i) for i in range(26))
                        + tuple("abdefghnqrt")),
}

# SHA-256 of the decoded labels (uint8, in file order) of Fashion-MNIST's train and t10k splits,
# computed from the real files.
LABEL_FINGERPRINTS = {
    "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7": "fashion-mnist",   # train
    "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9": "fashion-mnist",   # t10k
}


def _squeezed(name: str) -> str:
    """A dataset name without case or punctuation: 'Fashion_MNIST' and 'fashion-mnist' are one."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


# EMNIST is recognised by its files' names (engine.data), which also say how to read them
_BY_FOLDER_NAME = {_squeezed(name): name for name in CLASS_NAMES if not name.startswith("emnist-")}


def label_fingerprint(labels: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(labels, dtype=np.uint8).tobytes()).hexdigest()


def recognise(folder_name: str, label_arrays) -> str | None:
    """The CLASS_NAMES key of the dataset whose splits have these labels, found in a folder of this
    name, or None when it is none of them."""
    for labels in label_arrays:
        known = LABEL_FINGERPRINTS.get(label_fingerprint(labels))
        if known:
            return known
    return _BY_FOLDER_NAME.get(_squeezed(folder_name))


def class_names(known: str | None, n_classes: int) -> tuple[str, ...]:
    """n_classes names: the known dataset's while its labels fit them (a folder merely named after
    one, holding more classes, is numbered), else "0", "1", ..."""
    names = CLASS_NAMES.get(known, ())
    return names[:n_classes] if n_classes <= len(names) else tuple(str(i) for i in range(n_classes))
