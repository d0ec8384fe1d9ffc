"""A small, safe reader for the YAML used in ``package.yaml`` files.

pkg does not depend on a YAML library.  Package definitions use a small part of YAML, and
this module reads exactly that part, resolving plain scalars like PyYAML's YAML 1.1
resolver (which Rez uses):

* block mappings and block sequences (including ``- key: value`` items and sequences
  written at the same indentation as their key), nested to any depth;
* flow sequences and mappings (``[a, 'b']``, ``{a: 1}``), possibly over several lines;
* plain, single-quoted and double-quoted scalars; plain scalars continued on more-indented
  lines; literal (``|``) and folded (``>``) block scalars with ``-``/``+`` chomping and an
  explicit indentation digit;
* comments, a leading ``---`` and a trailing ``...``;
* plain scalars resolve to null (``~``, ``null``, empty), booleans (``true``, ``yes``,
  ``on`` ... in YAML 1.1 spellings), ints (decimal, ``0x``, ``0b``, leading-zero octal,
  ``_`` separators; ``0o17`` stays a string as in YAML 1.1), floats (``1.5``,
  ``1.0e+3``, ``.inf``, ``.nan``; ``1e3`` stays a string), else strings.

Not supported (a :class:`YamlError` names the line): anchors and aliases (``&``, ``*``),
tags (``!!python/...``), several documents, complex keys (``? ``), tabs as indentation.
Dates stay strings (PyYAML would make ``datetime.date`` values, which a package
definition could not use anyway).
"""

from __future__ import annotations

import re

__all__ = ["YamlError", "load_yaml"]


class YamlError(ValueError):
    """The text is not in the supported YAML subset; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}")


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "y", "Y"}
_FALSE = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N"}
_TRUE -= {"y", "Y"}  # PyYAML's resolver does not treat single letters as booleans
_FALSE -= {"n", "N"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*|0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+)$")
_FLOAT = re.compile(
    r"[-+]?([0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?"
    r"|\.(inf|Inf|INF))$|^\.(nan|NaN|NAN)$"
)
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def resolve_plain(text: str) -> object:
    """The value of a plain (unquoted) scalar."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return _to_int(text)
    if _FLOAT.match(text) and any(c.isdigit() or c in "iInN" for c in text):
        lowered = text.replace("_", "").lower()
        if lowered.lstrip("+-") == ".inf":
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered.lstrip("+-") == ".nan":
            return float("nan")
        return float(lowered)
    return text


def _to_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits[1:], 8)
    return sign * int(digits)


