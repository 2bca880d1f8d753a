"""Dataset downloads against a real HTTP server on 127.0.0.1, and where the app finds datasets.

There is no internet where this project is built, so every download here goes to a server the test
starts in a thread. It serves the real MNIST test files (and two small training files made from
their first digits) under a path prefix that picks its behaviour:

    /ok/FILE        the file
    /missing/FILE   404
    /corrupt/FILE   the file with one byte changed (same length: only the checksum can tell)
    /short/FILE     a Content-Length of the whole file, half the body, then a clean close
    /drop/FILE      a third of the body, then the connection is reset

The expected MD5s are computed here with hashlib over the served bytes (and, for the two real
files, compared with the checksums MNIST publishes).
"""
import gzip
import hashlib
import http.server
import re
import socket
import struct
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import engine.datasets as datasets
from engine import load_folder, read_idx
from engine.datasets import (FILES, DownloadCancelled, DownloadError, KnownDataset, download,
                             find_datasets)
from trainer_gui.cli import main

from conftest import encode_idx

# MNIST's published MD5s of its test files (also in ../shared/data/README.md)
PUBLISHED_MD5 = {"t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
                 "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c"}


class Handler(http.server.BaseHTTPRequestHandler):
    files: dict = {}          # file name -> bytes, set by the fixture
    requests: list = []       # (mode, file name, Range header) of every GET

    def log_message(self, *args):
        pass

    def do_GET(self):
        mode, _, name = self.path.strip("/").partition("/")
        self.requests.append((mode, name, self.headers.get("Range")))
        body = self.files.get(name)
        if mode == "missing" or body is None:
            self.send_error(404)
            return
        if mode == "corrupt":
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "ok" or mode == "corrupt":
            self.wfile.write(body)
        elif mode == "short":
            self.wfile.write(body[:len(body) // 2])
            self.close_connection = True
        elif mode == "drop":
            self.wfile.write(body[:len(body) // 3])
            self.wfile.flush()
            # SO_LINGER 0: close() sends a TCP reset instead of an orderly end of stream
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass


@pytest.fixture(scope="module")
def served_files(shared_data):
    """The four files of a dataset: the real MNIST t10k files, and train files of its first 600 digits."""
    mnist = shared_data / "mnist"
    files = {name: (mnist / name).read_bytes() for name in PUBLISHED_MD5}
    images = read_idx(mnist / "t10k-images-idx3-ubyte.gz")[:600]
    labels = read_idx(mnist / "t10k-labels-idx1-ubyte.gz")[:600]
    files["train-images-idx3-ubyte.gz"] = gzip.compress(encode_idx(images), mtime=0)
    files["train-labels-idx1-ubyte.gz"] = gzip.compress(encode_idx(labels), mtime=0)
    assert set(files) == set(FILES)
    return files


@pytest.fixture
def server(served_files, monkeypatch):
    """A local HTTP server; server.url(mode) is a mirror base address, server.requests its log."""
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    handler = type("TestHandler", (Handler,), {"files": served_files, "requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    httpd.url = lambda mode: f"http://{host}:{port}/{mode}/"
    httpd.requests = handler.requests
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def known(served_files, server, monkeypatch):
    """engine.datasets.KNOWN['mnist'] replaced by one whose checksums are those of the served files
    and whose mirrors are the local server."""
    md5 = {name: hashlib.md5(data).hexdigest() for name, data in served_files.items()}
    dataset = KnownDataset("mnist", "MNIST (handwritten digits)", (server.url("ok"),),
                           {name: md5[name] for name in FILES})
    monkeypatch.setitem(datasets.KNOWN, "mnist", dataset)
    return dataset


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Temporaries left in folder (engine.files.atomic_write's end in .part)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- success ------------------------------------------------------------------------------------

def test_the_real_mnist_files_match_the_published_checksums_the_app_knows(served_files):
    for name, published in PUBLISHED_MD5.items():
        assert hashlib.md5(served_files[name]).hexdigest() == published
        assert datasets.KNOWN["mnist"].md5[name] == published


def test_download_writes_the_four_files_with_their_checksums_and_reports_progress(
        tmp_path, known, served_files, server):
    calls = []
    folder = download("mnist", root=tmp_path, progress=lambda *args: calls.append(args))

    assert folder == tmp_path / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name in FILES:
        assert md5_of(folder / name) == hashlib.md5(served_files[name]).hexdigest()
        done = [d for n, d, _ in calls if n == name]
        totals = {t for n, _, t in calls if n == name}
        assert done == sorted(done) and len(set(done)) == len(done), "byte counts must increase"
        assert done[-1] == len(served_files[name])
        assert totals == {len(served_files[name])}
    assert len([c for c in calls if c[0] == "t10k-images-idx3-ubyte.gz"]) > 1   # 1.6 MB: many chunks
    assert [mode for mode, _, _ in server.requests] == ["ok"] * 4

    # what was downloaded opens as a dataset: 600 training digits and the 10,000 test digits
    dataset = load_folder(folder)
    assert len(dataset.train) == 600 and len(dataset.test) == 10000
    assert dataset.test.y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_the_published_checksums_accept_the_real_files(tmp_path, server, monkeypatch):
    real = {name: datasets.KNOWN["mnist"].md5[name] for name in PUBLISHED_MD5}
    monkeypatch.setitem(datasets.KNOWN, "mnist", KnownDataset("mnist", "MNIST", (server.url("ok"),), real))
    folder = download("mnist", root=tmp_path)
    assert {name: md5_of(folder / name) for name in PUBLISHED_MD5} == PUBLISHED_MD5


def test_files_already_present_are_not_downloaded_again(tmp_path, known, served_files, server):
    download("mnist", root=tmp_path)
    assert len(server.requests) == 4
    download("mnist", root=tmp_path)
    assert len(server.requests) == 4

    # a damaged copy is not "present": only that file is fetched again, and repaired
    damaged = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    damaged.write_bytes(b"not the labels")
    download("mnist", root=tmp_path)
    assert [name for _, name, _ in server.requests[4:]] == ["t10k-labels-idx1-ubyte.gz"]
    assert damaged.read_bytes() == served_files["t10k-labels-idx1-ubyte.gz"]


# --- mirrors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["missing", "corrupt", "short", "drop"])
def test_a_failing_first_mirror_falls_back_to_the_second(tmp_path, known, served_files, server, bad):
    folder = download("mnist", root=tmp_path, mirrors=[server.url(bad), server.url("ok")], timeout=5)
    for name in FILES:
        assert md5_of(folder / name) == hashlib.md5(served_files[name]).hexdigest()
    assert [(mode, name) for mode, name, _ in server.requests] == \
        [(mode, name) for name in FILES for mode in (bad, "ok")]
    assert leftovers(folder) == []


def test_the_mirror_list_defaults_to_the_known_mirrors_in_order(tmp_path, known, server, monkeypatch):
    monkeypatch.setitem(datasets.KNOWN, "mnist", KnownDataset(
        "mnist", known.title, (server.url("missing"), server.url("ok")), known.md5))
    download("mnist", root=tmp_path)
    assert [mode for mode, _, _ in server.requests] == ["missing", "ok"] * 4


# --- failures leave nothing under the final name ---------------------------------------------------

@pytest.mark.parametrize("bad, reason", [
    ("corrupt", "checksum mismatch"),
    ("short", "connection closed after"),
    ("drop", "Connection reset|connection closed after"),   # which one depends on the TCP timing
    ("missing", "Not Found"),
])
def test_a_failed_download_leaves_no_file_and_says_what_happened(tmp_path, known, served_files, server,
                                                                bad, reason):
    with pytest.raises(DownloadError) as caught:
        download("mnist", root=tmp_path, mirrors=[server.url(bad)], timeout=5)
    message = str(caught.value)
    first = FILES[0]
    assert first in message and server.url(bad) in message and re.search(reason, message)
    assert not isinstance(caught.value, DownloadCancelled)
    folder = tmp_path / "mnist"
    assert list(folder.iterdir()) == []      # neither the file nor a .part of it
    # the download stopped at the first failing file
    assert [name for _, name, _ in server.requests] == [first]


def test_a_truncated_body_is_detected_by_its_length_before_the_checksum(tmp_path, known, served_files,
                                                                       server):
    half = len(served_files[FILES[0]]) // 2
    with pytest.raises(DownloadError, match=rf"after {half} of {len(served_files[FILES[0]])} bytes"):
        download("mnist", root=tmp_path, mirrors=[server.url("short")], timeout=5)


def test_every_mirror_failure_is_listed(tmp_path, known, server):
    mirrors = [server.url("missing"), server.url("corrupt"), server.url("short")]
    with pytest.raises(DownloadError) as caught:
        download("mnist", root=tmp_path, mirrors=mirrors, timeout=5)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{FILES[0]}: no mirror delivered it:"
    assert [line.split(FILES[0])[0].strip() for line in lines[1:]] == mirrors


def test_an_unreachable_mirror_is_a_download_error(tmp_path, known, server):
    with socket.socket() as s:                      # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError, match=FILES[0]):
        download("mnist", root=tmp_path, mirrors=[f"http://127.0.0.1:{port}/"], timeout=5)
    assert list((tmp_path / "mnist").iterdir()) == []


def test_cancel_stops_the_download_and_leaves_nothing_partial(tmp_path, known, served_files, server):
    """Cancelled after the first progress report of the third file (the 1.6 MB test images), as a
    user pressing Cancel mid-file: the two finished files are kept, nothing of the third."""
    progress = []
    cancelled = lambda: bool(progress) and progress[-1][0] == FILES[2]

    with pytest.raises(DownloadCancelled, match=f"{FILES[2]}: download cancelled"):
        download("mnist", root=tmp_path, mirrors=[server.url("ok"), server.url("ok")],
                 progress=lambda *args: progress.append(args), cancelled=cancelled)
    assert progress[-1][0] == FILES[2] and 0 < progress[-1][1] < len(served_files[FILES[2]]) // 4
    folder = tmp_path / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES[:2])
    assert leftovers(folder) == []
    # cancelling does not go on to another mirror or file
    assert [name for _, name, _ in server.requests] == list(FILES[:3])


def test_cancel_before_the_first_byte_keeps_nothing(tmp_path, known, server):
    with pytest.raises(DownloadCancelled):
        download("mnist", root=tmp_path, mirrors=[server.url("ok"), server.url("ok")],
                 cancelled=lambda: True)
    assert list((tmp_path / "mnist").iterdir()) == []
    assert server.requests == []          # a cancel seen before connecting: no request at all


@pytest.mark.parametrize("bad", ["short", "drop", "corrupt"])
def test_a_retry_after_a_failure_downloads_whole_files_from_the_start(tmp_path, known, served_files,
                                                                     server, bad):
    with pytest.raises(DownloadError):
        download("mnist", root=tmp_path, mirrors=[server.url(bad)], timeout=5)
    folder = download("mnist", root=tmp_path, mirrors=[server.url("ok")], timeout=5)
    for name in FILES:
        assert md5_of(folder / name) == hashlib.md5(served_files[name]).hexdigest()
    retried = server.requests[1:]
    assert [(mode, name) for mode, name, _ in retried] == [("ok", name) for name in FILES]
    assert all(range_header is None for _, _, range_header in server.requests)   # resume-free


def test_an_unknown_dataset_name_is_refused(tmp_path):
    with pytest.raises(DownloadError, match="unknown dataset 'emnist'.*mnist, fashion-mnist, kmnist"):
        download("emnist", root=tmp_path)
    assert not (tmp_path / "emnist").exists()


# --- where datasets are found ----------------------------------------------------------------------

def idx_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "t10k-labels-idx1-ubyte").write_bytes(encode_idx(np.arange(3, dtype=np.uint8)))
    return path


@pytest.fixture
def locations(tmp_path, monkeypatch):
    """An explicit folder, an environment folder of two datasets, a cache and a Debian folder."""
    explicit = idx_folder(tmp_path / "given" / "digits")
    env = tmp_path / "env"
    idx_folder(env / "kmnist")
    idx_folder(env / "fashion-mnist")
    (env / "notes").mkdir()                               # no IDX files: not a dataset
    cache = tmp_path / "cache"
    idx_folder(cache / "mnist")
    debian = idx_folder(tmp_path / "usr-share" / "fashion-mnist")
    monkeypatch.setattr(datasets, "cache_root", lambda: cache)
    monkeypatch.setattr(datasets, "DEBIAN_FASHION", debian)
    monkeypatch.setenv("MNIST_TRAINER_DATA", str(env))
    return explicit, env, cache, debian


def test_datasets_are_found_in_the_documented_order(locations):
    explicit, env, cache, debian = locations
    found = [(d.source, d.name, d.path) for d in find_datasets(explicit)]
    assert found == [
        ("--data", "digits", explicit),
        ("environment", "fashion-mnist", env / "fashion-mnist"),
        ("environment", "kmnist", env / "kmnist"),
        ("cache", "mnist", cache / "mnist"),
        ("debian", "fashion-mnist", debian),
    ]


def test_each_location_is_optional(locations, monkeypatch, tmp_path):
    explicit, env, cache, debian = locations
    assert [d.source for d in find_datasets()] == ["environment", "environment", "cache", "debian"]
    monkeypatch.delenv("MNIST_TRAINER_DATA")
    assert [d.source for d in find_datasets()] == ["cache", "debian"]
    monkeypatch.setattr(datasets, "DEBIAN_FASHION", tmp_path / "not-installed")
    assert [(d.source, d.path) for d in find_datasets()] == [("cache", cache / "mnist")]
    monkeypatch.setattr(datasets, "cache_root", lambda: tmp_path / "no-cache-yet")
    assert find_datasets() == []
    assert [d.path for d in find_datasets(explicit.parent)] == [explicit]   # a folder of datasets


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CACHE_HOME is the Linux convention")
def test_a_download_into_the_user_cache_is_then_found_there(tmp_path, known, server, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MNIST_TRAINER_DATA", raising=False)
    monkeypatch.setattr(datasets, "DEBIAN_FASHION", tmp_path / "not-installed")
    folder = download("mnist")
    assert folder == tmp_path / "xdg" / "mnist-trainer" / "datasets" / "mnist"
    assert [(d.source, d.name, d.path) for d in find_datasets()] == [("cache", "mnist", folder)]


# --- the command line ------------------------------------------------------------------------------

def test_cli_download_with_mirrors_and_root(tmp_path, known, served_files, server, capsys):
    status = main(["download", "mnist", "--root", str(tmp_path),
                   "--mirror", server.url("missing"), "--mirror", server.url("ok")])
    out = capsys.readouterr().out
    assert status == 0
    assert f"ready in {tmp_path / 'mnist'}" in out
    for name in FILES:
        assert md5_of(tmp_path / "mnist" / name) == hashlib.md5(served_files[name]).hexdigest()
    assert [mode for mode, _, _ in server.requests] == ["missing", "ok"] * 4


def test_cli_download_failure_is_one_message_and_a_nonzero_exit(tmp_path, known, server, capsys):
    status = main(["download", "mnist", "--root", str(tmp_path), "--mirror", server.url("corrupt")])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.startswith(f"mnist-trainer download: {FILES[0]}: no mirror delivered it")
    assert "checksum mismatch" in captured.err and "Traceback" not in captured.err
    assert list((tmp_path / "mnist").iterdir()) == []


def test_cli_datasets_lists_what_is_found_and_what_can_be_downloaded(locations, capsys):
    explicit, env, cache, debian = locations
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out.splitlines()
    found = out[1:out.index("can be downloaded (mnist-trainer download NAME):")]
    assert [line.split()[0] for line in found] == ["fashion-mnist", "kmnist", "mnist", "fashion-mnist"]
    assert [line.split()[-1] for line in found] == ["(environment)", "(environment)", "(cache)", "(debian)"]
    assert str(cache / "mnist") in found[2]
    offered = out[out.index("can be downloaded (mnist-trainer download NAME):") + 1:]
    assert [line.split()[0] for line in offered] == ["mnist", "fashion-mnist", "kmnist", "emnist-letters",
                                                     "emnist-balanced", "emnist-digits"]
