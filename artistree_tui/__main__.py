"""``python -m artistree_tui`` runs the same entry point as the ``artistree-tui`` command."""

from artistree_tui.cli import main

raise SystemExit(main())
