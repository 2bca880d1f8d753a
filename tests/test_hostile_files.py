"""Hostile files and arguments: each refused quickly, with little memory, as the app's own error.

Memory is the peak RSS of a child process that does one thing (VmHWM, or getrusage), time is
bounded generously (these machines are shared); the figures the hostile run found are in the
comments: each bound here is far below them.
"""
import errno
import gzip
import json
import os
import stat
import struct
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

import engine.files
from engine import (IDXFormatError, ModelConfig, ModelFileError, TrainConfig, build_trainer, evaluate,
                    load_run, parse_mnist, read_idx, save_run)
from engine.files import HOST, TEMPORARY_PREFIX, atomic_write, clean_stale_temporaries
from trainer_gui.cli import main

REPO = Path(__file__).resolve().parent.parent


def in_child(code: str, env=None, timeout=60) -> dict:
    """Run `code` in a fresh Python; it sets `result` (a dict). Returns it with the child's peak RSS
    in MB and its seconds of work (imports excluded)."""
    script = textwrap.dedent("""
        import json, resource, sys, time
        import numpy as np
        start = time.perf_counter()
        result = {}
        try:
        %s
        except BaseException as error:
            result["error"] = type(error).__name__
            result["message"] = str(error)
        result["seconds"] = time.perf_counter() - start
        try:   # this process's high-water mark (ru_maxrss may carry the forking parent's through exec)
            with open("/proc/self/status") as status:
                result["peak_mb"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
        except OSError:
            result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    """) % textwrap.indent(textwrap.dedent(code), "    ")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def returns_within(function, seconds=10):
    """function() run in a thread; fails (instead of hanging the suite) if it blocks."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:   # noqa: BLE001 - handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return outcome


def idx_header(code, shape) -> bytes:
    return bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)


def tiny_folder(tmp_path, tiny_mnist) -> Path:
    """tmp_path/data: the tiny set as raw IDX test files, for the command line to train on."""
    images, labels = tiny_mnist
    data = tmp_path / "data"
    data.mkdir()
    (data / "t10k-images-idx3-ubyte").write_bytes(idx_header(0x08, images.shape) + images.tobytes())
    (data / "t10k-labels-idx1-ubyte").write_bytes(idx_header(0x08, labels.shape) + labels.tobytes())
    return data


# --- files that are not files ----------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_at_once_by_every_reader(tmp_path):
    for name in ("t10k-images-idx3-ubyte", "x.npz"):
        os.mkfifo(tmp_path / name)
    outcome = returns_within(lambda: read_idx(tmp_path / "t10k-images-idx3-ubyte"))
    assert isinstance(outcome["error"], IDXFormatError) and "FIFO" in str(outcome["error"])
    outcome = returns_within(lambda: load_run(tmp_path / "x.npz"))
    assert isinstance(outcome["error"], ModelFileError) and "x.npz" in str(outcome["error"])
    assert "FIFO" in str(outcome["error"])


def test_devices_and_folders_are_refused(tmp_path):
    for path in ("/dev/zero", tmp_path):
        if Path(path).exists():
            with pytest.raises(IDXFormatError, match="not a regular file"):
                read_idx(path)
            with pytest.raises(ModelFileError, match="not a regular file"):
                load_run(path)


def test_a_name_with_a_null_byte_is_named_in_the_error():
    with pytest.raises(IDXFormatError, match=r"a\\x00b"):
        read_idx("a\x00b")
    with pytest.raises(ModelFileError):
        load_run("a\x00b.npz")


# --- IDX files that claim more than they are --------------------------------------------------------

def test_a_small_gzip_file_claiming_gigabytes_is_refused_before_allocating(tmp_path):
    """Found: 1.46 MB claiming 1500×1000×1000 passed the gzip-ratio check, then cost 7.4 GB and 21 s."""
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    stream = gzip.compress(idx_header(0x08, (1500, 1000, 1000)) + bytes(4096))
    path.write_bytes(stream + np.random.default_rng(0).bytes(1_460_000))   # big enough for the ratio
    labels = tmp_path / "t10k-labels-idx1-ubyte"
    labels.write_bytes(idx_header(0x08, (1500,)) + bytes(1500))
    got = in_child(f"""
        from engine import parse_mnist
        parse_mnist({str(path)!r}, {str(labels)!r})
    """)
    assert got["error"] == "IDXFormatError", got
    assert "MNIST_TRAINER_MAX_DATA_MB" in got["message"] and "limit" in got["message"]
    assert got["peak_mb"] < 250 and got["seconds"] < 5, got


def test_a_real_gzip_bomb_costing_a_gigabyte_once_converted_is_refused(tmp_path):
    """Found: a 194 KB file took 3.3 s and +955 MB: 200 MB of zero pixels, 1 GB as float32."""
    path = tmp_path / "images.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(idx_header(0x08, (280_000, 28, 28)))
        zeros = bytes(28 * 28 * 1000)
        for _ in range(280):
            out.write(zeros)
    assert path.stat().st_size < 400_000
    labels = tmp_path / "labels"
    labels.write_bytes(idx_header(0x08, (280_000,)) + bytes(280_000))
    got = in_child(f"""
        from engine import parse_mnist
        parse_mnist({str(path)!r}, {str(labels)!r})
    """)
    assert got["error"] == "IDXFormatError" and "limit" in got["message"], got
    assert got["peak_mb"] < 250 and got["seconds"] < 5, got


def test_the_data_limit_can_be_raised_by_the_user(tmp_path, tiny_mnist, monkeypatch):
    images, labels = tiny_mnist
    big = np.tile(images, (1000, 1, 1))                          # 12,000 images of 12 pixels
    image_path, label_path = tmp_path / "images", tmp_path / "labels"
    image_path.write_bytes(idx_header(0x08, big.shape) + big.tobytes())
    label_path.write_bytes(idx_header(0x08, (len(big),)) + np.tile(labels, 1000).tobytes())
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "0.5")      # 144 kB raw + 576 kB as floats
    with pytest.raises(IDXFormatError, match="MNIST_TRAINER_MAX_DATA_MB") as refused:
        parse_mnist(image_path, label_path)
    assert "images" in str(refused.value)
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "1")
    X, y = parse_mnist(image_path, label_path)
    np.testing.assert_array_equal(X[:12] * 255, images.reshape(12, -1))


def test_a_sparse_file_of_gigabytes_is_an_idx_error_not_a_memory_error(tmp_path):
    """Found: a raw file of 3 GB apparent size (nothing on disk) raised MemoryError."""
    path = tmp_path / "sparse-images"
    with open(path, "wb") as out:
        out.write(idx_header(0x08, (3_000_000, 1000)))
        out.truncate(16 + 3_000_000_000)
    got = in_child(f"""
        from engine import read_idx
        read_idx({str(path)!r})
    """)
    assert got["error"] == "IDXFormatError" and "limit" in got["message"], got
    assert got["peak_mb"] < 250 and got["seconds"] < 5, got


def test_running_out_of_memory_while_reading_is_an_idx_error(tmp_path):
    """With the limit raised past what the process may allocate, MemoryError becomes IDXFormatError."""
    path = tmp_path / "sparse-images"
    with open(path, "wb") as out:
        out.write(idx_header(0x08, (800, 1000, 1000)))
        out.truncate(16 + 800_000_000)
    got = in_child(f"""
        import resource
        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (in_use + 400_000_000, resource.RLIM_INFINITY))
        from engine import read_idx
        read_idx({str(path)!r})
    """, env={"MNIST_TRAINER_MAX_DATA_MB": "100000"})
    assert got["error"] == "IDXFormatError" and "not enough memory" in got["message"], got


# --- model files ---------------------------------------------------------------------------------

@pytest.fixture
def saved(tmp_path, tiny_mnist):
    """A valid saved two-layer model (12-pixel inputs, 16 hidden units, 10 classes) and its members."""
    images, labels = tiny_mnist
    X = images.reshape(12, -1).astype(np.float32) / 255
    model_config, train_config = ModelConfig("two-layer", hidden=(16,)), TrainConfig(batch_size=4)
    trainer = build_trainer(model_config, train_config, X, labels)
    trainer.run_epoch()
    path = tmp_path / "good.npz"
    save_run(path, trainer, model_config, train_config, extra={"data": "/some/where", "validation": 0.2})
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return path, members


def npy(array) -> bytes:
    import io
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def meta_of(members) -> dict:
    import io
    return json.loads(str(np.load(io.BytesIO(members["meta.npy"]))))


def zip_members(path, members, compress=zipfile.ZIP_STORED, tweak=None):
    with zipfile.ZipFile(path, "w", compress) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compress
            if tweak:
                tweak(info)
            archive.writestr(info, data)
    return path


def zip_with_zeros(path, members, name, start=b"", megabytes=200):
    """The members deflated, with `name` replaced by `start` and `megabytes` of zeros: a zip bomb
    of under a megabyte."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            if member != name:
                archive.writestr(member, data)
        with archive.open(name, "w", force_zip64=True) as inflating:
            inflating.write(start)
            zeros = bytes(1 << 20)
            for _ in range(megabytes):
                inflating.write(zeros)
    return path


