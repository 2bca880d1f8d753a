"""Models out: every kind of model exported as ONNX and run by onnxruntime, and as safetensors
loaded into PyTorch's nn.Sequential by the code written beside it; both against our forward pass.
Then `mnist-trainer export` on saved runs, and what it says for files it cannot export.

The references are independent of the exporter: onnxruntime executes the graph, torch the
Sequential built by the generated code; our side is MLP.forward (and engine.softmax for the
probabilities of a classifier, the answer the app shows).
"""
import json
import sys

import numpy as np
import pytest

from engine import ACTIVATIONS, MLP, ModelConfig, TrainConfig, build_trainer, save_run, softmax
from engine.export import (EXTRA, ONNX_OPS, TORCH_MODULES, ExportError, MissingExtra,
                           is_classifier, to_onnx, to_safetensors)
from trainer_gui.cli import main

RTOL = 1e-5
N_INPUTS, N_CLASSES = 20, 7
CONFIGS = {   # every kind, every hidden activation, both outputs and every loss, with and without biases
    "softmax": ModelConfig(kind="softmax"),
    "two-layer": ModelConfig(kind="two-layer", hidden=(12,)),
    "linear": ModelConfig(kind="linear"),
    **{f"mlp-{act}-{out}-{loss}-{'bias' if bias else 'nobias'}":
       ModelConfig(kind="mlp", hidden=(16, 9), activation=act, output=out, loss=loss, bias=bias, init="he")
       for act in ("relu", "sigmoid", "tanh", "identity")
       for out, loss in (("identity", "softmax_ce"), ("sigmoid", "bce"), ("identity", "mse"))
       for bias in (True, False)},
    "mlp-sigmoid-output-softmax": ModelConfig(kind="mlp", hidden=(10,), output="sigmoid", loss="softmax_ce"),
}


def trained_like(config: ModelConfig, seed=3) -> MLP:
    """The model of `config` with random weights and biases (no zero that would hide a bias or a
    transposition), as after some training."""
    model = config.build(N_INPUTS, N_CLASSES)
    rng = np.random.default_rng(seed)
    for p in model.parameters:
        p[...] = (0.5 * rng.standard_normal(p.shape)).astype(np.float32)
    return model


def pixels(rows, seed=5):
    return np.random.default_rng(seed).random((rows, N_INPUTS), dtype=np.float32)


def expected(model, loss, X):
    """Our answer: the forward pass, and for a classifier its softmax."""
    output = model.forward(X)
    return softmax(output) if is_classifier(loss) else output


def assert_close(theirs, ours):
    assert theirs.dtype == np.float32 and theirs.shape == ours.shape
    np.testing.assert_allclose(theirs, ours, rtol=RTOL, atol=RTOL * float(np.abs(ours).max()) * 1e-2)


# --- ONNX -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CONFIGS)
def test_onnx_export_runs_in_onnxruntime_as_our_forward_pass(name, tmp_path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    config = CONFIGS[name]
    model, loss = trained_like(config), config.loss_name()
    path = to_onnx(model, tmp_path / "model.onnx", loss)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) >= 17
    ops = [node.op_type for node in proto.graph.node]
    layers = len(model.weights)
    assert ops.count("MatMul") == layers
    assert ops.count("Add") == (layers if model.biases else 0)
    assert ops.count("Softmax") == (1 if loss == "softmax_ce" else 0)
    assert set(ops) <= {"MatMul", "Add", "Relu", "Sigmoid", "Tanh", "Softmax", "Identity"}
    [graph_input] = proto.graph.input
    assert graph_input.name == "pixels"
    dims = graph_input.type.tensor_type.shape.dim
    assert dims[0].dim_param and dims[1].dim_value == N_INPUTS            # any batch size
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for rows in (1, 33):
        X = pixels(rows)
        [theirs] = session.run(None, {"pixels": X})
        assert_close(theirs, expected(model, loss, X))


def test_onnx_activation_nodes_follow_each_layer(tmp_path):
    onnx = pytest.importorskip("onnx")
    config = ModelConfig(kind="mlp", hidden=(8, 6), activation="tanh", output="sigmoid", loss="mse")
    proto = onnx.load(str(to_onnx(trained_like(config), tmp_path / "m.onnx", "mse")))
    assert [n.op_type for n in proto.graph.node] == ["MatMul", "Add", "Tanh", "MatMul", "Add", "Tanh",
                                                     "MatMul", "Add", "Sigmoid", "Identity"]


