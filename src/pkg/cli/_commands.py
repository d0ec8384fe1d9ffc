"""The table of registered subcommands.

Each entry maps a subcommand name to ``"module:attribute"`` of a click command.  The
module is imported only when that subcommand runs (or when its help is shown), so that
``pkg --help`` stays fast.  A subcommand is added here only once it works.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "config": "pkg.cli.config:config_command",
    "env": "pkg.cli.env:env_command",
    "context": "pkg.cli.context:context_command",
    "status": "pkg.cli.status:status_command",
    "cp": "pkg.cli.cp:cp_command",
    "mv": "pkg.cli.mv:mv_command",
    "rm": "pkg.cli.rm:rm_command",
    "pkg-ignore": "pkg.cli.pkg_ignore:pkg_ignore_command",
    "search": "pkg.cli.search:search_command",
    "view": "pkg.cli.view:view_command",
    "depends": "pkg.cli.depends:depends_command",
    "plugins": "pkg.cli.plugins:plugins_command",
    "help": "pkg.cli.help:help_command",
    "yaml2py": "pkg.cli.yaml2py:yaml2py_command",
    "memcache": "pkg.cli.memcache:memcache_command",
    "interpret": "pkg.cli.interpret:interpret_command",
    "python": "pkg.cli.python:python_command",
    "diff": "pkg.cli.diff:diff_command",
    "bind": "pkg.cli.bind:bind_command",
    "suite": "pkg.cli.suite:suite_command",
    "forward": "pkg.cli.forward:forward_command",
    "build": "pkg.cli.build:build_command",
    "release": "pkg.cli.release:release_command",
    "pip": "pkg.cli.pip:pip_command",
    "complete": "pkg.cli.complete:complete_command",
    "benchmark": "pkg.cli.benchmark:benchmark_command",
    "selftest": "pkg.cli.selftest:selftest_command",
    "pkg-cache": "pkg.cli.pkg_cache:pkg_cache_command",
    "test": "pkg.cli.test:test_command",
    "bundle": "pkg.cli.bundle:bundle_command",
}
