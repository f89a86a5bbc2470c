"""``python -m arc_harness`` is the ``arc-eval`` command."""

from arc_harness.cli import main

main()
