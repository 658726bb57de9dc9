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
:mod:`lenet_explain.calculator.registry`), plus ``padding`` as a number of zero pixels per side and ``ceil_mode``
for pooling. A ``name`` is optional.

The 1998 network's layers are written the same way (see ``docs/examples/lenet1998.toml``):
``{"type": "SparseConv2D", "filters": 16, "kernel_size": 5, "connections": [[0, 1, 2], …]}`` (filter ``i`` reads
the input maps in ``connections[i]``), ``{"type": "Subsampling2D", "pool_size": 2}``, the activation
``"scaled_tanh"`` and ``{"type": "EuclideanRBF"}`` (the ten 7×12 digit bitmaps; or ``"prototypes"``: a list of
bitmaps, each a list of rows of ``#`` and ``.``).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from lenet_explain.calculator.layers import Input, Layer, Model, Stack
from lenet_explain.calculator.safe_data import (
    LongNumber,
    check_data,
    depth_message,
    is_integer_text,
    json_nesting_exceeds,
    parse_integer_text,
)
from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_ARCHIVE_MEMBERS, MAX_KERAS_CONFIG_BYTES, MAX_LAYERS, MAX_STACK_FILE_BYTES

MORE_SUPPORTED = "and the other Keras layers listed in the README"


def load_stack(source: str, input_size: tuple[int, ...] | None = None) -> Stack:
    """Return a built-in stack by name, or the stack in a ``.json``, ``.toml`` or ``.keras`` file.

    Only regular files are read (a FIFO or a device is refused at once) and a stack file is at most
    :data:`~lenet_explain.limits.MAX_STACK_FILE_BYTES` long. ``input_size`` (the input's sizes without the batch)
    fills the sizes a saved model leaves open; a size it gives that the model fixes otherwise is refused.
    """
    stack = _load_stack(source, input_size)
    if input_size is not None:
        try:
            fill_input_size(stack.input.shape, input_size)  # a fixed input must agree with what was given
        except LenetError as error:
            raise LenetError(f"{source}: {error}") from None
    return stack


def fill_input_size(shape: tuple[int | None, ...] | list[int | None], given: tuple[int, ...]) -> tuple[int, ...]:
    """Return ``shape`` (no batch) with its open sizes (None) taken from ``given``; refuse a size that disagrees."""
    if len(given) != len(shape):
        raise LenetError(f"--input gives {len(given)} sizes, but the model's input has {len(shape)}: "
                         f"{format_open_shape(shape)}")
    for axis, (own, wanted) in enumerate(zip(shape, given, strict=True), 1):
        if own is not None and own != wanted:
            raise LenetError(f"--input gives {wanted} for axis {axis}, but the model's input is fixed at {own} "
                             f"there: {format_open_shape(shape)}")
    return tuple(given)


def format_open_shape(shape: tuple[int | None, ...] | list[int | None]) -> str:
    """Return an input shape with its open sizes as None: ``(None, None, 3)``."""
    return "(" + ", ".join(str(v) for v in shape) + ("," if len(shape) == 1 else "") + ")"


def _load_stack(source: str, input_size: tuple[int, ...] | None) -> Stack:
    """Return the stack :func:`load_stack` reads (a saved model's open sizes filled from ``input_size``)."""
    from lenet_explain.calculator.stacks import BUILTIN_STACKS

    if source in BUILTIN_STACKS:
        return BUILTIN_STACKS[source]
    from lenet_explain.safe_files import open_regular, read_limited

    path = Path(source)
    suffix = path.suffix.lower()
    if suffix == ".keras":
        return read_keras_archive(path, input_size)
    try:
        if suffix not in (".json", ".toml"):
            open_regular(path).close()  # a missing file or a folder says so first
            raise LenetError(f"unknown file type {suffix or '(none)'!r} (use .json, .toml or .keras)")
        text = _decode(read_limited(path, MAX_STACK_FILE_BYTES, "stack files"))
    except LenetError as error:
        if str(error) == "no such file":
            known = ", ".join(sorted(BUILTIN_STACKS))
            raise LenetError(f"{source}: no such file (and not a built-in stack: {known})") from None
        raise LenetError(f"{source}: {error}") from None
    if suffix == ".json":
        return stack_from_json_text(text, default_name=path.stem, where=source)
    return stack_from_dict(parse_toml(text, source), default_name=path.stem, where=source)


def _decode(data: bytes) -> str:
    """Return a file's bytes as UTF-8 text or a one-line error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LenetError(f"cannot read: not UTF-8 text ({error})") from None


def _json_integer(text: str) -> int | LongNumber:
    """The JSON reader's integers: never more digits than the calculator takes (the check says where)."""
    return parse_integer_text(text) if is_integer_text(text) else int(text)


def parse_json(text: str, where: str) -> Any:
    """Parse JSON text within the limits: at most MAX_DEPTH deep, integers of over MAX_DIGITS digits kept aside."""
    import json

    if json_nesting_exceeds(text):
        raise LenetError(depth_message(where))
    try:
        return json.loads(text, parse_int=_json_integer)
    except json.JSONDecodeError as error:
        raise LenetError(f"{where}: not valid JSON: {error}") from None
    except RecursionError:
        raise LenetError(depth_message(where)) from None


def parse_toml(text: str, where: str) -> Any:
    """Parse TOML text, turning syntax errors, deep nesting and giant integers into one line."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LenetError(f"{where}: not valid TOML: {error}") from None
    except RecursionError:
        raise LenetError(depth_message(where)) from None
    except ValueError as error:  # Python refuses integers of more than 4,300 digits
        raise LenetError(f"{where}: {str(error).split(';')[0]}; the calculator takes far fewer digits") from None


def stack_from_json_text(text: str, default_name: str = "stack", where: str = "stack") -> Stack:
    """Return the stack in a JSON stack file's text (what the calculator page reads from a file or its address)."""
    return stack_from_dict(parse_json(text, where), default_name=default_name, where=where)


def stack_from_dict(data: Any, default_name: str = "stack", where: str = "stack") -> Stack:
    """Return the stack described by a parsed file (``name``, ``input``, ``layers``)."""
    check_data(data, where)
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
    if len(data["layers"]) > MAX_LAYERS:
        raise LenetError(f"{where}: {layers_message(len(data['layers']))}")
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
    specs = data["layers"]
    inbound = tuple(_inbound_from_dict(spec, i + 1, where) for i, spec in enumerate(specs))
    layers = tuple(layer_from_dict(_without_inbound(spec), i + 1, where) for i, spec in enumerate(specs))
    graph = any(calls is not None for calls in inbound)
    try:
        if graph:
            names = [input_layer.name or "input", *(layer.name for layer in Stack(name, input_layer, layers).layers)]
            calls = tuple(given if given is not None else ((names[i],),) for i, given in enumerate(inbound))
            return Stack(name=name, input=input_layer, layers=layers, inbound=calls)
        return Stack(name=name, input=input_layer, layers=layers)
    except LenetError as error:
        raise LenetError(f"{where}: {error}") from None


def _without_inbound(spec: Any) -> Any:
    """Return a layer entry without its graph key."""
    return {k: v for k, v in spec.items() if k != "inbound"} if isinstance(spec, dict) else spec


def _inbound_from_dict(spec: Any, number: int, where: str) -> tuple[tuple[str, ...], ...] | None:
    """Return a layer entry's calls from ``"inbound"``: names (one call) or lists of names (a shared layer)."""
    if not isinstance(spec, dict) or "inbound" not in spec:
        return None
    value = spec["inbound"]
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return (tuple(value),)
    if isinstance(value, list) and value and all(isinstance(call, list) and call and all(
            isinstance(v, str) for v in call) for call in value):
        return tuple(tuple(call) for call in value)
    raise LenetError(f"{where}: layer {number}: inbound must be a name, a list of names, or a list of such lists "
                     f"(one per call of a shared layer), got {value!r}")


def layer_from_dict(spec: Any, number: int, where: str) -> Layer:
    """Return the layer described by one ``{"type": ..., **arguments}`` entry."""
    place = f"{where}: layer {number}"
    if not isinstance(spec, dict) or "type" not in spec:
        raise LenetError(f"{place}: expected an object with a 'type'")
    from lenet_explain.calculator.registry import BASE_LAYER_TYPES, find_layer_type  # the families: not for built-ins

    kind = spec["type"]
    cls = find_layer_type(kind) if isinstance(kind, str) else None
    if cls is None or cls is Input:
        supported = ", ".join(name for name in BASE_LAYER_TYPES if name != "Input")
        raise LenetError(f"{place}: unsupported layer type {kind!r} (supported: {supported}; {MORE_SUPPORTED})")
    allowed = {f.name for f in fields(cls)}
    arguments = {k: _tuples(v) for k, v in spec.items() if k != "type"}
    for key in arguments:
        if key not in allowed:
            raise LenetError(f"{place} ({kind}): unknown argument {key!r} (allowed: {', '.join(sorted(allowed))})")
    if "name" in arguments and not isinstance(arguments["name"], str):
        raise LenetError(f"{place}: 'name' must be text, got {arguments['name']!r}")
    return build_layer(cls, arguments, place)


def layers_message(count: int) -> str:
    """Return the one message for a stack with too many layers."""
    return f"{count:,} layers; a stack has at most {MAX_LAYERS:,} layers"


def build_layer(cls: type[Layer], arguments: dict[str, Any], place: str) -> Layer:
    """Return ``cls(**arguments)``, errors prefixed with ``place``; missing arguments named, not Python's TypeError."""
    missing = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
               and f.name not in arguments]
    if missing:
        names = " and ".join(repr(name) for name in missing)
        plural = "s" if len(missing) > 1 else ""
        raise LenetError(f"{place} ({cls.__name__}): missing argument{plural} {names}")
    try:
        return cls(**arguments)
    except LenetError as error:
        raise LenetError(f"{place}: {error}") from None


