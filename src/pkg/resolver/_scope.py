"""A scope: what is still possible for one family in a phase of the solve.

A scope is one of

* a *package scope*: a :class:`~pkg.resolver._slices.Slice` of candidate variants, whose
  :attr:`Scope.request` is the exact set of versions left (``foo==1|==2``);
* a *conflict scope*: a ``!foo``/``~foo`` request that nothing has required yet.  If some
  package comes to require ``foo``, the scope turns into a package scope of the
  versions the conflict allows;
* an *ephemeral scope* (``.foo``): just a range, narrowed by intersection.

Scopes are immutable: every operation returns ``self`` when nothing changed, a new scope
when something did, or None when nothing is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.core import Requirement
from pkg.resolver._context import PackageNotFoundError

if TYPE_CHECKING:
    from pkg.core import VersionRange
    from pkg.resolver._context import SolveContext
    from pkg.resolver._slices import Slice, Variant
    from pkg.resolver.result import Reduction

__all__ = ["Scope"]


class Scope:
    """See the module docstring."""

    __slots__ = ("ephemeral", "multi", "name", "request", "slice")

    def __init__(
        self, name: str, request: Requirement, slice_: Slice | None, ephemeral: bool
    ) -> None:
        self.name = name
        self.request = request
        self.slice = slice_
        self.ephemeral = ephemeral
        #: True for a package scope of more than one variant (one that can be split)
        self.multi = slice_ is not None and not request.conflict and len(slice_) > 1

    @classmethod
    def create(cls, request: Requirement, ctx: SolveContext) -> Scope:
        """The scope of a request.

        Raises:
            PackageFamilyNotFoundError: the family is unknown.
            PackageNotFoundError: no version is in the requested range.
        """
        ephemeral = request.name.startswith(".")
        if request.conflict or ephemeral:
            return cls(request.name, request, None, ephemeral)
        slice_ = ctx.slice(request.name, request.range)
        if slice_ is None:
            raise PackageNotFoundError(Requirement.construct(request.name, request.range))
        return cls._of_slice(request.name, slice_)

    @classmethod
    def _of_slice(cls, name: str, slice_: Slice) -> Scope:
        return cls(name, slice_.ctx.requirement(name, slice_.range), slice_, False)

    @property
    def is_conflict(self) -> bool:
        return self.request.conflict

    def intersect(self, range_: VersionRange, ctx: SolveContext) -> Scope | None:
        """Keep what is also in ``range_`` (a dependency some other scope extracted)."""
        request = self.request
        if self.ephemeral:
            left = range_ - request.range if request.conflict else range_ & request.range
            if not left:
                return None
            if left == request.range:
                return self
            return Scope(self.name, Requirement.construct(self.name, left), None, True)
        if request.conflict:
            allowed = range_ - request.range
            new = ctx.slice(self.name, allowed) if allowed else None
        else:
            assert self.slice is not None
            new = self.slice.intersect(range_)
        if new is None:
            return None
        if new is self.slice:
            return self
        return Scope._of_slice(self.name, new)

    def reduce_by(self, request: Requirement) -> tuple[Scope | None, list[Reduction]]:
        """Drop the variants that clash with another scope's ``request``."""
        if self.slice is None or self.request.conflict:
            return self, []
        new, reductions = self.slice.reduce_by(request)
        if new is None:
            return None, reductions
        if new is self.slice:
            return self, []
        return Scope._of_slice(self.name, new), reductions

    @property
    def reducible_families(self) -> set[str]:
        """The families whose scope requests can remove variants of this scope."""
        if self.slice is None or self.request.conflict:
            return set()
        return self.slice.fam_requires

    def extract(self) -> tuple[Scope, list[Requirement]]:
        """Take out the dependencies all candidates share (see :meth:`Slice.extract`)."""
        if self.slice is None or self.request.conflict:
            return self, []
        new, requests = self.slice.extract()
        if not requests:
            return self, requests
        return Scope(self.name, self.request, new, False), requests

    def split(self) -> tuple[Scope, Scope] | None:
        """(preferred, rest) halves, or None if this scope cannot be split."""
        if not self.multi:
            return None
        assert self.slice is not None
        first, rest = self.slice.split()
        return Scope._of_slice(self.name, first), Scope._of_slice(self.name, rest)

    @property
    def solved(self) -> bool:
        if self.slice is None or self.request.conflict:
            return True
        return len(self.slice) == 1 and not self.slice.extractable

    @property
    def solved_variant(self) -> Variant | None:
        slice_ = self.slice
        if slice_ is not None and len(slice_) == 1 and not slice_.extractable:
            return slice_.first_variant
        return None

    def __str__(self) -> str:
        return str(self.request) if self.slice is None else str(self.slice)
