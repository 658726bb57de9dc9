"""Run the CLI as ``python -m lenet_explain``."""

from lenet_explain.cli import main

raise SystemExit(main())