def _tuples(value: Any) -> Any:
    """Turn JSON lists (nested too) into tuples, the form the frozen dataclasses hold."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def read_keras_archive(path: Path, input_size: tuple[int, ...] | None = None) -> Stack:
    """Return the stack of a saved ``.keras`` model, read from the archive's config.json (never inflating more
    than :data:`~lenet_explain.limits.MAX_KERAS_CONFIG_BYTES`); ``input_size`` fills its input's open sizes."""
    config = read_keras_config(path)
    try:
        return stack_from_keras_config(config, default_name=path.stem, input_size=input_size)
    except LenetError as error:
        raise LenetError(f"{path}: {error}") from None


def read_keras_config(path: Path) -> Any:
    """Return the parsed config.json of a ``.keras`` archive, within the limits (size, members, depth)."""
    from lenet_explain.safe_files import open_archive, open_regular, read_member

    try:
        file = open_regular(path)
    except LenetError as error:
        raise LenetError(f"{path}: {error}") from None
    try:
        with file, open_archive(file, MAX_ARCHIVE_MEMBERS) as archive:
            text = _decode(read_member(archive, "config.json", MAX_KERAS_CONFIG_BYTES))
    except LenetError as error:
        raise LenetError(f"{path}: not a readable .keras archive: {error}") from None
    return parse_json(text, f"{path}: config.json")


