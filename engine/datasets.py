"""Known datasets: where the app finds them on disk, and downloading them with checksums.

A download writes each file through engine.files.atomic_write (a temporary beside it, renamed only
once its MD5 matches the published checksum), so a cancelled, interrupted or corrupt download never
leaves a file under the final name. Files already present with the right checksum are not
downloaded again.

A hostile or broken server cannot hold a download forever nor fill the disk: each file is read in
small pieces under an overall deadline, a stall timeout and a minimum throughput, and is refused
past a cap derived from its published size. A Cancellation stops a download within a moment even
while a read waits on a silent server: it shuts down the connection being read.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import platformdirs

from .files import atomic_write


DATA_ENV = "MNIST_TRAINER_DATA"                 # a folder of IDX files, or of dataset folders
DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
UNKNOWN_SIZE_CAP = 64 << 20     # bytes accepted for a file of no published size
ARCHIVES = ".archives"          # the sub-folder of the download root where shared archives are kept
EMNIST_MIRRORS = ("https://biometrics.nist.gov/cs_links/EMNIST/",
                  "https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/")
# EMNIST's IDX files come in one archive; its MD5 is the one torchvision checks. NIST gives its size
# as 562 MB, not in bytes: the byte count here could not be checked offline, and the cap (twice it)
# leaves room for the difference.
EMNIST_ARCHIVE = "gzip.zip"
EMNIST_MD5 = {EMNIST_ARCHIVE: "58c8d27c78d21e728a6bc7b3cc06412e"}
EMNIST_SIZES = {EMNIST_ARCHIVE: 561_753_746}


def _emnist(name: str, title: str) -> "KnownDataset":
    return KnownDataset(f"emnist-{name}", title, EMNIST_MIRRORS, EMNIST_MD5, EMNIST_SIZES,
                        tuple(f"gzip/emnist-{name}-{split}-{kind}-ubyte.gz" for split in ("train", "test")
                              for kind in ("images-idx3", "labels-idx1")))


@dataclass(frozen=True)
class KnownDataset:
    """A dataset the app can download: the files fetched from its mirrors, each checked against its
    published MD5. With `extract`, the one file fetched is a zip archive shared by several datasets
    (EMNIST's gzip.zip): it is kept in cache_root()/ARCHIVES, and these members of it are written
    into the dataset's folder under their own names."""
    name: str
    title: str
    mirrors: tuple[str, ...]        # base addresses, tried in order
    md5: dict                       # file name -> published MD5
    sizes: dict = field(default_factory=dict)   # file name -> published size in bytes
    extract: tuple[str, ...] = ()   # members of the archive to take out (paths inside it)

    @property
    def files(self) -> tuple[str, ...]:
        """The names of the files the dataset's folder holds once downloaded."""
        return tuple(Path(member).name for member in self.extract) if self.extract else tuple(self.md5)

    def cap(self, file_name: str) -> int:
        """The most bytes accepted for a file: twice its published size plus 1 MiB (a mirror may
        compress differently), or UNKNOWN_SIZE_CAP if its size is not known."""
        size = self.sizes.get(file_name)
        return 2 * size + (1 << 20) if size else UNKNOWN_SIZE_CAP


KNOWN = {d.name: d for d in (
    KnownDataset("mnist", "MNIST (handwritten digits)",
                 ("https://ossci-datasets.s3.amazonaws.com/mnist/",
                  "https://storage.googleapis.com/cvdf-datasets/mnist/"),
                 dict(zip(FILES, ("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                                  "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"))),
                 dict(zip(FILES, (9912422, 28881, 1648877, 4542)))),
    KnownDataset("fashion-mnist", "Fashion-MNIST (clothing)",
                 ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                  "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
                 dict(zip(FILES, ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                                  "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"))),
                 dict(zip(FILES, (26421880, 29515, 4422102, 5148)))),
    KnownDataset("kmnist", "Kuzushiji-MNIST (cursive Japanese)",
                 ("http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
                  "https://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
                 dict(zip(FILES, ("bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344",
                                  "5c965bf0a639b31b8f53240b1b52f4d7", "7320c461ea6c1c855c0b718fb2a4b134"))),
                 dict(zip(FILES, (18165135, 29497, 3041136, 5120)))),
    _emnist("letters", "EMNIST Letters (handwritten letters)"),
    _emnist("balanced", "EMNIST Balanced (digits and letters)"),
    _emnist("digits", "EMNIST Digits (handwritten digits)"),
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

PIECE = 16 << 10                  # bytes asked of the network at a time
PROGRESS_BYTES = 64 << 10         # a progress report per this many bytes at most,
PROGRESS_SECONDS = 0.25           # or after this long (a slow server still shows it moves)


class Cancellation:
    """A request to stop a download, which any thread may make: pass one as download(cancelled=...).

    cancel() also shuts down the connection being read, so a read waiting on a silent server
    returns at once instead of at its timeout. Calling the object says whether it was cancelled
    (or whether `poll`, another callable such as download's older polled `cancelled`, says so).
    """

    def __init__(self, poll: Callable[[], bool] | None = None):
        self._lock = threading.Lock()
        self._poll = poll
        self._cancelled = False
        self._wakers = set()      # what cancel() calls: the shut() of the connections being read

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            wakers = list(self._wakers)
        for wake in wakers:
            wake()

    def __call__(self) -> bool:
        return self._cancelled or bool(self._poll and self._poll())

    @contextmanager
    def waking(self, wake: Callable[[], None]):
        """Within the block, cancel() calls wake() (at once if cancelled already)."""
        with self._lock:
            self._wakers.add(wake)
            cancelled = self._cancelled
        if cancelled:
            wake()
        try:
            yield
        finally:
            with self._lock:
                self._wakers.discard(wake)


class _Connections:
    """The sockets one file is fetched through (a proxy's included). shut(), from any thread, shuts
    each connection down, which wakes a recv() or connect() blocked on it; a socket that would open
    after it is refused.

    What is shut down is a duplicate of each socket's descriptor, taken as the socket is made: it
    is this object's to close (close(), once the fetch is over), so it cannot be a descriptor
    reused meanwhile, and it outlives the wrapping in TLS, which replaces the socket object.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._duplicates = []
        self.stopped = False

    def shut(self) -> None:
        with self._lock:
            self.stopped = True
            for duplicate in self._duplicates:
                try:
                    duplicate.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass    # not connected (yet, or any more)

    def close(self) -> None:
        with self._lock:
            self.stopped = True
            for duplicate in self._duplicates:
                duplicate.close()
            self._duplicates.clear()

    def _add(self, sock: socket.socket) -> None:
        with self._lock:
            if self.stopped:
                raise ConnectionAbortedError("the download was stopped")
            self._duplicates.append(sock.dup())

    def connect(self, address, timeout: float, source_address=None) -> socket.socket:
        """socket.create_connection, each socket known here before it connects (shutting down a
        connecting socket ends its connect() too)."""
        host, port = address
        error = OSError(f"no address found for {host}")
        for family, kind, proto, _, where in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            sock = socket.socket(family, kind, proto)
            try:
                self._add(sock)
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(where)
                if self.stopped:
                    raise ConnectionAbortedError("the download was stopped")
                return sock
            except OSError as failure:
                sock.close()
                error = failure
        raise error

    def opener(self) -> urllib.request.OpenerDirector:
        """urllib's default opener (proxies from the environment, redirects, HTTPS checks), with
        HTTP and HTTPS connections that open their sockets through connect()."""
        return urllib.request.build_opener(_HTTPHandler(self.connect), _HTTPSHandler(self.connect))


class _Connecting:
    """A urllib handler mixin: its connections create their sockets with `connect`, through
    http.client's own hook for that (HTTPSConnection wraps the socket in TLS afterwards)."""

    def __init__(self, connect):
        super().__init__()
        self._connect = connect

    def do_open(self, http_class, req, **kwargs):
        def connection(*args, **more):
            made = http_class(*args, **more)
            made._create_connection = self._connect
            return made
        return super().do_open(connection, req, **kwargs)


class _HTTPHandler(_Connecting, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_Connecting, urllib.request.HTTPSHandler):
    pass


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


class _Pace:
    """The time rules of one file, checked at each piece received: the whole file within
    `deadline` seconds and, from `grace` seconds on, at least `min_rate` bytes a second on average
    over the last `window` seconds. A rule broken raises DownloadError naming the file."""

    def __init__(self, file_name: str, deadline: float, min_rate: float, window: float, grace: float):
        self.file_name, self.deadline = file_name, deadline
        self.min_rate, self.window, self.grace = min_rate, window, grace
        self.start = time.monotonic()
        self._marks = deque([(self.start, 0)])   # (time, bytes done), the oldest at or before the window

    def check_deadline(self) -> None:
        if time.monotonic() - self.start > self.deadline:
            raise DownloadError(f"{self.file_name}: took longer than {_duration(self.deadline)}, "
                                "the most one file may take")

    def check(self, done: int) -> None:
        self.check_deadline()
        now, marks = time.monotonic(), self._marks
        if now - marks[-1][0] >= 0.25:
            marks.append((now, done))
        while len(marks) > 1 and marks[1][0] <= now - self.window:
            marks.popleft()
        since, before = marks[0]
        if now - self.start >= self.grace and now > since:
            rate = (done - before) / (now - since)
            if rate < self.min_rate:
                raise DownloadError(f"{self.file_name}: too slow: {rate:.0f} B/s over the last "
                                    f"{now - since:.0f} s (at least {self.min_rate:g} B/s needed)")


def _timed_out(error: Exception) -> bool:
    return isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)


def _fetch(url: str, target: Path, expected_md5: str, cap: int, progress: Progress | None,
           cancelled: Cancellation, timeout: float, pace: _Pace) -> None:
    """Download url to target through atomic_write, within the cap and the pace's rules, checking
    the length and MD5 before the rename. `timeout` bounds each wait for the network."""
    name = target.name
    connections = _Connections()
    deadline = threading.Timer(pace.deadline, connections.shut)   # wakes a read blocked past it
    deadline.daemon = True

    def stopped() -> None:
        """A cancel or the deadline, rather than the error or end of data it caused."""
        if cancelled():
            raise DownloadCancelled(f"{name}: download cancelled")
        pace.check_deadline()

    def stream(out) -> None:
        digest, done, shown, shown_at = hashlib.md5(), 0, 0, pace.start
        with connections.opener().open(url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            if total > cap:
                raise DownloadError(f"{name}: the server announces {total:,} bytes, more than the "
                                    f"{cap:,} bytes accepted for this file; nothing was read")
            while piece := response.read1(PIECE):
                stopped()
                done += len(piece)
                if done > cap:
                    raise DownloadError(f"{name}: more than {cap:,} bytes received, the most accepted "
                                        "for this file; the download was stopped and discarded")
                pace.check(done)
                out.write(piece)
                digest.update(piece)
                if progress and (done - shown >= PROGRESS_BYTES
                                 or time.monotonic() - shown_at >= PROGRESS_SECONDS):
                    progress(name, done, total)
                    shown, shown_at = done, time.monotonic()
        stopped()
        if progress and done != shown:
            progress(name, done, total)
        if total and done != total:
            raise DownloadError(f"{name}: connection closed after {done} of {total} bytes")
        if digest.hexdigest() != expected_md5:
            raise DownloadError(f"{name}: checksum mismatch (got MD5 {digest.hexdigest()}, "
                                f"published {expected_md5}); the file was discarded")

    with cancelled.waking(connections.shut):
        deadline.start()
        try:
            atomic_write(target, stream)
        except DownloadError:
            raise
        except Exception as error:
            stopped()
            if _timed_out(error):
                raise DownloadError(f"{name}: no data for {_duration(timeout)}") from None
            raise
        finally:
            deadline.cancel()
            connections.close()


DEFAULT_DEADLINE = 15 * 60       # seconds a file may take, at least
DEADLINE_RATE = 256 << 10         # bytes a second a larger file's deadline allows for


def file_deadline(dataset: KnownDataset, file_name: str) -> float:
    """Seconds one file may take from one mirror: DEFAULT_DEADLINE, or for a file too large to come
    in that time at DEADLINE_RATE (EMNIST's archive), its published size at that rate."""
    return max(DEFAULT_DEADLINE, dataset.sizes.get(file_name, 0) / DEADLINE_RATE)


def download(name: str, root=None, mirrors=None, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None, timeout: float = 30.0, *,
             deadline: float | None = None, min_rate: float = 1024, rate_window: float = 20.0,
             grace: float = 20.0) -> Path:
    """Download a known dataset's four files into root/name (default: the user cache).

    Each file is tried on every mirror in turn. Raises DownloadError (or DownloadCancelled) naming
    the file and every mirror's failure when no mirror delivers a file with the right checksum.

    cancelled: a Cancellation, which also wakes a read blocked on the network, or any callable
        polled between pieces. timeout: seconds without a byte (or to connect) before a mirror
        counts as failed. deadline: seconds one file may take from one mirror (default: 15 min, or for
        a larger file the time it takes at DEADLINE_RATE, e.g. 36 min for EMNIST's 562 MB). min_rate: bytes a
        second one file must average over the last rate_window seconds, once grace seconds passed.
    A file is refused past KnownDataset.cap bytes, announced or received.
    """
    if name not in KNOWN:
        raise DownloadError(f"unknown dataset {name!r}; known: {', '.join(KNOWN)}")
    dataset = KNOWN[name]
    if not isinstance(cancelled, Cancellation):
        cancelled = Cancellation(poll=cancelled)
    folder = Path(root or cache_root()) / name
    # an archive shared by several datasets is kept beside them, once
    where = Path(root or cache_root()) / ARCHIVES if dataset.extract else folder
    if dataset.extract and all((folder / name).is_file() for name in dataset.files):
        return folder
    for made in (folder, where):
        try:
            made.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DownloadError(f"cannot create {made}: {error.strerror or error}") from None
    for file_name, expected in dataset.md5.items():
        target = where / file_name
        if target.is_file() and _md5(target) == expected:
            continue
        failures = []
        for base in mirrors or dataset.mirrors:
            if cancelled():
                raise DownloadCancelled(f"{file_name}: download cancelled")
            url = base.rstrip("/") + "/" + file_name
            pace = _Pace(file_name, file_deadline(dataset, file_name) if deadline is None else deadline,
                         min_rate, rate_window, grace)
            try:
                _fetch(url, target, expected, dataset.cap(file_name), progress, cancelled, timeout, pace)
                break
            except DownloadCancelled:
                raise
            except DownloadError as error:
                failures.append(f"{url}: {error}")
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
                failures.append(f"{url}: {getattr(error, 'reason', None) or error}")
        else:
            raise DownloadError(f"{file_name}: no mirror delivered it:\n  " + "\n  ".join(failures))
    for file_name in dataset.md5 if dataset.extract else ():
        _extract(where / file_name, dataset.extract, folder)
    return folder


def _extract(archive: Path, members, folder: Path) -> None:
    """Write each member of the zip archive (checked already) into folder under its own name, through
    atomic_write; the zip's CRC of each member is checked as it is read."""
    try:
        with zipfile.ZipFile(archive) as opened:
            for member in members:
                target = folder / Path(member).name
                if target.is_file():
                    continue
                with opened.open(member) as source:
                    atomic_write(target, lambda out: shutil.copyfileobj(source, out, 1 << 20))
    except KeyError:
        raise DownloadError(f"{archive.name}: holds no {member}") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise DownloadError(f"{archive.name}: cannot be unpacked ({error})") from None
