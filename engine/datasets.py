"""Known datasets: where the app finds them on disk, and downloading them with checksums.

A download writes each file under a temporary name and renames it only once its MD5 matches the
published checksum, so a cancelled, interrupted or corrupt download never leaves a file under the
final name. Files already present with the right checksum are not downloaded again.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import platformdirs


DATA_ENV = "MNIST_TRAINER_DATA"                 # a folder of IDX files, or of dataset folders
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


@dataclass(frozen=True)
class KnownDataset:
    name: str
    title: str
    mirrors: tuple[str, ...]        # base addresses, tried in order
    md5: dict                       # file name -> published MD5


KNOWN = {d.name: d for d in (
    KnownDataset("mnist", "MNIST (handwritten digits)",
                 ("https://ossci-datasets.s3.amazonaws.com/mnist/",
                  "https://storage.googleapis.com/cvdf-datasets/mnist/"),
                 dict(zip(FILES, ("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                                  "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c")))),
    KnownDataset("fashion-mnist", "Fashion-MNIST (clothing)",
                 ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                  "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
                 dict(zip(FILES, ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                                  "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310")))),
    KnownDataset("kmnist", "Kuzushiji-MNIST (cursive Japanese)",
                 ("http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
                  "https://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
                 dict(zip(FILES, ("bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                                  "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134")))),
)}


class DownloadError(RuntimeError):
    """A download that did not complete; the message says which file and why."""


class DownloadCancelled(DownloadError):
    pass


def cache_root() -> Path:
    """The user cache folder where downloaded datasets live (one sub-folder per dataset)."""
    return Path(platformdirs.user_cache_dir("mnist-trainer", appauthor=False)) / "datasets"


@dataclass(frozen=True)
class DataLocation:
    name: str       # dataset name (a KNOWN key, or the folder's name)
    path: Path
    source: str     # "--data", "environment", "cache" or "debian"


def _has_idx(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*-ubyte*"))


def _expand(folder: Path, source: str) -> list[DataLocation]:
    """A folder of IDX files, or a folder of such folders."""
    if _has_idx(folder):
        return [DataLocation(folder.name, folder, source)]
    if folder.is_dir():
        return [DataLocation(sub.name, sub, source) for sub in sorted(folder.iterdir()) if _has_idx(sub)]
    return []


def find_datasets(explicit=None) -> list[DataLocation]:
    """Every dataset folder found, in the order the app prefers them: --data, the environment
    variable MNIST_TRAINER_DATA, the user cache, then Debian's dataset-fashion-mnist package."""
    candidates = []
    if explicit:
        candidates += _expand(Path(explicit).expanduser(), "--data")
    if os.environ.get(DATA_ENV):
        candidates += _expand(Path(os.environ[DATA_ENV]).expanduser(), "environment")
    candidates += _expand(cache_root(), "cache")
    if _has_idx(DEBIAN_FASHION):
        candidates.append(DataLocation("fashion-mnist", DEBIAN_FASHION, "debian"))
    return candidates


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


Progress = Callable[[str, int, int], None]   # (file name, bytes done, bytes total or 0 if unknown)


def _fetch(url: str, target: Path, expected_md5: str, progress: Progress | None,
           cancelled: Callable[[], bool] | None, timeout: float) -> None:
    """Download url to target through a temporary file, checking the MD5 before the rename."""
    partial = target.with_name(target.name + ".part")
    digest, done = hashlib.md5(), 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            while chunk := response.read(1 << 16):
                if cancelled and cancelled():
                    raise DownloadCancelled(f"{target.name}: download cancelled")
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(target.name, done, total)
        if total and done != total:
            raise DownloadError(f"{target.name}: connection closed after {done} of {total} bytes")
        if digest.hexdigest() != expected_md5:
            raise DownloadError(f"{target.name}: checksum mismatch (got MD5 {digest.hexdigest()}, "
                                f"published {expected_md5}); the file was discarded")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def download(name: str, root=None, mirrors=None, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None, timeout: float = 30.0) -> Path:
    """Download a known dataset's four files into root/name (default: the user cache).

    Each file is tried on every mirror in turn. Raises DownloadError (or DownloadCancelled) naming
    the file and every mirror's failure when no mirror delivers a file with the right checksum.
    """
    if name not in KNOWN:
        raise DownloadError(f"unknown dataset {name!r}; known: {', '.join(KNOWN)}")
    dataset = KNOWN[name]
    folder = Path(root or cache_root()) / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DownloadError(f"cannot create {folder}: {error.strerror or error}") from None
    for file_name, expected in dataset.md5.items():
        target = folder / file_name
        if target.is_file() and _md5(target) == expected:
            continue
        failures = []
        for base in mirrors or dataset.mirrors:
            url = base.rstrip("/") + "/" + file_name
            try:
                _fetch(url, target, expected, progress, cancelled, timeout)
                break
            except DownloadCancelled:
                raise
            except DownloadError as error:
                failures.append(f"{url}: {error}")
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
                failures.append(f"{url}: {getattr(error, 'reason', None) or error}")
        else:
            raise DownloadError(f"{file_name}: no mirror delivered it:\n  " + "\n  ".join(failures))
    return folder