# --- safetensors and PyTorch ----------------------------------------------------------------------

def test_the_safetensors_names_and_shapes_are_a_sequentials_state_dict(tmp_path):
    numpy_api = pytest.importorskip("safetensors.numpy")
    config = ModelConfig(kind="mlp", hidden=(16, 9), activation="sigmoid", output="identity", bias=True)
    model = trained_like(config)
    path, code_file, code = to_safetensors(model, tmp_path / "digits.safetensors", "softmax_ce")
    tensors = numpy_api.load_file(str(path))
    assert sorted(tensors) == ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]
    for index, W, b in zip((0, 2, 4), model.weights, model.biases):
        assert tensors[f"{index}.weight"].shape == W.T.shape and tensors[f"{index}.weight"].dtype == np.float32
        np.testing.assert_array_equal(tensors[f"{index}.weight"], W.T)
        np.testing.assert_array_equal(tensors[f"{index}.bias"], b)
    assert code_file == tmp_path / "digits.py" and code_file.read_text() == code
    assert "load_file('digits.safetensors')" in code


def test_a_model_without_biases_has_no_bias_tensors(tmp_path):
    numpy_api = pytest.importorskip("safetensors.numpy")
    model = trained_like(CONFIGS["two-layer"])
    path, _, code = to_safetensors(model, tmp_path / "m.safetensors", "softmax_ce")
    assert sorted(numpy_api.load_file(str(path))) == ["0.weight", "2.weight"]
    assert code.count("bias=False") == 2


