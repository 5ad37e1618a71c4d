"""``python -m tui`` runs the ``tradeoffs`` command."""

from tui.cli import main

if __name__ == "__main__":  # worker processes import this module too: they must not run the command
    raise SystemExit(main())
