"""Suites: contexts gathered in one directory, their tools exposed as wrappers.

>>> from pkg.suites import SuiteContext
>>> SuiteContext("maya", 1, prefix="m_").alias_of("render")
'm_render'

:class:`Suite` reads, edits and writes a suite in Rez 3.4.0's layout (``suite.yaml``,
``contexts/NAME.rxt``, ``bin/TOOL``); :mod:`pkg.suites.wrappers` writes and reads the
wrappers and splits their ``+`` arguments.  Running a tool is ``pkg.api.suite``'s job
(it may need a new resolve).  See ``docs/suites.md``.
"""

from __future__ import annotations

from pkg.suites.model import (
    SUITE_FILE,
    Suite,
    SuiteContext,
    SuiteError,
    SuiteTools,
    Tool,
    ToolSource,
    visible_suite_paths,
)
from pkg.suites.wrappers import (
    FORWARD_FUNCTION,
    ToolArgs,
    WrapperInfo,
    parse_tool_args,
    read_wrapper,
    write_wrapper,
)

__all__ = [
    "FORWARD_FUNCTION",
    "SUITE_FILE",
    "Suite",
    "SuiteContext",
    "SuiteError",
    "SuiteTools",
    "Tool",
    "ToolArgs",
    "ToolSource",
    "WrapperInfo",
    "parse_tool_args",
    "read_wrapper",
    "visible_suite_paths",
    "write_wrapper",
]