def refused(path, *fragments):
    with pytest.raises(ModelFileError) as caught:
        load_run(path)
    message = str(caught.value)
    assert Path(path).name in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def with_meta(members, change) -> dict:
    meta = meta_of(members)
    change(meta)
    return {**members, "meta.npy": npy(np.array(json.dumps(meta)))}


def test_the_crafted_fixture_loads(saved, tmp_path):
    path, members = saved
    assert load_run(zip_members(tmp_path / "same.npz", members)).state["n_classes"] == 10
    assert load_run(zip_members(tmp_path / "deflated.npz", members, zipfile.ZIP_DEFLATED)).weights[0].shape == (12, 16)


def test_json_nested_a_thousand_deep_is_refused(saved, tmp_path):
    path, members = saved
    deep = "[" * 5000 + "]" * 5000
    text = json.dumps(meta_of(members))[:-1] + f', "notes": {deep}}}'
    refused(zip_members(tmp_path / "deep.npz", {**members, "meta.npy": npy(np.array(text))}), "nested")


def test_a_zero_dimensional_weight_is_refused(saved, tmp_path):
    path, members = saved
    refused(zip_members(tmp_path / "scalar.npz", {**members, "weight_0.npy": npy(np.float32(1))}))


def test_an_encrypted_member_is_refused(saved, tmp_path):
    path, members = saved
    data = bytearray(zip_members(tmp_path / "locked.npz", members).read_bytes())
    data[data.index(b"PK\x01\x02") + 8] |= 1      # the central directory's "encrypted" flag
    data[6] |= 1                                    # and the first local header's
    (tmp_path / "locked.npz").write_bytes(bytes(data))
    refused(tmp_path / "locked.npz", "encrypted")


