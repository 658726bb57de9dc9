"""The ``lenet-explain`` command line: ``size``, ``summary`` and the walkthrough's commands.

Bad input prints one line, ``lenet-explain: error: …``, on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from lenet_explain.calculator.safe_data import LongNumber, is_integer_text, parse_integer_text
from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_DIGITS
from lenet_explain.safe_files import file_argument, os_reason
from lenet_explain.terminal import escape, json_text, use_fallbacks

PROG = "lenet-explain"
EXIT_BAD_INPUT = 2
EXIT_MISMATCH = 1


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise LenetError(message)


_FLOAT_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def _number(text: str) -> int | float | str | LongNumber:
    """Parse a number as typed; the calculator itself rejects what is not a fitting integer.

    So ``size`` errors carry exactly the calculator's messages (the calculator page reads what is typed the
    same way and shows the same ones): digits are a whole number (a LongNumber beyond the digit limit,
    never converted), a decimal or exponent is a float, anything else stays text.
    """
    text = text.strip()
    if is_integer_text(text):
        return parse_integer_text(text)
    if _FLOAT_TEXT.fullmatch(text):
        return float(text)
    return text


def _padding(text: str) -> int | float | str | LongNumber:
    """Parse ``--padding``: 'valid', 'same', or a number of zero pixels per side."""
    return text if text in ("valid", "same") else _number(text)


def _input_size(text: str) -> tuple[int, ...]:
    """Parse ``summary --input``: the input's sizes without the batch, ``H,W,C`` (1 to 4 whole numbers ≥ 1)."""
    parts = [part.strip() for part in text.split(",")]
    if not 1 <= len(parts) <= 4 or not all(is_integer_text(part) for part in parts):
        raise argparse.ArgumentTypeError(f"expected the input's sizes without the batch, like 224,224,3; got "
                                         f"{escape(repr(text[:60]))}")
    sizes: list[int] = []
    for part in parts:
        size = parse_integer_text(part)
        if isinstance(size, LongNumber):
            raise argparse.ArgumentTypeError(f"a size of {size.digits:,} digits; numbers here have at most "
                                             f"{MAX_DIGITS} digits")
        if size < 1:
            raise argparse.ArgumentTypeError(f"sizes are whole numbers of at least 1, got {size}")
        sizes.append(size)
    return tuple(sizes)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every subcommand."""
    parser = _Parser(prog=PROG, description="LeNet-5 explained: layer arithmetic, checked against Keras.")
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    size = sub.add_parser("size", help="output size of one convolution or pooling axis, with the formula")
    size.add_argument("--input", required=True, type=_number, help="input size (pixels)")
    size.add_argument("--kernel", required=True, type=_number, help="kernel or pool size")
    size.add_argument("--stride", type=_number, help="stride (default 1; for pooling the pool size)")
    size.add_argument("--padding", type=_padding, default="valid", help="'valid', 'same' or P pixels a side")
    size.add_argument("--dilation", type=_number, default=1, help="dilation (default 1)")
    size.add_argument("--op", default="conv", help="conv (default), maxpool or avgpool")
    size.add_argument("--ceil-mode", action="store_true", help="pooling: round up (PyTorch's ceil_mode)")
    size.add_argument("--json", action="store_true", help="print one JSON object")
    size.set_defaults(func=run_size)

    summary = sub.add_parser("summary", help="a model.summary()-like table with formulas, MACs and receptive fields")
    summary.add_argument("--model", default="lecture", type=file_argument,
                         help="lecture, lecture32, lenet1998 or a .json/.toml/.keras file")
    summary.add_argument("--input", type=_input_size, default=None, metavar="H,W,C",
                         help="the input's sizes without the batch, for a saved model that leaves them open "
                              "(like torchinfo's input_size)")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--verify", action="store_true", help="build it in Keras and compare")
    summary.add_argument("--expand-nested", action="store_true",
                         help="list the layers of nested models too (like Keras' expand_nested)")
    summary.set_defaults(func=run_summary)

    _register_walkthrough(sub)
    return parser


def _register_walkthrough(sub: Any) -> None:
    """Add the walkthrough's data/train/predict commands."""
    from lenet_explain.walkthrough import cli as walkthrough_cli

    walkthrough_cli.register(sub)


def _version() -> str:
    """Return the package version."""
    from lenet_explain import __version__

    return __version__


def run_size(args: argparse.Namespace) -> int:
    """Print the output size of one axis and the formula that gives it."""
    from lenet_explain.calculator.arithmetic import output_size
    from lenet_explain.calculator.formatting import axis_to_dict, describe_axis, format_size_formula

    axis = output_size(args.input, args.kernel, args.stride, args.padding, args.dilation, args.op, args.ceil_mode)
    if args.json:
        print(json_text(axis_to_dict(axis)))
        return 0
    note = describe_axis(axis)
    print(f"{args.op}: input {axis.input}, kernel {axis.kernel}, stride {axis.stride}, "
          f"padding {args.padding!r}, dilation {axis.dilation}" + (f" ({note})" if note else ""))
    print(format_size_formula(axis))
    print(f"output size: {axis.output}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    """Print the per-layer table of a stack, optionally checked against Keras."""
    from lenet_explain.calculator.arithmetic import summarize
    from lenet_explain.calculator.formatting import format_summary, summary_to_dict
    from lenet_explain.calculator.stackfile import load_stack

    stack = load_stack(args.model, args.input)
    try:
        summary = summarize(stack, expand_nested=True) if args.expand_nested else summarize(stack)
    except LenetError as error:
        raise LenetError(f"{args.model}: {error}") from None
    if not args.json:
        print(format_summary(summary), flush=True)  # the table is out before Keras is even imported
    report = None
    if args.verify:
        from lenet_explain.models.keras_check import verify_stack

        report = verify_stack(stack, summary)
    if args.json:
        data = summary_to_dict(summary)
        if report is not None:
            data["verify"] = {
                "ok": report.ok,
                "keras_version": report.keras_version,
                "layers_checked": report.layers_checked,
                "keras_totals": report.totals,
                "mismatches": [vars(m) for m in report.mismatches],
            }
        print(json_text(data))
    if report is None:
        return 0
    out = sys.stderr if args.json else sys.stdout
    if report.ok:
        print(f"verified against Keras {report.keras_version}: {report.layers_checked} layers' output shapes, "
              f"parameter counts and connections, and Total params {report.totals['total']:,} and "
              f"{report.totals['connections']:,} connections, all match", file=out)
        return 0
    print(f"MISMATCH against Keras {report.keras_version}:", file=out)
    for m in report.mismatches:
        print(f"  {escape(m.layer)}: {m.what}: calculator {m.calculator!r}, Keras {m.keras!r}", file=out)
    return EXIT_MISMATCH


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    use_fallbacks()  # print in any encoding: × becomes x rather than a UnicodeEncodeError
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except LenetError as error:
        print(f"{PROG}: error: {escape(error)}", file=sys.stderr)  # one line, whatever a name holds
        return EXIT_BAD_INPUT
    except MemoryError:
        print(f"{PROG}: error: out of memory", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped (| head): not an error
        silence_stdout()
        return 0
    except OSError as error:  # the output cannot be written: a full disk (> /dev/full), a lost terminal
        silence_stdout()
        print(f"{PROG}: error: cannot write the output: {os_reason(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit does not fail (and print) a second time."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):  # no descriptor to replace: nothing to flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
