"""What Keras allocates when it loads a saved model, counted before it does.

Keras deserialises each layer and builds it at once at the input shape its ``build_config`` names, before it traces
the graph; a layer is built again by nothing after. So a config can make Keras allocate a layer at a shape the
graph never gives it (a hostile file), and the bound is the larger of two counts: the parameters along the graph
(:func:`~lenet_explain.calculator.arithmetic.summarize`) and those of every layer built at its ``build_config``
shape. A layer the calculator does not know cannot be counted, so a model holding one is refused.
"""

from __future__ import annotations

from typing import Any

from lenet_explain.calculator.arithmetic import start_field, summarize
from lenet_explain.calculator.layers import Model, Stack
from lenet_explain.calculator.stackfile import stack_from_keras_config
from lenet_explain.errors import LenetError

OPEN_SIZE = 1024  # a dimension a build shape leaves open (None): weights never depend on it, windows fit in it


def model_params_bound(config: Any) -> int:
    """Return the most parameters Keras can allocate when it loads ``config`` (refuse what cannot be counted)."""
    stack = stack_from_keras_config(config)
    return max(summarize(stack).total_params, built_params(config, stack))


def built_params(config: Any, stack: Stack) -> int:
    """Return the parameters of every layer of ``config`` built at its ``build_config`` input shape."""
    entries = [entry for entry in config["config"]["layers"] if entry.get("class_name") != "InputLayer"]
    total = 0
    for entry, layer in zip(entries, stack.layers, strict=True):
        if isinstance(layer, Model):  # its own layers, each built at its own build_config shape
            total += built_params(entry, layer.stack)
            continue
        shapes = build_shapes(entry)
        if shapes is None:
            continue  # not built when saved: Keras builds it on the graph's shape, which summarize counts
        try:
            done = layer.compute_call(shapes, [start_field(shape) for shape in shapes])
        except LenetError as error:
            raise LenetError(f"layer {layer.name!r} is built at {shapes[0] if len(shapes) == 1 else shapes} "
                             f"(its build_config), where {error}") from None
        total += done.trainable + done.fixed
    return total


def build_shapes(entry: dict[str, Any]) -> list[tuple[int, ...]] | None:
    """Return the input shapes (batch dropped, open sizes filled) a layer entry's ``build_config`` names, or None."""
    build = entry.get("build_config")
    shape = build.get("input_shape") if isinstance(build, dict) else None
    if not isinstance(shape, list) or not shape:
        return None
    shapes = shape if all(isinstance(item, list) for item in shape) else [shape]
    result = []
    for item in shapes:
        if not item or not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 1)
                                for v in item[1:]):
            raise LenetError(f"layer {entry.get('config', {}).get('name', '')!r}: its build_config input shape "
                             f"{item!r} is not a shape")
        result.append(tuple(OPEN_SIZE if v is None else v for v in item[1:]))
    return result