def test_an_unsupported_compression_method_is_refused(saved, tmp_path):
    path, members = saved
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        refused(zip_members(tmp_path / "bz.npz", members, method), "compression method")
    data = bytearray(zip_members(tmp_path / "odd.npz", members).read_bytes())
    data[data.index(b"PK\x01\x02") + 10] = 99       # the central directory's method of the first member
    (tmp_path / "odd.npz").write_bytes(bytes(data))
    refused(tmp_path / "odd.npz")


def test_a_damaged_deflate_stream_is_refused(saved, tmp_path):
    path, members = saved
    data = bytearray(zip_members(tmp_path / "zipped.npz", members, zipfile.ZIP_DEFLATED).read_bytes())
    with zipfile.ZipFile(tmp_path / "zipped.npz") as archive:
        info = archive.getinfo("weight_0.npy")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start:start + 64] = bytes(range(64))
    (tmp_path / "zipped.npz").write_bytes(bytes(data))
    refused(tmp_path / "zipped.npz")


@pytest.mark.parametrize("rng_state", [
    {"bit_generator": "PCG64", "state": {"state": -1, "inc": 1}, "has_uint32": 0, "uinteger": 0},
    {"bit_generator": "PCG64", "state": {"state": 2 ** 300, "inc": 1}, "has_uint32": 0, "uinteger": 0},
    {"bit_generator": "PCG64", "state": "x"},
], ids=["negative", "huge", "text"])
def test_a_random_state_that_cannot_be_restored_is_refused(saved, tmp_path, rng_state):
    path, members = saved
    crafted = with_meta(members, lambda meta: meta["state"].update(shuffle_rng=rng_state))
    refused(zip_members(tmp_path / "rng.npz", crafted), "shuffling state")