def _strip_comment(text: str) -> str:
    """``text`` without a trailing ``# comment`` (outside quotes)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip()
    return text.rstrip()


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.pos = 0

    # -- line handling
    def skip_blank(self) -> None:
        while self.pos < len(self.lines):
            stripped = self.lines[self.pos].strip()
            if stripped and not stripped.startswith("#"):
                if self.lines[self.pos].startswith("\t"):
                    raise YamlError("tabs are not allowed as indentation", self.pos + 1)
                return
            self.pos += 1

    def peek(self) -> tuple[int, str] | None:
        """(indent, content without comment) of the next significant line."""
        self.skip_blank()
        if self.pos >= len(self.lines):
            return None
        line = self.lines[self.pos]
        return _indent_of(line), _strip_comment(line.strip())

    # -- documents
    def document(self) -> object:
        head = self.peek()
        if head is not None and head[1].startswith("---"):
            rest = head[1][3:].strip()
            if rest:
                self.lines[self.pos] = rest
            else:
                self.pos += 1
        head = self.peek()
        if head is None or head[1] == "...":
            return None
        value = self.node(head[0])
        tail = self.peek()
        if tail is not None and tail[1] != "...":
            if tail[1].startswith("---"):
                raise YamlError("several YAML documents are not supported", self.pos + 1)
            raise YamlError(f"unexpected content {tail[1]!r}", self.pos + 1)
        return value

    def node(self, indent: int) -> object:
        head = self.peek()
        assert head is not None
        _, content = head
        _reject_unsupported(content, self.pos + 1)
        if content == "-" or content.startswith("- "):
            return self.sequence(indent)
        if _split_key(content) is not None:
            return self.mapping(indent)
        return self.inline_value(content, indent - 1)

    def sequence(self, indent: int) -> list[object]:
        items: list[object] = []
        while True:
            head = self.peek()
            if head is None or head[0] != indent:
                return items
            content = head[1]
            if not (content == "-" or content.startswith("- ")):
                return items
            rest = self.lines[self.pos].strip()[1:]
            rest_stripped = rest.lstrip(" ")
            if not _strip_comment(rest_stripped):
                self.pos += 1
                nxt = self.peek()
                items.append(self.node(nxt[0]) if nxt is not None and nxt[0] > indent else None)
                continue
            column = indent + 1 + len(rest) - len(rest_stripped)
            self.lines[self.pos] = " " * column + rest_stripped
            items.append(self.node(column))

    def mapping(self, indent: int) -> dict[str, object]:
        result: dict[str, object] = {}
        while True:
            head = self.peek()
            if head is None or head[0] != indent:
                if head is not None and head[0] > indent:
                    raise YamlError("bad indentation", self.pos + 1)
                return result
            split = _split_key(head[1])
            if split is None:
                return result
            line = self.pos + 1
            key_text, _ = split
            key = _scalar_key(key_text, line)
            if key in result:
                raise YamlError(f"duplicate key {key!r}", line)
            raw = self.lines[self.pos].strip()
            rest = raw[raw.index(":", len(key_text)) + 1 :].strip()
            rest_nocomment = _strip_comment(rest)
            if not rest_nocomment:
                self.pos += 1
                nxt = self.peek()
                if nxt is not None and (
                    nxt[0] > indent
                    or (nxt[0] == indent and (nxt[1] == "-" or nxt[1].startswith("- ")))
                ):
                    result[key] = self.node(nxt[0])
                else:
                    result[key] = None
            else:
                self.lines[self.pos] = " " * (indent + 1) + rest
                result[key] = self.inline_value(rest_nocomment, indent)

    def inline_value(self, content: str, parent_indent: int) -> object:
        _reject_unsupported(content, self.pos + 1)
        if content[0] in "|>":
            return self.block_scalar(content, parent_indent)
        if content[0] in "[{":
            return self.flow(parent_indent)
        if content[0] in "'\"":
            return self.quoted(parent_indent)
        # a plain scalar, maybe continued on more-indented lines
        parts = [content]
        self.pos += 1
        while True:
            head = self.peek()
            if head is None or head[0] <= parent_indent or _split_key(head[1]) is not None:
                break
            parts.append(head[1])
            self.pos += 1
        return resolve_plain(" ".join(parts)) if len(parts) > 1 else resolve_plain(content)

    def _gather(self, first: str, done: object) -> tuple[str, int]:
        """Join lines from the current one until ``done(text)`` says the value is complete."""
        start = self.pos
        text = first
        self.pos += 1
        while not done(text):  # type: ignore[operator]
            if self.pos >= len(self.lines):
                raise YamlError("unterminated value", start + 1)
            text += "\n" + self.lines[self.pos]
            self.pos += 1
        return text, start + 1

    def flow(self, parent_indent: int) -> object:
        first = self.lines[self.pos].strip()
        text, line = self._gather(first, _flow_complete)
        parser = _FlowParser(text, line)
        value = parser.value()
        parser.end()
        return value

    def quoted(self, parent_indent: int) -> object:
        first = self.lines[self.pos].strip()
        text, line = self._gather(first, _quoted_complete)
        parser = _FlowParser(text, line)
        value = parser.value()
        parser.end()
        return value

    def block_scalar(self, header: str, parent_indent: int) -> str:
        line = self.pos + 1
        match = re.fullmatch(r"([|>])([-+]?)([1-9]?)([-+]?)", header)
        if match is None:
            raise YamlError(f"bad block scalar header {header!r}", line)
        style, chomp, digit = match.group(1), match.group(2) or match.group(4), match.group(3)
        self.pos += 1
        body: list[str] = []
        while self.pos < len(self.lines):
            raw = self.lines[self.pos]
            if raw.strip() and _indent_of(raw) <= parent_indent:
                break
            body.append(raw)
            self.pos += 1
        if digit:
            indent = parent_indent + 1 + int(digit) if parent_indent >= 0 else int(digit)
        else:
            indent = next((_indent_of(x) for x in body if x.strip()), 0)
        lines = [x[indent:] if x.strip() else x[indent:] if len(x) > indent else "" for x in body]
        while lines and not lines[-1].strip():
            lines.pop()
        trailing = len(body) - len(lines)
        text = "\n".join(lines) if style == "|" else _fold(lines)
        if not lines:
            return ""
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (trailing + 1)
        return text + "\n"


def _fold(lines: list[str]) -> str:
    out = ""
    previous_more = False
    for index, line in enumerate(lines):
        more = line.startswith((" ", "\t"))
        if index == 0:
            out = line
        elif not line:
            out += "\n"
        elif out.endswith("\n") or more or previous_more:
            out += ("" if out.endswith("\n") and not (more or previous_more) else "\n") + line
        else:
            out += " " + line
        previous_more = more if line else previous_more
    return out


def _reject_unsupported(content: str, line: int) -> None:
    if content.startswith(("&", "*", "!", "? ", "%")):
        raise YamlError(f"unsupported YAML feature in {content!r}", line)


_KEY = re.compile(
    r"""^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"\[\]{}#,&*!|>%@`-][^#]*?|-[^\s][^#]*?)\s*:(\s|$)"""
)


