"""The typed library API behind every ``pkg`` command.

The command line (:mod:`pkg.cli`) parses arguments, calls one function here and renders
the result; nothing here imports click or prints.  Import the submodule you need
(``from pkg.api.search import search``): this package imports nothing eagerly, so that
commands load only what they use.
"""

from __future__ import annotations

__all__: list[str] = []