@pytest.mark.parametrize("extra", [{"data": 7}, {"data": ["a"]}, {"validation": "x"}, {"validation": 3}],
                         ids=str)
def test_extra_fields_of_the_wrong_type_are_refused(saved, tmp_path, extra):
    path, members = saved
    refused(zip_members(tmp_path / "extra.npz", with_meta(members, lambda meta: meta["extra"].update(extra))))


def test_a_null_validation_fraction_means_none_was_kept(saved, tmp_path):
    path, members = saved
    crafted = with_meta(members, lambda meta: meta["extra"].update(validation=None))
    assert load_run(zip_members(tmp_path / "null.npz", crafted)).extra == {"data": "/some/where"}


@pytest.mark.parametrize("where, value", [
    ("epoch_sums", "[NaN, Infinity]"), ("epoch_sums", "[1.0, -Infinity]"), ("train_loss", "Infinity"),
    ("test_error", "NaN"), ("test_error", "1.5"), ("train_loss", "-2"), ("learning_rate", "1e999"),
])
def test_numbers_that_are_not_finite_or_out_of_range_are_refused(saved, tmp_path, where, value):
    """Found: epoch_sums [NaN, Infinity] were accepted and plotted as NaN and inf, and exported."""
    path, members = saved
    meta = meta_of(members)
    if where == "epoch_sums":
        meta["state"]["epoch_sums"] = "PLACEHOLDER"
    else:
        meta["history"][0][where] = "PLACEHOLDER"
    text = json.dumps(meta).replace('"PLACEHOLDER"', value)
    refused(zip_members(tmp_path / "nan.npz", {**members, "meta.npy": npy(np.array(text))}))


def test_a_small_file_claiming_a_million_classes_is_refused_without_building_anything(saved, tmp_path):
    """Found: a 34 KB file claiming 10⁶ classes took 27 s and 9.2 GB before ModelFileError."""
    path, members = saved
    crafted = zip_members(tmp_path / "million.npz", with_meta(
        members, lambda meta: meta["state"].update(n_classes=10 ** 6)), zipfile.ZIP_DEFLATED)
    assert crafted.stat().st_size < 40_000
    got = in_child(f"""
        from engine import load_run
        load_run({str(crafted)!r})
    """)
    assert got["error"] == "ModelFileError", got
    assert got["peak_mb"] < 250 and got["seconds"] < 5, got


def test_a_member_that_inflates_past_its_shape_is_refused_before_inflating(saved, tmp_path):
    """Found: a 3 MB file inflating one weight to 3 GB took 11.7 s and 3.1 GB. Here 200 MB: the
    zip directory's size for the member disagrees with the array header, so nothing is inflated."""
    path, members = saved
    bomb = zip_with_zeros(tmp_path / "bomb.npz", members, "weight_0.npy", members["weight_0.npy"])
    assert bomb.stat().st_size < 1_000_000
    got = in_child(f"""
        from engine import load_run
        load_run({str(bomb)!r})
    """)
    assert got["error"] == "ModelFileError" and "weight_0" in got["message"], got
    assert got["peak_mb"] < 150 and got["seconds"] < 2, got


def test_a_member_no_one_uses_is_refused_before_inflating(saved, tmp_path):
    """Found: a 1 MB member inflating to 1 GB that no one uses was accepted after 4.5 s and 1 GB."""
    path, members = saved
    stowaway = zip_with_zeros(tmp_path / "stowaway.npz", members, "notes.npy")
    got = in_child(f"""
        from engine import load_run
        load_run({str(stowaway)!r})
    """)
    assert got["error"] == "ModelFileError" and "notes.npy" in got["message"], got
    assert got["peak_mb"] < 150 and got["seconds"] < 2, got