@pytest.mark.parametrize("name", CONFIGS)
def test_the_written_pytorch_code_rebuilds_the_model(name, tmp_path, monkeypatch):
    """The .py written beside the tensors, run as it is (from its folder), builds an nn.Sequential
    whose load_state_dict (strict) takes the file and whose outputs are ours."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("safetensors")
    config = CONFIGS[name]
    model, loss = trained_like(config), config.loss_name()
    _, code_file, _ = to_safetensors(model, tmp_path / "model.safetensors", loss)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(code_file.read_text(), str(code_file), "exec"), namespace)
    sequential = namespace["model"]
    assert isinstance(sequential, torch.nn.Sequential) and not sequential.training
    X = pixels(33)
    with torch.no_grad():
        theirs = sequential(torch.from_numpy(X))
        if is_classifier(loss):
            theirs = torch.softmax(theirs, dim=1)
    assert_close(theirs.numpy(), expected(model, loss, X))


# --- what cannot be exported ----------------------------------------------------------------------

def test_every_activation_has_an_onnx_op_and_a_torch_module():
    assert set(ONNX_OPS) == set(ACTIVATIONS) and set(TORCH_MODULES) == set(ACTIVATIONS)


def test_an_activation_without_a_mapping_is_refused_and_nothing_written(tmp_path):
    model = trained_like(CONFIGS["two-layer"])
    model.hidden.name = "swish"                # an activation the exporters do not know
    with pytest.raises(ExportError, match="the swish activation has no ONNX equivalent"):
        to_onnx(model, tmp_path / "m.onnx", "softmax_ce")
    with pytest.raises(ExportError, match="the swish activation has no PyTorch equivalent"):
        to_safetensors(model, tmp_path / "m.safetensors", "softmax_ce")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("module, export", [("onnx", to_onnx), ("safetensors", to_safetensors)])
def test_a_missing_package_names_the_extra_to_install(module, export, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)      # `import onnx` now raises ImportError
    monkeypatch.setitem(sys.modules, f"{module}.numpy", None)
    with pytest.raises(MissingExtra) as caught:
        export(trained_like(CONFIGS["softmax"]), tmp_path / "m", "softmax_ce")
    assert f"needs the {module} package" in str(caught.value) and EXTRA in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# --- mnist-trainer export -------------------------------------------------------------------------

def saved_model(tmp_path, config: ModelConfig, name="model.npz"):
    """A saved run of `config`, trained one epoch on random digits; returns (path, its trainer)."""
    rng = np.random.default_rng(0)
    X, y = rng.random((60, N_INPUTS), dtype=np.float32), rng.integers(0, N_CLASSES, 60)
    train_config = TrainConfig(epochs=1, batch_size=20, learning_rate=0.1)
    trainer = build_trainer(config, train_config, X, y, n_outputs=N_CLASSES)
    for _ in range(trainer.batches_per_epoch):
        trainer.step()
    path = tmp_path / name
    save_run(path, trainer, config, train_config)
    return path, trainer


@pytest.mark.parametrize("name", ["two-layer", "mlp-tanh-sigmoid-bce-bias", "linear"])
def test_the_export_command_writes_onnx_beside_the_model(name, tmp_path, capsys):
    ort = pytest.importorskip("onnxruntime")
    path, trainer = saved_model(tmp_path, CONFIGS[name])
    assert main(["export", str(path), "--format", "onnx"]) == 0
    out = tmp_path / "model.onnx"
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    [theirs] = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(None, {"pixels": pixels(9)})
    assert_close(theirs, expected(trainer.model, CONFIGS[name].loss_name(), pixels(9)))


def test_the_export_command_writes_safetensors_and_the_code_where_asked(tmp_path, capsys, monkeypatch):
    torch = pytest.importorskip("torch")
    path, trainer = saved_model(tmp_path, CONFIGS["mlp-relu-identity-softmax_ce-bias"])
    target = tmp_path / "out" / "digits"
    target.parent.mkdir()
    assert main(["export", str(path), "--format", "safetensors", "--out", str(target)]) == 0
    written = capsys.readouterr().out
    tensors, code = tmp_path / "out" / "digits.safetensors", tmp_path / "out" / "digits.py"
    assert f"wrote {tensors} and {code}" in written and "torch.nn.Sequential(" in written
    monkeypatch.chdir(tensors.parent)
    namespace = {}
    exec(code.read_text(), namespace)
    with torch.no_grad():
        theirs = namespace["model"](torch.from_numpy(pixels(9))).numpy()
    assert_close(theirs, trainer.model.forward(pixels(9)))


def test_export_of_a_file_that_is_not_a_model_says_so_in_one_line(files_that_are_not_models, capsys):
    for path in files_that_are_not_models:
        assert main(["export", str(path), "--format", "onnx"]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"mnist-trainer export: {path.name}: not a saved model"), err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert not path.with_suffix(".onnx").exists()


def test_export_with_a_missing_package_or_to_an_unwritable_path_says_so_in_one_line(tmp_path, capsys,
                                                                                     monkeypatch):
    path, _ = saved_model(tmp_path, CONFIGS["softmax"])
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    assert main(["export", str(path), "--format", "onnx", "--out", str(blocker / "m.onnx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mnist-trainer export: ") and "Not a directory" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "[Errno" not in err
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    assert main(["export", str(path), "--format", "safetensors"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("mnist-trainer export: exporting to safetensors needs the safetensors package, "
                           f"which is not installed: {EXTRA}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "model.npz"]


def test_the_onnx_file_describes_the_model(tmp_path):
    onnx = pytest.importorskip("onnx")
    path = to_onnx(trained_like(CONFIGS["two-layer"]), tmp_path / "m.onnx", "softmax_ce")
    proto = onnx.load(str(path))
    assert proto.producer_name == "mnist-trainer"
    assert "20-12-7" in proto.doc_string and "without biases" in proto.doc_string
    assert [o.name for o in proto.graph.output] == ["probabilities"]


def test_the_safetensors_metadata_lists_the_layers(tmp_path):
    pytest.importorskip("safetensors")
    from safetensors import safe_open
    path, _, _ = to_safetensors(trained_like(CONFIGS["two-layer"]), tmp_path / "m.safetensors", "softmax_ce")
    with safe_open(str(path), framework="numpy") as f:
        metadata = f.metadata()
    assert metadata["format"] == "pt"
    assert json.loads(metadata["layers"]) == ["torch.nn.Linear(20, 12, bias=False)", "torch.nn.ReLU()",
                                              "torch.nn.Linear(12, 7, bias=False)"]


def test_export_refuses_to_overwrite_the_model_or_to_write_tensors_and_code_to_one_file(tmp_path, capsys):
    path, _ = saved_model(tmp_path, CONFIGS["softmax"])
    before = path.read_bytes()
    assert main(["export", str(path), "--format", "onnx", "--out", str(path)]) == 1
    assert "is the saved model itself" in capsys.readouterr().err and path.read_bytes() == before
    assert main(["export", str(path), "--format", "safetensors", "--out", str(tmp_path / "m.py")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mnist-trainer export: m.py: the tensors need another name") and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
