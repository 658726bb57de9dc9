"""Write the example pictures of docs/examples/digits/ (digits typeset on paper, not from MNIST).

Usage:
    .venv/bin/python scripts/make_examples.py

The predict page and the command-line page read them when the site is built; tests/test_site_examples.py fails
when the committed pictures differ from what lenet_explain.site.model_answers draws.
"""

from __future__ import annotations

from lenet_explain.site.model_answers import write_examples


def main() -> None:
    """Write every example picture and print its path."""
    for path in write_examples():
        print(path)


if __name__ == "__main__":
    main()