def test_an_array_header_claiming_gigabytes_is_refused_before_numpy_reads_it(saved, tmp_path):
    """NumPy reads the whole header length an npy file declares (up to 4 GiB) before checking it."""
    path, members = saved
    lying = b"\x93NUMPY\x02\x00" + struct.pack("<I", 600 << 20) + b" " * (1 << 20)
    crafted = zip_members(tmp_path / "header.npz", {**members, "weight_0.npy": lying}, zipfile.ZIP_DEFLATED)
    got = in_child(f"""
        from engine import load_run
        load_run({str(crafted)!r})
    """)
    assert got["error"] == "ModelFileError" and "header" in got["message"], got
    assert got["peak_mb"] < 150, got


def test_a_model_of_zero_inputs_is_refused(saved, tmp_path):
    path, members = saved
    crafted = {**members, "weight_0.npy": npy(np.zeros((0, 16), np.float32)),
               "order.npy": npy(np.arange(5))}
    refused(zip_members(tmp_path / "zero.npz", crafted), "(0, 16)")


def test_a_huge_shuffled_order_is_refused_before_it_is_read(saved, tmp_path, monkeypatch):
    path, members = saved
    monkeypatch.setenv("MNIST_TRAINER_MAX_DATA_MB", "50")
    crafted = {**members, "order.npy": npy(np.zeros(10_500_000, np.int64))}
    refused(zip_members(tmp_path / "order.npz", crafted, zipfile.ZIP_DEFLATED), "shuffled order")


def test_a_configuration_too_large_for_memory_is_refused(saved, tmp_path):
    path, members = saved
    crafted = with_meta(members, lambda meta: meta["model"].update(kind="mlp", hidden=[99_999] * 40))
    refused(zip_members(tmp_path / "huge.npz", crafted), "memory")


# --- labels outside the model's classes --------------------------------------------------------------

def test_labels_outside_the_models_classes_are_a_clear_error(tiny_mnist):
    images, labels = tiny_mnist
    X = images.reshape(12, -1).astype(np.float32) / 255
    trainer = build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=4), X, labels)
    assert trainer.n_classes == 10
    bad = labels.copy()
    bad[3] = 255
    with pytest.raises(ValueError, match="run from 0 to 255.*10 outputs"):
        evaluate(trainer.model, "softmax_ce", X, bad)
    with pytest.raises(ValueError, match="held-out labels run from 0 to 255"):
        build_trainer(ModelConfig("softmax"), TrainConfig(batch_size=4), X, labels, X, bad, n_outputs=10)
    bad[3] = 10
    with pytest.raises(ValueError, match="training labels run from 0 to 10"):
        build_trainer(ModelConfig("linear"), TrainConfig(batch_size=4), X, bad, n_outputs=10)