def _split_key(content: str) -> tuple[str, str] | None:
    match = _KEY.match(content)
    if match is None:
        return None
    return match.group(1), content[match.end() :]


def _scalar_key(text: str, line: int) -> str:
    value = _FlowParser(text, line).value() if text[0] in "'\"" else resolve_plain(text)
    if isinstance(value, bool | int | float) or value is None:
        return text  # e.g. a version "1.1+" key; keep mapping keys textual
    return str(value)


def _flow_complete(text: str) -> bool:
    depth = 0
    quote = ""
    escaped = False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth <= 0 and not quote


def _quoted_complete(text: str) -> bool:
    quote = text[0]
    index = 1
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":
                index += 2
                continue
            return True
        index += 1
    return False


class _FlowParser:
    """Flow collections and quoted scalars, character by character."""

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.pos = 0
        self.line = line

    def error(self, message: str) -> YamlError:
        return YamlError(message, self.line + self.text.count("\n", 0, self.pos))

    def space(self) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\n":
                self.pos += 1
            elif char == "#" and (self.pos == 0 or self.text[self.pos - 1] in " \t\n"):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def end(self) -> None:
        self.space()
        if self.pos != len(self.text):
            raise self.error(f"unexpected text {self.text[self.pos :]!r}")

    def value(self) -> object:
        self.space()
        if self.pos >= len(self.text):
            raise self.error("missing value")
        char = self.text[self.pos]
        if char == "[":
            return self.collection("]")
        if char == "{":
            return self.collection("}")
        if char == "'":
            return self.single()
        if char == '"':
            return self.double()
        _reject_unsupported(self.text[self.pos :], self.line)
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n":
            if self.text[self.pos] == ":" and self.text[self.pos + 1 : self.pos + 2] in (
                " ", "\n", ",", "]", "}", "",
            ):  # fmt: skip
                break
            if self.text[self.pos] == "#" and self.text[self.pos - 1] in " \t":
                break
            self.pos += 1
        return resolve_plain(self.text[start : self.pos].strip())

    def collection(self, close: str) -> object:
        self.pos += 1
        items: list[object] = []
        mapping: dict[str, object] = {}
        while True:
            self.space()
            if self.pos >= len(self.text):
                raise self.error(f"missing {close!r}")
            if self.text[self.pos] == close:
                self.pos += 1
                return mapping if close == "}" else items
            key = self.value()
            self.space()
            if self.text[self.pos : self.pos + 1] == ":":
                self.pos += 1
                item: object = self.value()
                if close == "}":
                    mapping[str(key)] = item
                else:
                    items.append({str(key): item})
            elif close == "}":
                mapping[str(key)] = None
            else:
                items.append(key)
            self.space()
            if self.text[self.pos : self.pos + 1] == ",":
                self.pos += 1
            elif self.text[self.pos : self.pos + 1] != close:
                raise self.error(f"expected ',' or {close!r}")

    def single(self) -> str:
        out: list[str] = []
        self.pos += 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "'":
                if self.text[self.pos + 1 : self.pos + 2] == "'":
                    out.append("'")
                    self.pos += 2
                    continue
                self.pos += 1
                return _fold_quoted("".join(out))
            out.append(char)
            self.pos += 1
        raise self.error("unterminated quoted string")

    def double(self) -> str:
        out: list[str] = []
        self.pos += 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == '"':
                self.pos += 1
                return _fold_quoted("".join(out))
            if char == "\\":
                code = self.text[self.pos + 1 : self.pos + 2]
                if code in _HEX_ESCAPES:
                    size = _HEX_ESCAPES[code]
                    digits = self.text[self.pos + 2 : self.pos + 2 + size]
                    out.append(chr(int(digits, 16)))
                    self.pos += 2 + size
                    continue
                if code == "\n":
                    self.pos += 2
                    while self.text[self.pos : self.pos + 1] in (" ", "\t"):
                        self.pos += 1
                    out.append("\x00JOIN")
                    continue
                if code not in _ESCAPES:
                    raise self.error(f"unknown escape '\\{code}'")
                out.append(_ESCAPES[code].replace("\n", "\x00NL"))
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1
        raise self.error("unterminated quoted string")


def _fold_quoted(text: str) -> str:
    """Line folding inside a quoted scalar that spans lines."""
    if "\n" in text:
        lines = text.split("\n")
        parts = [lines[0].rstrip(" \t")]
        for line in lines[1:]:
            stripped = line.strip(" \t")
            if not stripped:
                parts.append("\n")
            else:
                joiner = "" if parts[-1].endswith(("\n", "\x00JOIN")) else " "
                parts.append(joiner + stripped)
        text = "".join(parts)
    return text.replace("\x00JOIN", "").replace("\x00NL", "\n")


def load_yaml(text: str) -> object:
    """Parse ``text`` (see the module docstring for the supported subset)."""
    return _Reader(text).document()
