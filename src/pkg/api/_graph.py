"""Writing DOT graphs to files, rendering them with graphviz's ``dot`` when needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pkg.errors import PkgError

__all__ = ["GraphError", "render_graph", "save_graph"]


class GraphError(PkgError):
    """A graph could not be rendered (graphviz missing, or ``dot`` failed)."""


def render_graph(dot_text: str, fmt: str) -> bytes:
    """Render DOT text to an image format (``png``, ``svg``, ...) with graphviz's ``dot``."""
    dot = shutil.which("dot")
    if dot is None:
        raise GraphError("graphviz's 'dot' is not on PATH: cannot render a graph (try a .dot file)")
    done = subprocess.run(
        [dot, f"-T{fmt}"], input=dot_text.encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise GraphError(f"dot -T{fmt} failed: {detail[-1] if detail else done.returncode}")
    return done.stdout


def save_graph(dot_text: str, path: str | Path, *, default_format: str = "png") -> Path:
    """Write the graph to ``path``: DOT text for ``.dot``/``.gv``, else rendered by its suffix.

    The file is written to a temporary name beside it and renamed into place.
    """
    target = Path(path)
    suffix = target.suffix.lstrip(".").lower() or default_format
    data = dot_text.encode() if suffix in ("dot", "gv") else render_graph(dot_text, suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
