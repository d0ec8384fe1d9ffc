"""Patched requests: a saved context's request with some requests replaced (``pkg env -p``).

>>> from pkg.context import ContextFile, VariantHandle
>>> from pkg.core import parse_requirement
>>> ctx = ContextFile(
...     package_requests=(parse_requirement("foo-1"), parse_requirement("bar")),
...     resolved_packages=(
...         VariantHandle("foo", "1.4.2", None, "/repo"),
...         VariantHandle("bar", "2.0", None, "/repo"),
...     ),
... )
>>> [str(r) for r in patched_request(ctx, ["foo-2", "^bar", "baz"])]
['foo-2', 'baz']
>>> [str(r) for r in patched_request(ctx, [], rank=3)]
['foo-1', 'bar', '~foo<1.4_']

The rules, as in Rez 3.4.0:

* The source is the context's request (``strict``: its resolve, ``foo-1.4.2`` per
  resolved package).  Implicit packages are not part of it: the new resolve adds the
  current ones again.
* ``^name`` removes every source request of that family (any kind).
* A patch request replaces the source request of the same family and kind (plain, weak
  ``~`` or conflict ``!``) in place, once; anything else is appended in order.
* With ``rank`` N > 1 (not ``strict``), every resolved package that is not named by a
  non-conflict patch request may only change from its N-th version token on: ``~foo<V``
  is appended, where V is the version cut to N-1 tokens, plus ``_`` (``rank=3`` keeps
  ``1.4.2`` below ``1.4_``).  Packages with fewer than N tokens are left free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.core import Requirement, Version, parse_requirement

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.context.rxt import ContextFile

__all__ = ["patched_request"]


def patched_request(
    context: ContextFile,
    patches: Sequence[str | Requirement],
    *,
    strict: bool = False,
    rank: int = 0,
) -> list[Requirement]:
    """The context's request patched with ``patches`` (see the module docstring).

    Raises:
        RequestError: a patch request does not parse.
    """
    if strict:
        source = [
            parse_requirement(f"{h.name}-{h.version}" if h.version else h.name)
            for h in context.resolved_packages
        ]
    else:
        source = list(context.package_requests)
    removed = {str(p)[1:] for p in patches if str(p).startswith("^")}
    overrides = [
        p if isinstance(p, Requirement) else parse_requirement(p)
        for p in patches
        if not str(p).startswith("^")
    ]
    request = [r for r in source if r.name not in removed]
    slots = {r.name: i for i, r in enumerate(request)}
    appended: list[Requirement] = []
    for patch in overrides:
        i = slots.get(patch.name)
        if i is not None and (request[i].conflict, request[i].weak) == (
            patch.conflict,
            patch.weak,
        ):
            request[i] = patch
            del slots[patch.name]
        else:
            appended.append(patch)
    request += appended
    if not strict and rank > 1:
        pinned = {p.name for p in overrides if not p.conflict}
        for handle in context.resolved_packages:
            version = Version(handle.version)
            if handle.name not in pinned and len(version) >= rank:
                bound = version.trim(rank - 1).next()
                request.append(parse_requirement(f"~{handle.name}<{bound}"))
    return request