def stack_from_keras_config(config: Any, default_name: str = "model", input_hint: Any = None,
                            input_size: tuple[int, ...] | None = None) -> Stack:
    """Return the stack of a Keras model config: Sequential, or a Functional graph (branches, merges, shared layers,
    nested models). ``input_hint`` is the input shape (batch first) when the config does not say it (a nested model);
    ``input_size`` (no batch) fills the sizes the input leaves open (None), as torchinfo's ``input_size`` does.

    Every entry is checked before it is used, so a malformed config gets a one-line error, never a traceback.
    """
    check_data(config, "config.json")
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise LenetError("config.json does not describe a Keras model")
    kind = config.get("class_name")
    body = config["config"]
    if kind not in ("Sequential", "Functional", "Model"):
        raise LenetError(f"unsupported model class {kind!r} (only Sequential or Functional models)")
    entries = body.get("layers")
    if not isinstance(entries, list):
        raise LenetError("config.json has no list of layers")
    if len(entries) > MAX_LAYERS + 1:  # the input layer is not counted
        raise LenetError(layers_message(len(entries) - 1))
    if kind != "Sequential":
        _check_one_input(body)
    shape: Any = None
    input_name = ""
    layers: list[Layer] = []
    inbound: list[tuple[tuple[str, ...], ...]] = []
    for number, entry in enumerate(entries, 1):
        class_name, layer_config, name = _keras_entry(entry, number)
        if class_name == "InputLayer":
            shape = layer_config.get("batch_shape") or layer_config.get("batch_input_shape")
            input_name = name
            continue
        previous = layers[-1].name if layers else input_name
        calls, constants, hint = _keras_calls(entry, name) if kind != "Sequential" else ([(previous,)], [], None)
        layers.append(_layer_from_keras(entry, class_name, layer_config, constants, hint))
        inbound.append(tuple(calls))
    build_config = config.get("build_config")
    if shape is None:
        shape = body.get("build_input_shape") or (build_config.get("input_shape") if isinstance(build_config, dict)
                                                  else None) or input_hint
    if not isinstance(shape, list) or len(shape) < 2 or not all(
            v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in shape[1:]):
        raise LenetError(f"the model's input shape is not a shape ({shape!r})")
    if input_size is not None:
        shape = [None, *fill_input_size(shape[1:], input_size)]
    elif any(v is None for v in shape[1:]):
        raise LenetError(f"the model's input size is left open {format_open_shape(shape[1:])}; give it with "
                         f"summary --input, the sizes without the batch (e.g. --input 224,224,3)")
    model_name = body.get("name")
    chain = all(calls == ((prev,),) for calls, prev in
                zip(inbound, [input_name, *(layer.name for layer in layers)], strict=False))
    return Stack(name=model_name if isinstance(model_name, str) and model_name else default_name,
                 input=Input(shape=tuple(shape[1:]), name="" if chain else input_name), layers=tuple(layers),
                 inbound=() if chain else tuple(inbound))


