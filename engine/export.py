"""Models out: a trained MLP as an ONNX graph or as PyTorch tensors (safetensors), for other tools.

ONNX (`to_onnx`): the input "pixels" (batch, n_0) float32, then per layer a MatMul, an Add of the
bias (none when the model has no biases) and the activation's op; a classifier (softmax
cross-entropy) ends in a Softmax, so the output "probabilities" is what the app shows as the
model's answer; other models output "outputs", the forward pass itself. Opset 17: any recent
runtime runs it, and Netron draws it.

safetensors (`to_safetensors`): the tensors of PyTorch's `nn.Sequential(Linear, act, Linear, …)`
state dict ("0.weight" (out, in), "0.bias", …), written with the package's NumPy API (no torch),
and beside it `<name>.py`, the few lines of PyTorch that rebuild the model and load them
(`pytorch_code`). The Sequential outputs what `MLP.forward` does (logits for a classifier).

The optional packages are imported only here, when an export asks for them; a missing one is a
MissingExtra naming the extra to install. Every file is written by files.atomic_write.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .files import atomic_write
from .model import MLP

ONNX_OPSET = 17
ONNX_IR_VERSION = 8      # the IR of opset 17 (onnx 1.12): runtimes older than the onnx package read it
ONNX_OPS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "identity": None}   # None: no node
TORCH_MODULES = {"relu": "torch.nn.ReLU()", "sigmoid": "torch.nn.Sigmoid()", "tanh": "torch.nn.Tanh()",
                 "identity": None}
FORMATS = {"onnx": ".onnx", "safetensors": ".safetensors"}   # format: file suffix
EXTRA = "pip install 'mnist-trainer[export]'"
INPUT_NAME = "pixels"


class ExportError(ValueError):
    """A model that cannot be exported in that format; the message says why, for the user."""


class MissingExtra(ExportError):
    """The package a format needs is not installed; the message names the extra that installs it."""


def _require(module: str, format_name: str):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise MissingExtra(f"exporting to {format_name} needs the {module.split('.')[0]} package, which "
                           f"is not installed: {EXTRA}") from None


def is_classifier(loss: str) -> bool:
    """Whether a model trained with `loss` answers with class probabilities (softmax of its output)."""
    return loss == "softmax_ce"


def _activations(model: MLP) -> list[str]:
    """Each layer's activation name (hidden ones, then the output's)."""
    return [model.hidden.name] * (len(model.weights) - 1) + [model.output.name]


def _check_mapped(model: MLP, table: dict, format_name: str) -> None:
    for name in _activations(model):
        if name not in table:
            raise ExportError(f"the {name} activation has no {format_name} equivalent here; "
                              f"{format_name} export knows {', '.join(table)}")


def onnx_model(model: MLP, loss: str, name: str = "mnist-trainer model"):
    """The model as an onnx.ModelProto (checked by onnx.checker)."""
    onnx = _require("onnx", "ONNX")
    from onnx import TensorProto, helper, numpy_helper
    _check_mapped(model, ONNX_OPS, "ONNX")
    nodes, initializers = [], []
    current = INPUT_NAME
    for i, (W, activation) in enumerate(zip(model.weights, _activations(model))):
        initializers.append(numpy_helper.from_array(np.asarray(W, np.float32), f"layer{i}.weight"))
        nodes.append(helper.make_node("MatMul", [current, f"layer{i}.weight"], [f"layer{i}.matmul"],
                                      name=f"layer{i}_matmul"))
        current = f"layer{i}.matmul"
        if model.biases:
            initializers.append(numpy_helper.from_array(np.asarray(model.biases[i], np.float32), f"layer{i}.bias"))
            nodes.append(helper.make_node("Add", [current, f"layer{i}.bias"], [f"layer{i}.add"],
                                          name=f"layer{i}_add"))
            current = f"layer{i}.add"
        if ONNX_OPS[activation] is not None:
            nodes.append(helper.make_node(ONNX_OPS[activation], [current], [f"layer{i}.{activation}"],
                                          name=f"layer{i}_{activation}"))
            current = f"layer{i}.{activation}"
    output = "probabilities" if is_classifier(loss) else "outputs"
    if is_classifier(loss):
        nodes.append(helper.make_node("Softmax", [current], [output], name="softmax", axis=-1))
    else:
        nodes.append(helper.make_node("Identity", [current], [output], name="output"))
    graph = helper.make_graph(
        nodes, name.replace(" ", "_"),
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", model.sizes[0]])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", model.sizes[-1]])],
        initializers)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)],
                              ir_version=ONNX_IR_VERSION, producer_name="mnist-trainer",
                              doc_string=describe(model, loss))
    try:
        onnx.checker.check_model(proto, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as error:   # a bug of ours, said so
        raise ExportError(f"the ONNX graph did not pass onnx.checker: {error}") from None
    return proto


def to_onnx(model: MLP, path, loss: str) -> Path:
    """Write the model as ONNX to `path`; returns it."""
    data = onnx_model(model, loss, Path(path).stem).SerializeToString()
    atomic_write(path, lambda out: out.write(data))
    return Path(path)


def _torch_layers(model: MLP) -> list[str]:
    """The nn.Sequential's modules, as code: a Linear per layer, each followed by its activation's
    module (none for identity, so the indices are those of the tensors' names)."""
    _check_mapped(model, TORCH_MODULES, "PyTorch")
    bias = "" if model.biases else ", bias=False"
    layers = []
    for (n_in, n_out), activation in zip(zip(model.sizes[:-1], model.sizes[1:]), _activations(model)):
        layers.append(f"torch.nn.Linear({n_in}, {n_out}{bias})")
        if TORCH_MODULES[activation] is not None:
            layers.append(TORCH_MODULES[activation])
    return layers


def state_dict(model: MLP) -> dict[str, np.ndarray]:
    """The tensors of the nn.Sequential `pytorch_code` builds, by its state dict's names: Linear's
    weight is (out, in), the transpose of ours."""
    tensors, index = {}, 0
    for i, module in enumerate(_torch_layers(model)):
        if module.startswith("torch.nn.Linear("):
            tensors[f"{i}.weight"] = np.ascontiguousarray(model.weights[index].T, np.float32)
            if model.biases:
                tensors[f"{i}.bias"] = np.ascontiguousarray(model.biases[index], np.float32)
            index += 1
    return tensors


def describe(model: MLP, loss: str) -> str:
    widths = "-".join(str(n) for n in model.sizes)
    biases = "with biases" if model.biases else "without biases"
    answer = "class logits (softmax gives the probabilities)" if is_classifier(loss) else "its outputs"
    return (f"a {widths} network from mnist-trainer ({model.hidden.name} hidden units, {model.output.name} "
            f"output, {biases}); it answers {answer}")


def pytorch_code(model: MLP, loss: str, file_name: str = "model.safetensors") -> str:
    """The PyTorch code that rebuilds the model and loads `file_name` (written by to_safetensors)."""
    modules = "".join(f"    {module},\n" for module in _torch_layers(model))
    lines = [f"# {describe(model, loss)}",
             "import torch",
             "from safetensors.torch import load_file",
             "",
             f"model = torch.nn.Sequential(\n{modules})",
             f"model.load_state_dict(load_file({file_name!r}))",
             "model.eval()",
             f"# pixels: a (batch, {model.sizes[0]}) float32 tensor of images as it was trained on: pixel / 255, in [0, 1]"]
    if is_classifier(loss):
        lines.append("# probabilities = torch.softmax(model(pixels), dim=1)")
    else:
        lines.append("# outputs = model(pixels)")
    return "\n".join(lines) + "\n"


def code_path(path) -> Path:
    """Where to_safetensors writes the PyTorch code: `<name>.py` beside the tensors."""
    return Path(path).with_suffix(".py")


def to_safetensors(model: MLP, path, loss: str) -> tuple[Path, Path, str]:
    """Write the tensors to `path` and the PyTorch code to code_path(path); returns both paths and
    the code."""
    numpy_api = _require("safetensors.numpy", "safetensors")
    path = Path(path)
    if code_path(path) == path:
        raise ExportError(f"{path.name}: the tensors need another name than the PyTorch code's "
                          f"(.py) beside them, e.g. {path.with_suffix(FORMATS['safetensors']).name}")
    metadata = {"format": "pt", "producer": "mnist-trainer",
                "layers": json.dumps(_torch_layers(model)), "loss": loss}
    data = numpy_api.save(state_dict(model), metadata=metadata)
    code = pytorch_code(model, loss, path.name)
    atomic_write(path, lambda out: out.write(data))
    atomic_write(code_path(path), lambda out: out.write(code.encode("utf-8")))
    return path, code_path(path), code


def model_of_run(saved) -> tuple[MLP, str]:
    """The MLP and loss name of a persist.SavedRun (its own arrays, not copied)."""
    config = saved.model_config
    _, options = config.layout(saved.weights[0].shape[0], saved.weights[-1].shape[1])
    model = MLP.from_arrays(saved.weights, saved.biases, hidden=options.get("hidden", "relu"),
                            output=options.get("output", "identity"))
    return model, config.loss_name()


def export_model(model: MLP, loss: str, path, format: str) -> list[Path]:
    """Write the model in `format` (a key of FORMATS) to `path`; returns the files written."""
    if format == "onnx":
        return [to_onnx(model, path, loss)]
    if format == "safetensors":
        return list(to_safetensors(model, path, loss)[:2])
    raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
