"""Downloads against hostile servers on 127.0.0.1: silent, dripping, endless or lying about sizes.

Each server here is a few lines of socket code, so it can misbehave in ways http.server will not.
The request's first path segment picks the behaviour:

    /ok/FILE            the file (small bytes made here), with its Content-Length
    /silent/FILE        reads the request and never answers
    /silent-body/FILE   headers with a Content-Length, then nothing
    /drip/FILE          headers with a 1 MB Content-Length (under the cap), then a byte every 0.2 s
    /endless/FILE       headers without a Content-Length, then bytes without end
    /huge/FILE          headers announcing 10 GB, then bytes without end
    /stall-after-first/FILE   the first file whole; any other: half of it, then nothing (sets `stalled`)

Every loop is bounded in count and time (LIFETIME), and every server shuts itself down after
LIFETIME even if a test does not. The limits (timeouts, deadline, throughput) are the keyword
arguments of engine.datasets.download, made small so each test takes a second or two.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")   # before Qt is imported: CI has no screen

import dataclasses  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import socketserver  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

import engine.datasets as datasets  # noqa: E402
from engine.datasets import (FILES, Cancellation, DownloadCancelled, DownloadError, KnownDataset,  # noqa: E402
                             download)
from trainer_gui.main_window import MainWindow  # noqa: E402
from trainer_gui.transfer import MIRROR_ENV  # noqa: E402

LIFETIME = 20.0                  # seconds any server or handler of this file lives at most
STREAM_LIMIT = 64 << 20          # bytes an endless server sends at most
SIZE = 100_000                   # the published size the test dataset claims for each file
CAP = 2 * SIZE + (1 << 20)       # what KnownDataset.cap makes of it
SERVED = {name: name.encode() * 100 for name in FILES}


class Hostile(socketserver.BaseRequestHandler):
    """One connection: read the request, then behave as its path says (see the module's text)."""

    def handle(self):
        server, connection = self.server, self.request
        server.connections += 1
        connection.settimeout(LIFETIME)
        request = b""
        try:
            while b"\r\n\r\n" not in request and len(request) < 65536:   # a TLS hello never ends it
                data = connection.recv(4096)
                if not data:
                    return
                request += data
            target = request.split(b" ")[1].decode()
            server.targets.append(target)
            mode, name = target.split("/")[-2:]
            getattr(self, mode.replace("-", "_"))(name)
        except OSError:   # the client went away: what most of these tests want
            pass

    def _headers(self, length=None):
        extra = f"Content-Length: {length}\r\n" if length is not None else ""
        self.request.sendall(f"HTTP/1.1 200 OK\r\nConnection: close\r\n{extra}\r\n".encode())

    def _wait(self, seconds):
        """False once the server stops."""
        return not self.server.stop.wait(seconds)

    def ok(self, name):
        self._headers(len(SERVED[name]))
        self.request.sendall(SERVED[name])

    def silent(self, name):
        self._wait(LIFETIME)

    def silent_body(self, name):
        self._headers(len(SERVED[name]))
        self._wait(LIFETIME)

    def drip(self, name):
        self._headers(1_000_000)
        for _ in range(int(LIFETIME / 0.2)):
            self.request.sendall(b"x")
            self.server.sent += 1
            if not self._wait(0.2):
                return

    def _stream(self):
        block, start = b"\0" * (64 << 10), time.monotonic()
        while self.server.sent < STREAM_LIMIT and time.monotonic() - start < LIFETIME and self._wait(0):
            self.request.sendall(block)
            self.server.sent += len(block)

    def endless(self, name):
        self._headers()
        self._stream()

    def huge(self, name):
        self._headers(10 ** 10)
        self._stream()

    def stall_after_first(self, name):
        if name == FILES[0]:
            return self.ok(name)
        self._headers(len(SERVED[name]))
        self.request.sendall(SERVED[name][:len(SERVED[name]) // 2])
        self.server.stalled.set()
        self._wait(LIFETIME)


@pytest.fixture
def server(monkeypatch):
    """A hostile server; server.url(mode) is a mirror address, server.connections counts accepted
    connections, server.targets the request targets, server.sent the body bytes sent."""
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                  "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    httpd.stop, httpd.connections, httpd.targets, httpd.sent = threading.Event(), 0, [], 0
    httpd.stalled = threading.Event()
    host, port = httpd.server_address[:2]
    httpd.url = lambda mode, scheme="http": f"{scheme}://{host}:{port}/{mode}/"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    ending = threading.Timer(LIFETIME, lambda: (httpd.stop.set(), httpd.shutdown()))
    ending.daemon = True
    ending.start()
    yield httpd
    ending.cancel()
    httpd.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def known(monkeypatch):
    """KNOWN['mnist'] made of the small served files, each published as SIZE bytes."""
    dataset = KnownDataset("mnist", "MNIST (handwritten digits)", ("http://127.0.0.1:9/unused/",),
                           {name: hashlib.md5(data).hexdigest() for name, data in SERVED.items()},
                           {name: SIZE for name in FILES})
    monkeypatch.setitem(datasets.KNOWN, "mnist", dataset)
    return dataset


@pytest.fixture
def written(monkeypatch):
    """The bytes each download's temporary file held when its writing ended, success or not."""
    sizes = []
    atomic_write = datasets.atomic_write

    def measured(path, write):
        def measure(out):
            try:
                write(out)
            finally:
                sizes.append(out.tell())
        atomic_write(path, measure)

    monkeypatch.setattr(datasets, "atomic_write", measured)
    return sizes


def failing(tmp_path, server, mode, **limits):
    """The DownloadError of a download from one mirror, and the seconds it took."""
    start = time.monotonic()
    with pytest.raises(DownloadError) as caught:
        download("mnist", root=tmp_path, mirrors=[server.url(mode)], **limits)
    assert not isinstance(caught.value, DownloadCancelled)
    assert list((tmp_path / "mnist").iterdir()) == []     # neither the file nor a temporary of it
    return str(caught.value), time.monotonic() - start


# --- sizes ---------------------------------------------------------------------------------------

def test_each_known_file_has_its_published_size_and_a_cap_above_it(shared_data):
    for dataset in datasets.KNOWN.values():
        # EMNIST's sets come from one archive; the others are their four files
        assert set(dataset.sizes) == set(dataset.md5) == ({"gzip.zip"} if dataset.extract else set(FILES))
        for name, size in dataset.sizes.items():
            assert dataset.cap(name) == 2 * size + (1 << 20)
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):   # the real MNIST files
        assert (shared_data / "mnist" / name).stat().st_size == datasets.KNOWN["mnist"].sizes[name]
    assert KnownDataset("x", "X", (), {}).cap("any") == datasets.UNKNOWN_SIZE_CAP


def test_an_endless_stream_stops_at_the_cap_and_leaves_nothing(tmp_path, known, server, written):
    message, seconds = failing(tmp_path, server, "endless", timeout=5)
    assert FILES[0] in message and f"more than {CAP:,} bytes received" in message
    assert len(written) == 1 and CAP - datasets.PIECE < written[0] <= CAP   # never more on disk
    assert server.sent < CAP + (16 << 20)       # what the socket buffers took, not the stream
    assert seconds < 10


def test_a_content_length_above_the_cap_is_refused_before_reading(tmp_path, known, server, written):
    progress = []
    start = time.monotonic()
    with pytest.raises(DownloadError) as caught:
        download("mnist", root=tmp_path, mirrors=[server.url("huge")], progress=lambda *a: progress.append(a),
                 timeout=5)
    message = str(caught.value)
    assert FILES[0] in message and "announces 10,000,000,000 bytes" in message and f"{CAP:,}" in message
    assert written == [0] and progress == [] and list((tmp_path / "mnist").iterdir()) == []
    assert time.monotonic() - start < 5


# --- time rules ----------------------------------------------------------------------------------

def test_a_dripping_server_fails_on_the_throughput_rule(tmp_path, known, server):
    message, seconds = failing(tmp_path, server, "drip", timeout=5, min_rate=100, rate_window=1, grace=1)
    assert message.startswith(f"{FILES[0]}: no mirror delivered it")
    assert "too slow:" in message and "B/s over the last 1 s (at least 100 B/s needed)" in message
    assert 1 <= seconds < 4 and server.sent < 30


@pytest.mark.parametrize("mode", ["silent", "silent-body"])
def test_a_silent_server_fails_on_the_stall_timeout(tmp_path, known, server, mode):
    message, seconds = failing(tmp_path, server, mode, timeout=0.5)
    assert f"{FILES[0]}: no data for 0.5 s" in message
    assert 0.5 <= seconds < 3


@pytest.mark.parametrize("mode", ["silent", "drip"])
def test_the_deadline_bounds_a_file_whatever_the_server_does(tmp_path, known, server, mode):
    """A deadline shorter than the stall timeout and without a throughput floor: it alone ends
    the download, while waiting for headers or between drips."""
    message, seconds = failing(tmp_path, server, mode, timeout=30, deadline=1, min_rate=0)
    assert f"{FILES[0]}: took longer than 1 s" in message
    assert 1 <= seconds < 3


def test_a_healthy_download_meets_the_rules(tmp_path, known, server):
    folder = download("mnist", root=tmp_path, mirrors=[server.url("ok")], timeout=2, deadline=5, grace=0,
                      rate_window=1, min_rate=1)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == SERVED


def test_proxies_from_the_environment_are_used(tmp_path, known, server, monkeypatch):
    """The server acts as the proxy: it is asked for the mirror's absolute address."""
    monkeypatch.setenv("http_proxy", server.url("").rstrip("/"))
    download("mnist", root=tmp_path, mirrors=["http://mirror.invalid/ok/"], timeout=5)
    assert server.targets == [f"http://mirror.invalid/ok/{name}" for name in FILES]


# --- cancel --------------------------------------------------------------------------------------

def cancelled_in(seconds_before_cancel, run):
    """Run `run(cancellation)` in a thread, cancel it from this one after the given wait, and
    return (the exception it raised, the seconds from the cancel to its end)."""
    cancellation, outcome = Cancellation(), []

    def target():
        try:
            run(cancellation)
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    seconds_before_cancel()
    start = time.monotonic()
    cancellation.cancel()
    thread.join(10)
    assert not thread.is_alive()
    return outcome[0], time.monotonic() - start


def until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
    time.sleep(0.2)   # and the client blocked in its read


@pytest.mark.parametrize("mode, scheme", [("silent", "http"), ("silent-body", "http"), ("silent", "https")])
def test_cancel_from_another_thread_wakes_a_blocked_read(tmp_path, known, server, mode, scheme):
    """The default 30 s stall timeout: only the cancel can end these within a second. Over https the
    read blocked is the TLS handshake's (the server never answers the client's hello)."""
    error, seconds = cancelled_in(lambda: until(lambda: server.connections > 0), lambda cancellation: download(
        "mnist", root=tmp_path, mirrors=[server.url(mode, scheme)], cancelled=cancellation))
    assert isinstance(error, DownloadCancelled) and f"{FILES[0]}: download cancelled" in str(error)
    assert seconds < 3
    assert list((tmp_path / "mnist").iterdir()) == []
    assert server.connections == 1   # and no other mirror or file was tried


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux drops connections past a full backlog")
def test_cancel_wakes_a_blocked_connect(tmp_path, known):
    """A listener with a full backlog drops new connections' SYNs: connect() waits, as for an
    address that does not answer at all, until the cancel."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())
        port = listener.getsockname()[1]
        error, seconds = cancelled_in(lambda: time.sleep(0.5), lambda cancellation: download(
            "mnist", root=tmp_path, mirrors=[f"http://127.0.0.1:{port}/"], cancelled=cancellation))
    assert isinstance(error, DownloadCancelled) and seconds < 3


def test_a_cancellation_polls_a_callable_and_wakes_what_is_reading_only_then():
    flag = []
    cancellation = Cancellation(poll=lambda: bool(flag))
    assert not cancellation()
    flag.append(1)
    assert cancellation()
    woken = []
    with cancellation.waking(lambda: woken.append(1)):
        cancellation.cancel()
    cancellation.cancel()          # outside the block: no longer woken
    assert woken == [1]
    with cancellation.waking(lambda: woken.append(2)):   # cancelled already: woken at once
        assert woken == [1, 2]


# --- Ctrl+C on the command line ------------------------------------------------------------------

DOWNLOAD_IN_CHILD = textwrap.dedent("""
    import json, sys
    import engine.datasets as datasets
    from trainer_gui.cli import main

    datasets.KNOWN["mnist"] = datasets.KnownDataset(**json.loads(sys.argv[1]))
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_during_a_cli_download_keeps_the_complete_files_and_exits_130(tmp_path, known, server):
    """Found: Ctrl+C during `mnist-trainer download` printed a 25-line traceback."""
    child = subprocess.Popen([sys.executable, "-c", DOWNLOAD_IN_CHILD, json.dumps(dataclasses.asdict(known)),
                              "download", "mnist", "--root", str(tmp_path), "--mirror",
                              server.url("stall-after-first")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        until(server.stalled.is_set, seconds=30)   # the second file half read, its reader blocked
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130, err
    assert err == ("mnist-trainer download: interrupted; the files already complete are kept, the one "
                   "being downloaded was discarded\n")
    assert {p.name: p.read_bytes() for p in (tmp_path / "mnist").iterdir()} == {FILES[0]: SERVED[FILES[0]]}


# --- the window ----------------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    """A fresh window whose user cache is a folder of this test."""
    monkeypatch.setattr(datasets, "cache_root", lambda: tmp_path / "cache")
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def start_download(window, server, mode, monkeypatch):
    monkeypatch.setenv(MIRROR_ENV, server.url(mode))
    window.menus.refresh_datasets()
    window.menus.dataset_actions()["Download MNIST (handwritten digits)…"].trigger()
    dialog = window.file_actions.download_dialog
    assert dialog is not None and dialog.isVisible()
    until(lambda: server.connections > 0)
    return dialog


def download_threads():
    return [t for t in threading.enumerate() if t.name.startswith("download ")]


@pytest.mark.parametrize("mode", ["silent", "silent-body"])
def test_cancel_in_the_dialog_acts_within_a_second(window, qtbot, server, tmp_path, monkeypatch, mode):
    dialog = start_download(window, server, mode, monkeypatch)
    start = time.monotonic()
    with qtbot.waitSignal(dialog.cancelled, timeout=3000):
        QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.text() == "Cancelling…" and not dialog.cancel_button.isEnabled()
    assert time.monotonic() - start < 3
    assert "cancelled" in window.message_banner.text() and not dialog.isVisible()
    assert window.file_actions.download_dialog is None and download_threads() == []
    assert not any((tmp_path / "cache" / "mnist").iterdir())


def test_closing_the_window_mid_download_returns_at_once(window, qtbot, server, monkeypatch):
    dialog = start_download(window, server, "silent", monkeypatch)
    outcomes = []
    for signal in (dialog.downloaded, dialog.failed, dialog.cancelled):
        signal.connect(outcomes.append)
    start = time.monotonic()
    window.close()
    assert time.monotonic() - start < 3
    assert download_threads() == [] and window.file_actions.download_dialog is None
    qtbot.wait(200)
    assert outcomes == []     # the window is gone: nobody is told


QUITTING = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from trainer_gui.main_window import MainWindow

    def run():   # as trainer_gui.app.run_window: the window lives until the application ends
        app = QApplication([])
        window = MainWindow()
        window.show()
        window.file_actions.download("mnist")
        # quit() closes every window first; exit(0) only ends the event loop, the download still running
        QTimer.singleShot(1500, app.quit if sys.argv[1] == "quit" else lambda: app.exit(0))
        code = app.exec()
        print("running" if any(t.name.startswith("download ") for t in threading.enumerate()) else "ended",
              flush=True)
        return code

    sys.exit(run())
""")


@pytest.mark.parametrize("how", ["quit", "exit"])
def test_a_process_quitting_mid_download_exits_cleanly(server, tmp_path, how):
    """When run() returns, the window and its dialog are deleted: a QThread still running then
    aborted the process (SIGABRT, "QThread: Destroyed while thread is still running"). The
    download's daemon thread is dropped instead, and the exit code is 0."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "xdg"),
                       **{MIRROR_ENV: server.url("silent")})
    environment.pop(datasets.DATA_ENV, None)
    finished = subprocess.run([sys.executable, "-c", QUITTING, how], env=environment, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert server.connections == 1
    assert finished.stdout.split() == ["ended" if how == "quit" else "running"]