def _check_one_input(body: dict[str, Any]) -> None:
    """Refuse a Functional model with more than one input (the calculator reads one)."""
    inputs = body.get("input_layers")
    if isinstance(inputs, list) and inputs and isinstance(inputs[0], list) and len(inputs) > 1:
        raise LenetError(f"the model has {len(inputs)} inputs; the calculator reads models with one input")


def _keras_entry(entry: Any, number: int) -> tuple[str, dict[str, Any], str]:
    """Return (class name, config, name) of one layer entry, or explain what is malformed about it."""
    if not isinstance(entry, dict):
        raise LenetError(f"layer entry {number} is not an object")
    class_name = entry.get("class_name")
    if not isinstance(class_name, str):
        raise LenetError(f"layer entry {number}: class_name must be text, got {class_name!r}")
    layer_config = entry.get("config", {})
    if not isinstance(layer_config, dict):
        raise LenetError(f"layer entry {number} ({class_name}): its config is not an object")
    name = layer_config.get("name", entry.get("name", ""))
    if not isinstance(name, str):
        raise LenetError(f"layer entry {number} ({class_name}): name must be text, got {name!r}")
    return class_name, layer_config, name


def _keras_calls(entry: dict[str, Any], name: str) -> tuple[list[tuple[str, ...]], list[Any], Any]:
    """Return a Functional layer's calls (the names each reads), the first call's arguments with tensors as None
    (a tensor operation's constants), and the first input's shape (batch first)."""
    nodes = entry.get("inbound_nodes") or []
    calls: list[tuple[str, ...]] = []
    constants: list[Any] = []
    hint = None
    for node in nodes if isinstance(nodes, list) else [nodes]:
        args = node.get("args", []) if isinstance(node, dict) else []
        refs: list[str] = []
        pending = list(args) if isinstance(args, list) else [args]
        while pending:
            arg = pending.pop(0)
            if isinstance(arg, list):
                pending = arg + pending
                continue
            history = arg.get("config", {}).get("keras_history") if isinstance(arg, dict) and isinstance(
                arg.get("config"), dict) else None
            if isinstance(history, list) and len(history) == 3 and isinstance(history[0], str):
                source, node_index, tensor_index = history
                if tensor_index != 0:
                    raise LenetError(f"layer {name!r} reads output {tensor_index} of {source!r}: layers with "
                                     f"several outputs are not supported")
                refs.append(source if node_index == 0 else f"{source}#{node_index}")
                hint = hint or arg["config"].get("shape")
                if not calls:
                    constants.append(None)
            elif not calls:
                constants.append(arg)
        if not refs:
            raise LenetError(f"layer {name!r} reads no layer")
        calls.append(tuple(refs))
    if not calls:
        raise LenetError(f"layer {name!r} is not connected to anything")
    return calls, constants, hint


