"""``pkg build --view-pre`` against ``rez-build --view-pre`` (skipped without rez).

The source package has a ``preprocess`` function; a global one is configured with
``package_preprocess_function`` (a module on ``package_definition_build_python_paths``),
and ``package_preprocess_mode`` decides which run, in which order.  Both tools must print
the same definition.  A preprocess function that raises ``InvalidPackageError`` makes
both fail.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

#: The source package: its preprocess function appends to requires and sets a
#: description from ``this``; the global one appends too, so the order shows.
LOCAL = """\
    name = 'widget'
    version = '1.2.3'
    requires = ['base-1']
    variants = [['py-2'], ['py-3']]
    private_build_requires = ['cmake']
    tools = ['widget']

    def preprocess(this, data):
        data['requires'].append('local-' + str(this.version.major))
        data['description'] = 'preprocessed ' + this.name

    def commands():
        env.PATH.append('{root}/bin')
"""

#: Without a preprocess function of its own.
PLAIN = """\
    name = 'plain'
    version = '2.0'
    requires = ['base-1']
"""

#: One whose preprocess function rejects it.
REJECTED = """\
    name = 'rejected'
    version = '1.0'

    def preprocess(this, data):
        raise InvalidPackageError('not today')
"""

GLOBAL = """\
    def tweak(this, data):
        data.setdefault('requires', []).append('global-' + this.name)
        data['authors'] = ['the global function']
        if 'description' in data:
            data['description'] += ' (seen by the global function)'
"""


def _run(tool: str, source: Path, settings: dict[str, str], tmp: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(REZ_DISABLE_HOME_CONFIG="1", PKG_DISABLE_HOME_CONFIG="1")
    module_dir = tmp / "global"
    if tool == "rez":
        rezconfig = tmp / f"rezconfig-{len(settings)}-{settings.get('mode', '')}.py"
        lines = [f"package_definition_build_python_paths = [{str(module_dir)!r}]"]
        if "function" in settings:
            lines.append(f"package_preprocess_function = {settings['function']!r}")
        if "mode" in settings:
            lines.append(f"package_preprocess_mode = {settings['mode']!r}")
        rezconfig.write_text("\n".join(lines) + "\n")
        env["REZ_CONFIG_FILE"] = str(rezconfig)
        argv = [str(Path(sys.executable).parent / "rez-build")]
    else:
        env["PKG_PACKAGE_DEFINITION_BUILD_PYTHON_PATHS_JSON"] = f'["{module_dir}"]'
        if "function" in settings:
            env["PKG_PACKAGE_PREPROCESS_FUNCTION"] = settings["function"]
        if "mode" in settings:
            env["PKG_PACKAGE_PREPROCESS_MODE"] = settings["mode"]
        argv = [str(Path(sys.executable).parent / "pkg"), "build"]
    done = subprocess.run(
        [*argv, "--view-pre"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("preprocess-parity")
    for name, text in (("widget", LOCAL), ("plain", PLAIN), ("rejected", REJECTED)):
        (root / name).mkdir()
        (root / name / "package.py").write_text(textwrap.dedent(text))
    (root / "global").mkdir()
    (root / "global" / "preprocess_global.py").write_text(textwrap.dedent(GLOBAL))
    return root


CASES = [
    ("widget", {}),
    ("widget", {"function": "preprocess_global.tweak"}),
    ("widget", {"function": "preprocess_global.tweak", "mode": "override"}),
    ("widget", {"function": "preprocess_global.tweak", "mode": "before"}),
    ("widget", {"function": "preprocess_global.tweak", "mode": "after"}),
    ("plain", {"function": "preprocess_global.tweak", "mode": "override"}),
    ("plain", {}),
]


@pytest.mark.parametrize(
    ("package", "settings"),
    CASES,
    ids=[f"{p}-{'-'.join(s.values()) or 'default'}" for p, s in CASES],
)
def test_view_pre_is_the_same(sources: Path, package: str, settings: dict[str, str]) -> None:
    if not (Path(sys.executable).parent / "rez-build").exists():
        pytest.skip("rez-build is not installed")
    ours = _run("pkg", sources / package, settings, sources)
    theirs = _run("rez", sources / package, settings, sources)
    assert theirs[0] == 0, theirs
    assert ours == theirs


def test_a_rejected_package_fails_both(sources: Path) -> None:
    if not (Path(sys.executable).parent / "rez-build").exists():
        pytest.skip("rez-build is not installed")
    ours = _run("pkg", sources / "rejected", {}, sources)
    theirs = _run("rez", sources / "rejected", {}, sources)
    assert theirs[0] != 0
    assert ours[0] != 0
    assert ours[1] == theirs[1] == ""
