"""``python -m pkg``: the same as the ``pkg`` command."""

from __future__ import annotations

import sys

from pkg.cli import main

if __name__ == "__main__":
    sys.exit(main())
