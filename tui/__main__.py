"""``python -m tui`` runs the ``tradeoffs`` command."""

from tui.cli import main

raise SystemExit(main())
