"""Opening files to read and writing files safely: the two ways the app touches the disk.

`open_regular` refuses anything that is not a regular file (a FIFO, a device, a folder) before it
can block or stream without end. `atomic_write` writes every file the app produces under a short
temporary name beside the target and renames it into place, so a failed or killed write never
leaves a partial file under the final name, and cleans up the temporaries of earlier killed writes.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import stat
from pathlib import Path

TEMPORARY_PREFIX = ".mnist-trainer-"   # .mnist-trainer-<host>-<pid>-<random>.part: 45 characters at most
TEMPORARY_SUFFIX = ".part"
# which machine wrote a temporary: a pid means something only there (a shared folder has many writers)
HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:6]
OURS = re.compile(re.escape(TEMPORARY_PREFIX) + HOST + r"-([0-9]{1,10})-[0-9a-f]+" + re.escape(TEMPORARY_SUFFIX))


class NotARegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder: nothing the app can read as a file."""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path):
    """Open `path` for binary reading, refusing what is not a regular file without blocking.

    The file is opened non-blocking (a FIFO with no writer would otherwise block open() forever),
    checked with fstat on the open descriptor (no race with a rename), then switched to blocking.
    Raises FileNotFoundError, NotARegularFile, or OSError/ValueError (an embedded null byte).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(f"is {_kind(mode)}, not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True    # someone else's process, or no pid this system has: not ours to judge
    return True


def clean_stale_temporaries(folder) -> list[Path]:
    """Remove this app's temporaries in `folder` written on this machine by a process that no longer
    runs (a killed save); returns what was removed. Temporaries of live processes, of other
    machines sharing the folder, and others' files, stay."""
    removed = []
    if os.name != "posix":   # os.kill(pid, 0) is no existence check elsewhere
        return removed
    try:
        candidates = list(Path(folder).glob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"))
    except OSError:
        return removed
    for candidate in candidates:
        match = OURS.fullmatch(candidate.name)
        pid = int(match.group(1)) if match else 0
        if pid > 0 and pid != os.getpid() and not _pid_alive(pid):
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError:
                pass
    return removed


def _keep_mode_of(path: Path, fd: int) -> None:
    """Give the open temporary `fd` the permission bits (not setuid, setgid or sticky) of the
    regular file at `path`, if there is one; where permissions cannot be set (FAT), as they are."""
    try:
        existing = os.stat(path)
        if stat.S_ISREG(existing.st_mode) and hasattr(os, "fchmod"):
            os.fchmod(fd, stat.S_IMODE(existing.st_mode) & 0o777)
    except (OSError, ValueError):
        pass


def atomic_write(path, write) -> None:
    """Call write(file_object) on a temporary file beside `path`, then rename it over `path`.

    The temporary's name is short whatever the target's (a 255-byte name is legal and its
    temporary must be too), starts with a dot, and carries the writer's process id, so the next
    write into the folder can remove what a killed writer left behind. Anything `write` raises
    removes the temporary and propagates: the target is then untouched.

    The file gets the permissions a new file gets under the user's umask (the temporary is created
    0o666 and the umask applies, never read: os.umask is not thread-safe), and a file it replaces
    keeps its own permission bits, as editors do: a model the user made private stays private.
    """
    path = Path(path)
    clean_stale_temporaries(path.parent)
    temporary = path.parent / f"{TEMPORARY_PREFIX}{HOST}-{os.getpid()}-{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            _keep_mode_of(path, out.fileno())
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