def test_the_command_line_says_so_for_labels_the_model_does_not_know(tmp_path, tiny_mnist, capsys):
    data, labels = tiny_folder(tmp_path, tiny_mnist), tiny_mnist[1]
    assert main(["train", "--data", str(data), "--model", "softmax", "--batch", "2", "--epochs", "1",
                 "--out", str(tmp_path / "run")]) == 0
    capsys.readouterr()
    labels = labels.copy()
    labels[:] = 200
    (data / "t10k-labels-idx1-ubyte").write_bytes(idx_header(0x08, labels.shape) + labels.tobytes())
    assert main(["evaluate", str(tmp_path / "run" / "model.npz")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run from 200 to 200" in err and "Traceback" not in err


# --- messages ------------------------------------------------------------------------------------

def test_a_learning_rate_too_small_for_float32_is_refused_not_called_divergence(tmp_path, tiny_mnist, capsys):
    data = tiny_folder(tmp_path, tiny_mnist)
    assert main(["train", "--data", str(data), "--lr", "1e-320", "--batch", "2", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "too small" in err and "1e-320" in err and "diverge" not in err
    with pytest.raises(SystemExit):
        main(["train", "--data", str(data), "--seed", "-1", "--out", str(tmp_path / "r")])
    assert "argument --seed" in capsys.readouterr().err


# --- files left behind ---------------------------------------------------------------------------

def test_a_full_disk_leaves_no_file_of_the_run_under_its_final_name(tmp_path, tiny_mnist, monkeypatch, capsys):
    """Found: `train --out` on a nearly full disk left a 0-byte evaluation.json."""
    data = tiny_folder(tmp_path, tiny_mnist)

    def full(fd):   # the disk fills as soon as a temporary file is flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    run = tmp_path / "run"
    monkeypatch.setattr(engine.files.os, "fsync", full)
    assert main(["train", "--data", str(data), "--batch", "2", "--epochs", "1", "--out", str(run)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(run) in err and err.count("\n") == 1
    assert sorted(p.name for p in run.iterdir()) == []    # no final name, no temporary
    monkeypatch.undo()
    assert main(["train", "--data", str(data), "--batch", "2", "--epochs", "1", "--out", str(run)]) == 0
    assert sorted(p.name for p in run.iterdir()) == ["evaluation.json", "metrics.csv", "model.npz"]
    assert json.loads((run / "evaluation.json").read_text())["split"] == "validation"


def test_a_legal_long_file_name_can_be_written(tmp_path):
    name = "m" * 246 + ".npz"                                 # 250 bytes: legal on every common file system
    atomic_write(tmp_path / name, lambda out: out.write(b"x"))
    assert (tmp_path / name).read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_killed_writers_temporaries_are_cleaned_by_the_next_write(tmp_path):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)
    stale = tmp_path / f"{TEMPORARY_PREFIX}{HOST}-{dead}-0123456789ab.part"
    live = tmp_path / f"{TEMPORARY_PREFIX}{HOST}-1-0123456789ab.part"      # pid 1 runs: not ours to remove
    elsewhere = tmp_path / f"{TEMPORARY_PREFIX}ffffff-{dead}-0123456789ab.part"   # another machine's
    others = tmp_path / ".model.npz.abc.part"                             # not this app's name
    crafted = [tmp_path / f"{TEMPORARY_PREFIX}{HOST}-{pid}-ab.part" for pid in ("²", "9" * 30, "0", "-3")]
    for path in (stale, live, elsewhere, others, *crafted):
        path.write_bytes(b"half a save")
    atomic_write(tmp_path / "model.npz", lambda out: out.write(b"whole"))   # the crafted names break nothing
    assert not stale.exists() and live.exists() and elsewhere.exists() and others.exists()
    assert all(path.exists() for path in crafted)
    assert (tmp_path / "model.npz").read_bytes() == b"whole"
    assert clean_stale_temporaries(tmp_path) == []


def test_a_failed_write_leaves_neither_target_nor_temporary(tmp_path):
    (tmp_path / "keep.csv").write_bytes(b"old")

    def failing(out):
        out.write(b"new, half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        atomic_write(tmp_path / "keep.csv", failing)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]
    assert (tmp_path / "keep.csv").read_bytes() == b"old"


# --- permissions of what the app writes -----------------------------------------------------------

def modes(folder) -> dict:
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in sorted(folder.iterdir())}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_mode_the_umask_gives_new_files(tmp_path, tiny_mnist, capsys, umask, mode):
    """Found: saved models, metrics CSVs and PNG exports were written -rw------- whatever the umask
    (the temporary's mode survived the rename)."""
    data, run = tiny_folder(tmp_path, tiny_mnist), tmp_path / "run"
    previous = os.umask(umask)
    try:
        assert main(["train", "--data", str(data), "--batch", "2", "--epochs", "1", "--out", str(run)]) == 0
        atomic_write(run / "loss.png", lambda out: out.write(b"\x89PNG"))   # as the window's exports
    finally:
        os.umask(previous)
    assert modes(run) == dict.fromkeys(["evaluation.json", "loss.png", "metrics.csv", "model.npz"], mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o444])
def test_a_replaced_file_keeps_its_permissions(tmp_path, mode):
    """As editors do: a model the user made private stays private when it is saved again."""
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")
    path.chmod(mode)
    atomic_write(path, lambda out: out.write(b"new"))
    assert path.read_bytes() == b"new" and modes(tmp_path) == {"model.npz": mode}
