"""Read layer stacks from JSON or TOML files and from saved Keras ``.keras`` archives (without TensorFlow).

The file format (JSON shown; TOML has the same keys, with ``[[layers]]`` tables)::

    {
      "name": "my-lenet",
      "input": [28, 28, 1],
      "layers": [
        {"type": "Conv2D", "filters": 6, "kernel_size": 5, "padding": "same", "activation": "sigmoid"},
        {"type": "AveragePooling2D", "pool_size": 2},
        {"type": "Flatten"},
        {"type": "Dense", "units": 10, "activation": "softmax"}
      ]
    }

``type`` is a Keras class name; the other keys are the Keras arguments of that layer (see
:mod:`lenet_explain.calculator.layers`), plus ``padding`` as a number of zero pixels per side and ``ceil_mode``
for pooling. A ``name`` is optional.

The 1998 network's layers are written the same way (see ``docs/examples/lenet1998.toml``):
``{"type": "SparseConv2D", "filters": 16, "kernel_size": 5, "connections": [[0, 1, 2], …]}`` (filter ``i`` reads
the input maps in ``connections[i]``), ``{"type": "Subsampling2D", "pool_size": 2}``, the activation
``"scaled_tanh"`` and ``{"type": "EuclideanRBF"}`` (the ten 7×12 digit bitmaps; or ``"prototypes"``: a list of
bitmaps, each a list of rows of ``#`` and ``.``).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from lenet_explain.calculator.layers import LAYER_TYPES, Input, Layer, Stack
from lenet_explain.errors import LenetError

SUPPORTED = ", ".join(name for name in LAYER_TYPES if name != "Input")


def load_stack(source: str) -> Stack:
    """Return a built-in stack by name, or the stack in a ``.json``, ``.toml`` or ``.keras`` file."""
    from lenet_explain.calculator.stacks import BUILTIN_STACKS

    if source in BUILTIN_STACKS:
        return BUILTIN_STACKS[source]
    path = Path(source)
    if not path.exists():
        known = ", ".join(sorted(BUILTIN_STACKS))
        raise LenetError(f"{source}: no such file (and not a built-in stack: {known})")
    if path.is_dir():
        raise LenetError(f"{source}: is a folder, not a stack file")
    suffix = path.suffix.lower()
    if suffix == ".keras":
        return read_keras_archive(path)
    if suffix == ".json":
        return stack_from_dict(_read_json(path), default_name=path.stem, where=source)
    if suffix == ".toml":
        return stack_from_dict(_read_toml(path), default_name=path.stem, where=source)
    raise LenetError(f"{source}: unknown file type {suffix or '(none)'!r} (use .json, .toml or .keras)")


def _read_text(path: Path) -> str:
    """Return a file's text or a one-line error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LenetError(f"{path}: cannot read: {error}") from None


def _read_json(path: Path) -> Any:
    """Parse a JSON file, turning syntax errors into one line."""
    import json

    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise LenetError(f"{path}: not valid JSON: {error}") from None


def _read_toml(path: Path) -> Any:
    """Parse a TOML file, turning syntax errors into one line."""
    import tomllib

    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise LenetError(f"{path}: not valid TOML: {error}") from None


def stack_from_dict(data: Any, default_name: str = "stack", where: str = "stack") -> Stack:
    """Return the stack described by a parsed file (``name``, ``input``, ``layers``)."""
    if not isinstance(data, dict):
        raise LenetError(f"{where}: expected an object with 'input' and 'layers'")
    unknown = sorted(set(data) - {"name", "input", "layers"})
    if unknown:
        raise LenetError(f"{where}: unknown key {unknown[0]!r} (expected name, input, layers)")
    if "input" not in data or "layers" not in data:
        missing = "input" if "input" not in data else "layers"
        raise LenetError(f"{where}: missing {missing!r}")
    if not isinstance(data["layers"], list):
        raise LenetError(f"{where}: 'layers' must be a list")
    name = data.get("name", default_name)
    if not isinstance(name, str):
        raise LenetError(f"{where}: 'name' must be text, got {name!r}")
    try:
        shape = data["input"]
        if not isinstance(shape, list):
            raise LenetError(f"input must be a list like [28, 28, 1], got {shape!r}")
        input_layer = Input(shape=tuple(shape))
    except LenetError as error:
        raise LenetError(f"{where}: {error}") from None
    layers = tuple(layer_from_dict(spec, i + 1, where) for i, spec in enumerate(data["layers"]))
    try:
        return Stack(name=name, input=input_layer, layers=layers)
    except LenetError as error:
        raise LenetError(f"{where}: {error}") from None


def layer_from_dict(spec: Any, number: int, where: str) -> Layer:
    """Return the layer described by one ``{"type": ..., **arguments}`` entry."""
    place = f"{where}: layer {number}"
    if not isinstance(spec, dict) or "type" not in spec:
        raise LenetError(f"{place}: expected an object with a 'type'")
    kind = spec["type"]
    cls = LAYER_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None or cls is Input:
        raise LenetError(f"{place}: unsupported layer type {kind!r} (supported: {SUPPORTED})")
    allowed = {f.name for f in fields(cls)}
    arguments = {k: _tuples(v) for k, v in spec.items() if k != "type"}
    for key in arguments:
        if key not in allowed:
            raise LenetError(f"{place} ({kind}): unknown argument {key!r} (allowed: {', '.join(sorted(allowed))})")
    try:
        return cls(**arguments)
    except LenetError as error:
        raise LenetError(f"{place}: {error}") from None
    except TypeError as error:
        raise LenetError(f"{place} ({kind}): {error}") from None


