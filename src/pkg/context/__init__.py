"""Resolved contexts: the ``.rxt`` file format, saving and loading.

>>> from pkg.context import ContextFile
>>> from pkg.core import parse_requirement
>>> ctx = ContextFile(package_requests=(parse_requirement("foo-1"),), status="failed")
>>> ContextFile.loads(ctx.dumps()).package_requests
(Requirement('foo-1'),)

:class:`ContextFile` is the file's content, typed, with Rez 3.4.0's 35 keys;
:func:`context_from_resolve` makes one from a resolve; :func:`save_context` and
:func:`load_context` write and read files (Rez's files too).  See ``docs/contexts.md``.
"""

from __future__ import annotations

from pkg.context._build import (
    ResolveLike,
    context_from_resolve,
    rez_failure_description,
    variant_handle,
)
from pkg.context.files import bundle_dir, load_context, save_context
from pkg.context.patch import patched_request
from pkg.context.rxt import (
    RXT_KEYS,
    SERIALIZE_VERSION,
    ContextFile,
    ContextFileError,
    VariantHandle,
)

__all__ = [
    "RXT_KEYS",
    "SERIALIZE_VERSION",
    "ContextFile",
    "ContextFileError",
    "ResolveLike",
    "VariantHandle",
    "bundle_dir",
    "context_from_resolve",
    "load_context",
    "patched_request",
    "rez_failure_description",
    "save_context",
    "variant_handle",
]