def _layer_from_keras(entry: dict[str, Any], class_name: str, config: dict[str, Any], constants: list[Any],
                      hint: Any) -> Layer:
    """Return our description of one layer (or nested model, or tensor operation) of a Keras config."""
    from lenet_explain.calculator.merging import TENSOR_OPS, TensorOp  # the families: not for built-ins
    from lenet_explain.calculator.registry import find_layer_type

    name = config.get("name", "")
    where = f"layer {name!r}"
    if class_name in ("Sequential", "Functional") and isinstance(config.get("layers"), list):
        try:
            inner = stack_from_keras_config(entry, default_name=name, input_hint=hint)
        except LenetError as error:
            raise LenetError(f"{where} (a nested {class_name} model): {error}") from None
        return Model(stack=inner, kind=class_name, name=name)
    if entry.get("module") == "keras.src.ops.numpy":
        if class_name not in TENSOR_OPS:
            raise LenetError(f"{where}: unsupported tensor operation {class_name!r}")
        if not all(c is None or (isinstance(c, (int, float)) and not isinstance(c, bool)) for c in constants):
            raise LenetError(f"{where}: {class_name} takes only tensors and numbers here")
        return TensorOp(op=class_name, operands=tuple(constants), name=name)
    cls = find_layer_type(class_name)
    if cls is None or class_name in ("Input", "TensorOp") or any(c is not None for c in constants):
        raise LenetError(f"{where}: unsupported layer type {class_name!r} ({_unsupported_hint(entry)})")
    if config.get("data_format", "channels_last") != "channels_last":
        raise LenetError(f"{where}: only data_format='channels_last' is supported")
    if class_name == "BatchNormalization" and isinstance(config.get("axis"), list) and len(config["axis"]) == 1:
        config = {**config, "axis": config["axis"][0]}  # older Keras wrote the one axis as a list
    arguments = {f.name: _tuples(config[f.name]) for f in fields(cls) if f.name in config and f.name != "name"}
    activation = arguments.get("activation")
    if isinstance(activation, dict):
        arguments["activation"] = activation_name(activation)
    if arguments.get("activation") == "linear" and class_name != "Activation":
        arguments["activation"] = None
    return build_layer(cls, {**arguments, "name": name}, where)


def _unsupported_hint(entry: dict[str, Any]) -> str:
    """Say where an unknown class comes from, and where the supported layers are listed."""
    module = entry.get("module")
    from lenet_explain.calculator.registry import KERAS_LAYER_COUNT

    origin = f"from {module}; " if isinstance(module, str) and module and not module.startswith("keras.layers") else ""
    return f"{origin}the calculator knows {KERAS_LAYER_COUNT} Keras layer types, listed in its README"


def activation_name(activation: dict[str, Any]) -> Any:
    """Return the name of a serialised activation: a Keras one, or a registered function like the scaled tanh."""
    config = activation.get("config", {})
    if isinstance(config, str):  # a registered function: {"class_name": "function", "config": "package>name"}
        return config.rsplit(">", 1)[-1]
    return (config.get("name") if isinstance(config, dict) else None) or activation.get("class_name")