def _tuples(value: Any) -> Any:
    """Turn JSON lists (nested too) into tuples, the form the frozen dataclasses hold."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def read_keras_archive(path: Path) -> Stack:
    """Return the stack of a saved ``.keras`` model, read from the archive's config.json."""
    import json
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, KeyError, OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LenetError(f"{path}: not a readable .keras archive ({error})") from None
    try:
        return stack_from_keras_config(config, default_name=path.stem)
    except LenetError as error:
        raise LenetError(f"{path}: {error}") from None


_KERAS_KEYS: dict[str, tuple[str, ...]] = {
    "Conv2D": ("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias"),
    "MaxPooling2D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"),
    "ZeroPadding2D": ("padding",),
    "Flatten": (),
    "Dense": ("units", "activation", "use_bias"),
    "Dropout": ("rate",),
    "Activation": ("activation",),
    "BatchNormalization": ("center", "scale"),
    "GlobalAveragePooling2D": (),
    "GlobalMaxPooling2D": (),
}
_KERAS_KEYS.update({  # the 1998 network's layers (lenet_explain.models.lenet1998_layers)
    "SparseConv2D": ("filters", "kernel_size", "connections", "activation", "use_bias"),
    "Subsampling2D": ("pool_size", "strides", "activation"),
    "EuclideanRBF": ("prototypes",),
})


def stack_from_keras_config(config: Any, default_name: str = "model") -> Stack:
    """Return the stack of a Keras model config (Sequential, or a Functional model that is a plain chain)."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise LenetError("config.json does not describe a Keras model")
    kind = config.get("class_name")
    body = config["config"]
    if kind not in ("Sequential", "Functional", "Model"):
        raise LenetError(f"unsupported model class {kind!r} (only Sequential or a linear Functional model)")
    entries = body.get("layers")
    if not isinstance(entries, list):
        raise LenetError("config.json has no list of layers")
    shape: list[Any] | None = None
    layers: list[Layer] = []
    previous: str | None = None
    for entry in entries:
        class_name = entry.get("class_name")
        layer_config = entry.get("config", {})
        name = layer_config.get("name", "")
        if class_name == "InputLayer":
            shape = layer_config.get("batch_shape") or layer_config.get("batch_input_shape")
            previous = name
            continue
        if kind != "Sequential":
            _check_chain(entry, name, previous)
        previous = name
        layers.append(_layer_from_keras(class_name, layer_config))
    if shape is None:
        shape = (body.get("build_input_shape") or (config.get("build_config") or {}).get("input_shape"))
    if not shape or any(v is None for v in shape[1:]):
        raise LenetError(f"the model's input shape is not fixed ({shape!r}); the calculator needs one")
    return Stack(name=body.get("name") or default_name, input=Input(shape=tuple(shape[1:])), layers=tuple(layers))


def _check_chain(entry: dict[str, Any], name: str, previous: str | None) -> None:
    """Reject a Functional model layer that does not take its one input from the layer before it."""
    nodes = entry.get("inbound_nodes") or []
    sources: list[str] = []
    for node in nodes:
        for arg in node.get("args", []) if isinstance(node, dict) else []:
            history = arg.get("config", {}).get("keras_history") if isinstance(arg, dict) else None
            if history:
                sources.append(history[0])
    if sources != [previous]:
        raise LenetError(f"layer {name!r} takes its input from {sources}: only a plain chain of layers is supported")


def _layer_from_keras(class_name: Any, config: dict[str, Any]) -> Layer:
    """Return our description of one layer of a Keras config."""
    name = config.get("name", "")
    if class_name not in _KERAS_KEYS:
        raise LenetError(f"layer {name!r}: unsupported layer type {class_name!r} (supported: {SUPPORTED})")
    if config.get("data_format", "channels_last") != "channels_last":
        raise LenetError(f"layer {name!r}: only data_format='channels_last' is supported")
    if config.get("groups", 1) != 1:
        raise LenetError(f"layer {name!r}: grouped convolutions are not supported")
    if class_name == "BatchNormalization" and config.get("axis", -1) not in (-1, 3, [-1], [3]):
        raise LenetError(f"layer {name!r}: BatchNormalization is supported on the last axis only")
    if config.get("keepdims"):
        raise LenetError(f"layer {name!r}: keepdims=True is not supported")
    arguments = {key: _tuples(config[key]) for key in _KERAS_KEYS[class_name] if key in config}
    activation = arguments.get("activation")
    if isinstance(activation, dict):
        arguments["activation"] = activation_name(activation)
    if arguments.get("activation") == "linear" and class_name != "Activation":
        arguments["activation"] = None
    try:
        return LAYER_TYPES[class_name](**arguments, name=name)
    except LenetError as error:
        raise LenetError(f"layer {name!r}: {error}") from None


def activation_name(activation: dict[str, Any]) -> Any:
    """Return the name of a serialised activation: a Keras one, or a registered function like the scaled tanh."""
    config = activation.get("config", {})
    if isinstance(config, str):  # a registered function: {"class_name": "function", "config": "package>name"}
        return config.rsplit(">", 1)[-1]
    return (config.get("name") if isinstance(config, dict) else None) or activation.get("class_name")
