"""Package definitions: loading ``package.py``/``package.yaml`` files into plain data."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, cast

from pkg.errors import PackageDefinitionError
from pkg.packages._code import ModifyList, SourceCode
from pkg.packages._fastload import parse_simple
from pkg.packages._pyexec import exec_package_py, parse_source
from pkg.packages._schema import validate

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from pkg.config import Config

__all__ = ["PackageDefinition", "find_definition_file", "load_definition"]

_TAG = "__pkg_type__"
_FORMATS: Mapping[str, Literal["py", "yaml"]] = {".py": "py", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True, slots=True)
class PackageDefinition:
    """The attributes of one package, as loaded from its definition file.

    Attributes:
        data: attribute name -> value.  Values are JSON-like (``str``, ``int``, ``float``,
            ``bool``, ``None``, lists and str-keyed dicts), :class:`SourceCode` for
            functions, and :class:`ModifyList` inside ``config``.  ``version`` is a string
            and is absent for an unversioned package.  Requests stay as written.
        filepath: the definition file ("" when the data did not come from a file).
        format: ``"py"`` or ``"yaml"``.
    """

    data: Mapping[str, object]
    filepath: str = ""
    format: Literal["py", "yaml"] = "py"

    def __post_init__(self) -> None:
        if not isinstance(self.data, MappingProxyType | _JsonData | _RecordData):
            object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def version(self) -> str:
        """The version string ("" when unversioned)."""
        return str(self.data.get("version", ""))

    def to_json(self) -> dict[str, object]:
        """A JSON-serialisable dict that :meth:`from_json` turns back into an equal definition.

        ``"tagged"`` lists the attributes whose values are not plain data (functions kept
        as :class:`SourceCode`, :class:`ModifyList`): only they need decoding.
        """
        data: dict[str, object] = {}
        tagged: list[str] = []
        for key, value in self.data.items():
            if type(value) is str:
                data[key] = value
                continue
            data[key] = _encode(value)
            if _has_code(value):
                tagged.append(key)
        return {"filepath": self.filepath, "format": self.format, "data": data, "tagged": tagged}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PackageDefinition:
        """Rebuild a definition from :meth:`to_json` output (the data is trusted).

        With a ``"tagged"`` list the plain attributes are used as they are and the tagged
        ones are decoded when first read; without one, every value is decoded now.  The
        definition may share the lists and dicts of ``data``: do not change them after.
        """
        raw = data["data"]
        if not isinstance(raw, Mapping):
            raise TypeError("'data' must be a mapping")
        fmt = data.get("format", "py")
        tagged = data.get("tagged")
        if isinstance(tagged, list) and isinstance(raw, dict):
            values: Mapping[str, object] = _JsonData(raw, tagged)
        else:
            values = {str(key): _decode(value) for key, value in raw.items()}
        return cls(values, str(data.get("filepath", "")), "yaml" if fmt == "yaml" else "py")

    def to_record(self) -> list[object]:
        """A flat JSON-serialisable list that :meth:`from_record` turns back into an equal
        definition: ``[filepath, format, name, version, requires, variants, rest]``.

        ``name`` and ``version`` are strings; ``requires`` is its requests joined by
        spaces and ``variants`` those of each variant joined by spaces, the variants joined
        by newlines.  Each of these four is False when the attribute is absent, and None
        when ``rest`` holds it instead (not a string, not plain request strings).
        ``rest`` is the JSON text of :meth:`to_json`, with 0 in place of the values held
        by the other fields (so the order of attributes is kept).  A listing reads the
        first fields of thousands of records and ``rest`` of none.
        """
        data = self.data
        name = data.get("name")
        version = data.get("version")
        requires = _joined(data.get("requires"))
        variants = data.get("variants")
        variants_text = None
        if isinstance(variants, list) and variants:
            parts = [_joined(item) for item in variants]
            if all(part is not None and part for part in parts):
                variants_text = "\n".join(cast("list[str]", parts))
        fields: dict[str, str | bool | None] = {
            "name": name if type(name) is str else None,
            "version": version if type(version) is str else None,
            "requires": requires,
            "variants": variants_text,
        }
        rest = self.to_json()
        values = cast("dict[str, object]", rest["data"])
        for key, value in fields.items():
            if key not in values:
                fields[key] = False
            elif value is not None:
                values[key] = 0
        return [
            self.filepath,
            self.format,
            *fields.values(),
            json.dumps(rest, separators=(",", ":")),
        ]

    @classmethod
    def from_record(cls, record: Sequence[object]) -> PackageDefinition:
        """Rebuild a definition from :meth:`to_record` output (trusted; a tuple or a list)."""
        if len(record) != 7 or type(record[0]) is not str or type(record[6]) is not str:
            raise TypeError("malformed definition record")
        values = cast("tuple[str | bool | None, ...]", tuple(record))
        # Built directly (the data is a _RecordData already): thousands are made per
        # listing and per cached resolve, and the dataclass __init__ costs twice as much.
        definition = object.__new__(cls)
        object.__setattr__(definition, "data", _RecordData(values))
        object.__setattr__(definition, "filepath", record[0])
        object.__setattr__(definition, "format", "yaml" if record[1] == "yaml" else "py")
        return definition


def _joined(value: object) -> str | None:
    """Requests joined by spaces, if that gives them back exactly (else None)."""
    if not isinstance(value, list):
        return None
    for item in value:
        if type(item) is not str or not item or " " in item or "\n" in item:
            return None
    return " ".join(value)


_ABSENT = object()
_COMPACT = {"name": 2, "version": 3, "requires": 4, "variants": 5}


class _RecordData(Mapping[str, object]):
    """Read-only definition data over a record from :meth:`PackageDefinition.to_record`.

    ``name``, ``version``, ``requires`` and ``variants`` are read from the record; the
    rest is decoded from its JSON text on first use.  The record is a tuple of strings,
    which the garbage collector stops tracking: a listing keeps thousands of these.
    """

    __slots__ = ("_data", "_record")

    def __init__(self, record: tuple[str | bool | None, ...]) -> None:
        self._record = record
        self._data: Mapping[str, object] | None = None

    def request_texts(self, key: str) -> list[str] | None:
        """The requests of ``requires`` as strings, if the record holds them (else None:
        read ``self[key]``)."""
        text = self._record[4] if key == "requires" else None
        if type(text) is str:
            return text.split(" ") if text else []
        return [] if text is False else None

    def variant_texts(self) -> list[list[str]] | None:
        """The requests of each variant as strings, if the record holds them."""
        text = self._record[5]
        if type(text) is str:
            return [item.split(" ") for item in text.split("\n")]
        return [] if text is False else None

    def _full(self) -> Mapping[str, object]:
        data = self._data
        if data is None:
            rest = json.loads(cast("str", self._record[6]))
            record = self._record
            values: dict[str, object] = rest["data"]
            for key, position in _COMPACT.items():
                text = record[position]
                if type(text) is not str:
                    continue
                if key == "requires":
                    values[key] = text.split(" ") if text else []
                elif key == "variants":
                    values[key] = [item.split(" ") for item in text.split("\n")]
                else:
                    values[key] = text
            rest["data"] = values
            data = self._data = PackageDefinition.from_json(rest).data
        return data

    def __getitem__(self, key: str) -> object:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def get(self, key: str, default: object = None) -> object:
        position = _COMPACT.get(key)
        if position is not None:
            value = self._record[position]
            if value is False:
                return default
            if type(value) is str:
                if key == "requires":
                    return value.split(" ") if value else []
                if key == "variants":
                    return [item.split(" ") for item in value.split("\n")]
                return value
        return self._full().get(key, default)

    def __contains__(self, key: object) -> bool:
        position = _COMPACT.get(key) if type(key) is str else None
        if position is not None and self._record[position] is not None:
            return self._record[position] is not False
        return key in self._full()

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class _JsonData(Mapping[str, object]):
    """Read-only definition data over a dict from :meth:`PackageDefinition.to_json`.

    The dict is shared, never changed: plain values are returned as they are, tagged
    ones are decoded when first read.  A listing reads ``requires`` and ``variants`` of
    thousands of packages and the functions of none, so this is one object per package
    and no copy.
    """

    __slots__ = ("_data", "_decoded", "_tagged")

    def __init__(self, data: dict[str, object], tagged: list[str]) -> None:
        self._data = data
        self._tagged = tagged
        self._decoded: dict[str, object] | None = None

    def __getitem__(self, key: str) -> object:
        value = self._data[key]
        if key not in self._tagged:
            return value
        decoded = self._decoded
        if decoded is None:
            decoded = self._decoded = {}
        if key not in decoded:
            decoded[key] = _decode(value)
        return decoded[key]

    def get(self, key: str, default: object = None) -> object:
        if key in self._tagged:
            return self[key] if key in self._data else default
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def _has_code(value: object) -> bool:
    """True if ``value`` holds :class:`SourceCode` or :class:`ModifyList` anywhere."""
    if type(value) is str:
        return False
    if isinstance(value, SourceCode | ModifyList):
        return True
    if isinstance(value, Mapping):
        value = value.values()
    elif not isinstance(value, list | tuple):
        return False
    return any(type(item) is not str and _has_code(item) for item in value)


def _encode(value: object) -> object:
    if type(value) is str:
        return value
    if isinstance(value, SourceCode):
        encoded: dict[str, object] = {
            _TAG: "SourceCode",
            "source": value.source,
            "name": value.name,
            "filepath": value.filepath,
            "lineno": value.lineno,
        }
        if value.decorator is not None:
            encoded["decorator"] = value.decorator
        if value.includes:
            encoded["includes"] = list(value.includes)
        return encoded
    if isinstance(value, ModifyList):
        return {
            _TAG: "ModifyList",
            "prepend": None if value.prepend is None else [_encode(x) for x in value.prepend],
            "append": None if value.append is None else [_encode(x) for x in value.append],
        }
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: object) -> object:
    if type(value) is str:
        return value
    if isinstance(value, Mapping):
        tag = value.get(_TAG)
        if tag == "SourceCode":
            return SourceCode(
                source=str(value["source"]),
                name=str(value["name"]),
                filepath=None if value.get("filepath") is None else str(value["filepath"]),
                lineno=int(value.get("lineno", 1)),
                decorator=None if value.get("decorator") is None else str(value["decorator"]),
                includes=tuple(str(x) for x in value.get("includes", ())),
            )
        if tag == "ModifyList":
            prepend, append = value.get("prepend"), value.get("append")
            return ModifyList(
                prepend=None if prepend is None else tuple(_decode(x) for x in prepend),
                append=None if append is None else tuple(_decode(x) for x in append),
            )
        return {str(k): _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def find_definition_file(directory: Path, config: Config | None = None) -> Path | None:
    """The definition file in ``directory``: each configured file name (default
    ``package``) is tried with ``.py`` and then ``.yaml``, as Rez does."""
    names = (
        config.plugins.package_repository.filesystem.package_filenames
        if config is not None
        else ("package",)
    )
    for name in names:
        for suffix in (".py", ".yaml"):
            candidate = directory / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def load_definition(
    path: str | os.PathLike[str],
    *,
    config: Config | None = None,
    building: bool = False,
    early_bindings: Mapping[str, object] | None = None,
    content: bytes | None = None,
    name: str | None = None,
) -> PackageDefinition:
    """Load and validate a ``package.py`` or ``package.yaml``.

    A ``package.py`` made only of literal assignments, undecorated functions and
    docstrings is read from its syntax tree instead of being executed (the result is the
    same; see ``pkg.packages._fastload``).

    Args:
        path: the definition file.
        config: supplies ``package_definition_build_python_paths`` (importable while the
            file runs); None means the defaults.
        building: the ``building`` value seen by ``@early()`` functions; when True a
            ``preprocess`` function is kept (as :class:`SourceCode`) for the build.
        early_bindings: override what ``@early()`` functions see (``testing``,
            ``build_variant_index``, ``build_variant_requires``).
        content: the bytes of the file when the caller has already read them (a cache
            that stamps the file around its read); None reads ``path``.
        name: the name a repository knows the package by (its family directory); it
            replaces the file's ``name`` attribute, which must be present but is not
            otherwise checked (Rez names installed packages by their directory too).

    Raises:
        PackageDefinitionError: the file cannot be read, does not parse, fails to run, or
            an attribute is invalid; it names the file, the line and the attribute.
    """
    filepath = os.fspath(path)
    fmt = _FORMATS.get(os.path.splitext(filepath)[1])
    if fmt is None:
        raise PackageDefinitionError(
            f"unknown definition format {os.path.splitext(filepath)[1]!r} (expected .py or .yaml)",
            filepath=filepath,
        )
    try:
        if content is None:
            with open(filepath, "rb") as stream:
                content = stream.read()
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackageDefinitionError(f"cannot read the file: {error}", filepath=filepath) from error
    if "\r" in text:  # universal newlines, as reading in text mode gives
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "py":
        tree = parse_source(text, filepath)
        if not building:
            simple = parse_simple(tree, text, filepath)
            if simple is not None and "name" in simple[0]:
                try:
                    data = validate(simple[0], filepath, simple[1], name=name)
                except PackageDefinitionError:
                    pass  # executing the file reports it the usual way
                else:
                    return PackageDefinition(MappingProxyType(data), filepath, fmt)
        bindings = {"building": building, **(early_bindings or {})}
        sys_paths = config.package_definition_build_python_paths if config is not None else ()
        raw, line_map = exec_package_py(
            text,
            filepath,
            building=building,
            early_bindings=bindings,
            sys_paths=sys_paths,
            tree=tree,
        )
        lines = line_map.names
    else:
        raw, lines = _load_yaml_file(text, filepath)
    data = validate(raw, filepath, lines, name=name)
    if building and not (config is not None and config.package_definition_python_path):
        _check_no_includes(data, filepath)
    return PackageDefinition(MappingProxyType(data), filepath, fmt)


def _check_no_includes(data: Mapping[str, object], filepath: str) -> None:
    """A package being built can only use ``@include`` when the include path is configured."""
    for key, value in data.items():
        if isinstance(value, SourceCode) and value.includes:
            raise PackageDefinitionError(
                "@include() is used but 'package_definition_python_path' is not configured",
                filepath=filepath,
                line=value.lineno,
                attribute=key,
            )


@functools.cache
def _yaml_key() -> re.Pattern[str]:
    """A top-level ``key:`` line of a YAML file (compiled on first use)."""
    return re.compile(r"""^(?:'([^']*)'|"([^"]*)"|([^\s#'"\-][^:#]*?))\s*:(?:\s|$)""")


def _load_yaml_file(text: str, filepath: str) -> tuple[dict[str, object], dict[str, int]]:
    from pkg.packages._yaml import YamlError, load_yaml  # only for package.yaml

    try:
        loaded = load_yaml(text)
    except YamlError as error:
        raise PackageDefinitionError(
            f"YAML error: {error}", filepath=filepath, line=error.line
        ) from error
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise PackageDefinitionError("the file must contain a YAML mapping", filepath=filepath)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _yaml_key().match(line)
        if match:
            lines.setdefault(next(g for g in match.groups() if g is not None), number)
    return loaded, lines
