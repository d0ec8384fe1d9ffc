"""The release pipeline (``pkg.api.release`` over ``pkg.tasks.release``), run in-process
against real source trees, real builds and real release repositories in temp dirs.

Most tests use the ``stub`` VCS (a ``.stub`` file holds the tags); the git tests use a
real repository with a bare remote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from pkg.api.release import check_release, prepare_release, release_package
from pkg.config import Config, load_config
from pkg.hooks import ReleaseHook, ReleaseHookCancelled, ReleaseInfo
from pkg.packages import load_definition
from pkg.tasks.release import truncate_changelog
from pkg.vcs.stub import StubVCS
from tests.conftest import needs, write_package, write_tree
from tests.tasks.helpers import stub_repository

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from pkg.api.release import ReleaseReport

#: Two variants; each installs a script naming its python.  Variant 1 fails when the
#: source holds a ``fail-1`` file.
PROJECT = {
    "package.py": """\
        name = 'hello'
        version = '1.0'
        variants = [['python-3.9'], ['python-3.11']]
        build_command = (
            'test ! -e {root}/fail-{variant_index} && '
            'mkdir -p {install_path}/bin && echo "$PYVER" > {install_path}/bin/hello'
        )
        """,
    ".stub": "",
}


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root``: relative path -> file bytes, link target or "<dir>"."""
    found: dict[str, object] = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            key = os.path.relpath(path, root)
            if os.path.islink(path):
                found[key] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[key] = "<dir>"
            else:
                with open(path, "rb") as stream:
                    found[key] = stream.read()
    return found


def release_config(tmp_path: Path, **overrides: object) -> Config:
    deps = tmp_path / "deps"
    if not deps.exists():
        stub_repository(deps)
    release = tmp_path / "release"
    settings: dict[str, object] = {
        "packages_path": [str(deps), str(release)],
        "local_packages_path": str(tmp_path / "local"),
        "release_packages_path": str(release),
        "implicit_packages": [],
        "build_thread_count": 2,
    }
    settings.update(overrides)
    return load_config(overrides=settings)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    (tmp_path / "release").mkdir()
    text = PROJECT["package.py"].replace("{root}", str(tmp_path / "hello"))
    return write_tree(tmp_path / "hello", {**PROJECT, "package.py": text})


def set_version(source: Path, version: str) -> None:
    path = source / "package.py"
    text = path.read_text()
    start = text.index("version = ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"version = {version!r}" + text[end:])


def released(tmp_path: Path, version: str = "1.0") -> dict[str, object]:
    path = tmp_path / "release" / "hello" / version / "package.py"
    return dict(load_definition(path).data)


def stub_tags(source: Path) -> dict[str, object]:
    return StubVCS(source, release_config(source.parent).plugins.release_vcs).tags()


def release(source: Path, config: Config, **options: object) -> ReleaseReport:
    setup = prepare_release(str(source), config, **options)  # type: ignore[arg-type]
    return release_package(setup, config, jobs=4)


# -- a successful release ---------------------------------------------------------------


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_release_writes_the_release_data_and_tags(
    tmp_path: Path, source: Path, backend: str
) -> None:
    config = release_config(tmp_path)
    setup = prepare_release(str(source), config, message="first release")
    report = release_package(setup, config, backend=backend)  # type: ignore[arg-type]
    assert report.ok, report.failures()
    assert [v.index for v in report.published] == [0, 1]
    data = released(tmp_path)
    assert data["variants"] == [["python-3.9"], ["python-3.11"]]
    assert data["release_message"] == "first release"
    assert data["changelog"] == "This is the first commit"
    assert data["vcs"] == "stub"
    assert isinstance(data["revision"], dict)
    assert "previous_version" not in data
    assert "build_command" not in data
    base = tmp_path / "release" / "hello" / "1.0"
    assert (base / "python-3.11" / "bin" / "hello").read_text() == "3.11\n"
    assert (base / "python-3.9" / "build.rxt").is_file()
    assert stub_tags(source) == {"hello-1.0": "first release"}
    # No staging directory is left behind.
    assert sorted(os.listdir(tmp_path / "release")) == [".lock.hello", "hello"]

    set_version(source, "1.1")
    report = release(source, config, message="second")
    assert report.ok, report.failures()
    second = released(tmp_path, "1.1")
    assert second["previous_version"] == "1.0"
    assert second["previous_revision"] == data["revision"]
    assert str(second["changelog"]).startswith("This commit was ")
    assert set(stub_tags(source)) == {"hello-1.0", "hello-1.1"}


def test_released_variants_are_skipped(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    assert release(source, config, variants=[1]).ok
    assert released(tmp_path)["variants"] == [["python-3.11"]]
    setup = prepare_release(str(source), config, ignore_existing_tag=True)
    assert [p.index for p in setup.skipped] == [1]
    assert [p.index for p in setup.plans] == [0]
    # The tag exists; the release goes on without creating it again.
    report = release_package(setup, config)
    assert report.ok, report.failures()
    assert released(tmp_path)["variants"] == [["python-3.11"], ["python-3.9"]]
    assert any("exists already" in warning for warning in report.warnings)
    assert set(stub_tags(source)) == {"hello-1.0"}
    # Everything is released: only the checks run, nothing changes.
    before = snapshot(tmp_path / "release")
    setup = prepare_release(str(source), config)
    assert not setup.plans
    assert release_package(setup, config).ok
    assert snapshot(tmp_path / "release") == before


def test_changelog_truncation() -> None:
    assert truncate_changelog("abcdefghi", 5) == "abcde..."
    assert truncate_changelog("abcdefgh", 5) == "abcdefgh"  # no longer than 5 + "..."
    assert truncate_changelog("abcdefgh", 0) == "abcdefgh"
    assert truncate_changelog(None, 5) is None


def test_changelog_is_truncated_in_the_release(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path, max_package_changelog_chars=10)
    assert release(source, config).ok
    assert released(tmp_path)["changelog"] == "This is th..."


# -- the checks refuse, then pass when fixed ---------------------------------------------


def refused(source: Path, config: Config, check: str, text: str, **options: object) -> None:
    """The release is refused by ``check`` with ``text`` and changes nothing."""
    release_dir = config.release_packages_path
    before = snapshot(source.parent / "release") if os.path.isdir(release_dir) else None
    tags = stub_tags(source)
    setup = prepare_release(str(source), config, **options)  # type: ignore[arg-type]
    checks, _data = check_release(setup, config)
    assert [c.name for c in checks if c.status == "failed"] == [check]
    report = release_package(setup, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:checks"
    assert text in reason, reason
    assert not report.published
    after = snapshot(source.parent / "release") if os.path.isdir(release_dir) else None
    assert after == before
    assert stub_tags(source) == tags


def test_release_path_must_exist(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path, release_packages_path=str(tmp_path / "missing"))
    refused(source, config, "release path", "does not exist; create it")
    (tmp_path / "missing").mkdir()
    assert release(source, config).ok


def test_existing_tag_refused_unless_ignored(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path, plugins={"release_vcs": {"check_tag": True}})
    (source / ".stub").write_text("tags:\n  hello-1.0: old\n")
    refused(source, config, "existing tag", "--ignore-existing-tag")
    assert release(source, config, ignore_existing_tag=True).ok
    assert stub_tags(source) == {"hello-1.0": "old"}


def test_uuid_must_match_the_latest_release(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    write_package(tmp_path / "release", "hello", "0.9", "uuid = 'aaa'\n")
    path = source / "package.py"
    path.write_text(path.read_text() + "uuid = 'bbb'\n")
    refused(source, config, "uuid", "differs from that of the latest release")
    path.write_text(path.read_text().replace("'bbb'", "'aaa'"))
    assert release(source, config).ok


def test_newer_version_refused_unless_no_latest(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    write_package(tmp_path / "release", "hello", "2.0", "")
    refused(source, config, "latest version", "a newer version is released")
    assert release(source, config, no_latest=True).ok
    assert "previous_version" not in released(tmp_path)  # 2.0 is not below 1.0


# -- all or nothing ------------------------------------------------------------------------


class Cancelling(ReleaseHook):
    """Cancels the release before it is published; records what it saw."""

    name = "cancelling"
    seen: list[tuple[str, ReleaseInfo]] = []  # noqa: RUF012 - test record

    def pre_build(self, info: ReleaseInfo) -> None:
        self.seen.append(("pre_build", info))

    def pre_release(self, info: ReleaseInfo) -> None:
        self.seen.append(("pre_release", info))
        raise ReleaseHookCancelled("tests are red")

    def post_release(self, info: ReleaseInfo) -> None:
        self.seen.append(("post_release", info))


class Recording(ReleaseHook):
    name = "recording"
    seen: list[tuple[str, ReleaseInfo]] = []  # noqa: RUF012 - test record

    def pre_build(self, info: ReleaseInfo) -> None:
        self.seen.append(("pre_build", info))

    def pre_release(self, info: ReleaseInfo) -> None:
        self.seen.append(("pre_release", info))

    def post_release(self, info: ReleaseInfo) -> None:
        self.seen.append(("post_release", info))


def assert_untouched(
    tmp_path: Path, source: Path, before: Mapping[str, object], tags: Mapping[str, object]
) -> None:
    assert snapshot(tmp_path / "release") == before
    assert stub_tags(source) == tags


def test_a_variant_failure_releases_nothing(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    write_package(tmp_path / "release", "hello", "0.5", "")
    before, tags = snapshot(tmp_path / "release"), stub_tags(source)
    (source / "fail-1").write_text("")
    report = release(source, config)
    assert not report.ok
    failed = dict(report.failures())
    assert "the build step failed" in failed["build:hello-1.0[1]"]
    assert not report.published
    assert_untouched(tmp_path, source, before, tags)


def test_a_cancelling_hook_releases_nothing(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    before, tags = snapshot(tmp_path / "release"), stub_tags(source)
    Cancelling.seen.clear()
    hooks = [Cancelling(source, config)]
    report = release(source, config, hooks=hooks, message="m")
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:pre_release"
    assert "cancelled by the pre_release hook 'cancelling': tests are red" in reason
    assert [point for point, _ in Cancelling.seen] == ["pre_build", "pre_release"]
    info = Cancelling.seen[-1][1]
    assert (info.package_name, info.version, info.variants) == ("hello", "1.0", (0, 1))
    assert info.changelog == "This is the first commit"
    assert info.release_message == "m"
    assert_untouched(tmp_path, source, before, tags)


def test_hooks_run_in_order(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    Recording.seen.clear()
    assert release(source, config, hooks=[Recording(source, config)]).ok
    assert [point for point, _ in Recording.seen] == ["pre_build", "pre_release", "post_release"]
    assert Recording.seen[-1][1].install_path == str(tmp_path / "release")


def test_a_conflicting_release_is_refused_at_publish(tmp_path: Path, source: Path) -> None:
    """Another release published the same version while this one built."""
    config = release_config(tmp_path)
    other = tmp_path / "other"
    shutil.copytree(source, other)
    setup = prepare_release(str(source), config, message="mine")
    assert release(other, config, message="theirs").ok
    before, tags = snapshot(tmp_path / "release"), stub_tags(source)
    report = release_package(setup, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:publish"
    assert "hello-1.0 was released to" in reason
    assert "while this release ran" in reason
    assert_untouched(tmp_path, source, before, tags)
    assert released(tmp_path)["release_message"] == "theirs"


# -- git --------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def git_source(tmp_path: Path) -> Path:
    """``hello`` in a git clone of a bare remote, committed and pushed."""
    (tmp_path / "release").mkdir()
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-b", "main", str(remote))
    source = tmp_path / "hello"
    git(tmp_path, "clone", str(remote), str(source))
    for key, value in {"user.name": "Tester", "user.email": "t@example.invalid"}.items():
        git(source, "config", key, value)
    text = PROJECT["package.py"].replace("{root}", str(source))
    write_tree(source, {"package.py": text, ".gitignore": "build/\n"})
    git(source, "checkout", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-m", "the first commit")
    git(source, "push", "-u", "origin", "main")
    return source


@needs("git")
def test_git_release_tags_locally_and_in_the_remote(tmp_path: Path, git_source: Path) -> None:
    config = release_config(tmp_path)
    report = release(git_source, config, message="shipped")
    assert report.ok, report.failures()
    data = released(tmp_path)
    assert data["vcs"] == "git"
    head = git(git_source, "rev-parse", "HEAD")
    assert isinstance(data["revision"], dict)
    assert data["revision"]["commit"] == head
    assert "the first commit" in str(data["changelog"])
    assert git(git_source, "tag", "--list") == "hello-1.0"
    assert "hello-1.0" in git(git_source, "ls-remote", "--tags", "origin")

    # The second release's changelog starts after the first release's revision.
    set_version(git_source, "1.1")
    git(git_source, "commit", "-am", "bump to 1.1")
    git(git_source, "push")
    assert release(git_source, config).ok
    second = released(tmp_path, "1.1")
    assert "bump to 1.1" in str(second["changelog"])
    assert "the first commit" not in str(second["changelog"])
    assert second["previous_revision"] == data["revision"]


@needs("git")
def test_git_uncommitted_changes_refused_then_released(tmp_path: Path, git_source: Path) -> None:
    config = release_config(tmp_path)
    (git_source / "notes.txt").write_text("wip\n")
    git(git_source, "add", "notes.txt")
    before = snapshot(tmp_path / "release")
    report = release(git_source, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:checks"
    assert "--skip-repo-errors" in reason
    assert snapshot(tmp_path / "release") == before
    assert git(git_source, "tag", "--list") == ""
    # --skip-repo-errors turns the refusal into a warning.
    setup = prepare_release(str(git_source), config, skip_repo_errors=True)
    checks, _data = check_release(setup, config)
    assert checks[1].status == "warning"
    git(git_source, "commit", "-m", "notes")
    git(git_source, "push")
    assert release(git_source, config).ok
    assert "hello-1.0" in git(git_source, "ls-remote", "--tags", "origin")


@needs("git")
def test_git_build_failure_leaves_remote_tags_alone(tmp_path: Path, git_source: Path) -> None:
    config = release_config(tmp_path)
    (git_source / "fail-0").write_text("")
    git(git_source, "add", "fail-0")
    git(git_source, "commit", "-m", "break variant 0")
    git(git_source, "push")
    before = snapshot(tmp_path / "release")
    report = release(git_source, config)
    assert not report.ok
    assert snapshot(tmp_path / "release") == before
    assert git(git_source, "tag", "--list") == ""
    assert git(git_source, "ls-remote", "--tags", "origin") == ""


def with_tests(source: Path) -> None:
    """Give the package a ``pre_release`` test that reads the staged payload, and fails
    when the source holds a ``fail-test`` file."""
    path = source / "package.py"
    path.write_text(
        path.read_text()
        + "tests = {\n"
        + "    'payload': {\n"
        + f"        'command': 'test -s {{root}}/bin/hello && test ! -e {source}/fail-test',\n"
        + "        'run_on': ['pre_release'],\n"
        + "    },\n"
        + "    'other': 'false',\n"
        + "}\n"
    )


def test_pre_release_tests_run_on_the_release_candidate(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    with_tests(source)
    setup = prepare_release(str(source), config)
    assert "release:tests" in setup.graph
    report = release_package(setup, config)
    assert report.ok, report.failures()
    assert released(tmp_path)["variants"] == [["python-3.9"], ["python-3.11"]]
    assert not (source / "build" / ".pkg-release-tests").exists()


def test_a_failing_pre_release_test_releases_nothing(tmp_path: Path, source: Path) -> None:
    config = release_config(tmp_path)
    with_tests(source)
    (source / "fail-test").write_text("")
    before, tags = snapshot(tmp_path / "release"), stub_tags(source)
    report = release(source, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:tests"
    assert "the pre_release tests of hello-1.0 failed: test 'payload'" in reason
    assert_untouched(tmp_path, source, before, tags)
    assert not (source / "build" / ".pkg-release-tests").exists()


def test_hashed_variants_get_shortlinks(tmp_path: Path, source: Path) -> None:
    path = source / "package.py"
    path.write_text(path.read_text() + "hashed_variants = True\n")
    config = release_config(tmp_path)
    assert release(source, config, variants=[0]).ok
    assert release(source, config, variants=[1], ignore_existing_tag=True).ok
    base = tmp_path / "release" / "hello" / "1.0"
    links = sorted(os.listdir(base / "_v"))
    assert links == ["a", "b"]
    assert (base / "_v" / "b" / "bin" / "hello").read_text() == "3.11\n"
    assert os.readlink(base / "_v" / "a").startswith("../")


def test_the_command_hook_from_the_settings(tmp_path: Path, source: Path) -> None:
    """``release_hooks`` loads the built-in ``command`` hook; a failing pre_release
    command cancels the release, a post_release one runs after the tag."""
    marker = tmp_path / "post.txt"
    hook_settings = {
        "cancel_on_error": True,
        "pre_release_commands": [{"command": "test", "args": ["!", "-e", "{release.path}/stop"]}],
        "post_release_commands": [
            {"command": "sh", "args": ["-c", f"echo {{package.qualified_name}} > {marker}"]}
        ],
    }
    config = release_config(
        tmp_path, release_hooks=["command"], plugins={"release_hook": {"command": hook_settings}}
    )
    (tmp_path / "release" / "stop").write_text("")
    before, tags = snapshot(tmp_path / "release"), stub_tags(source)
    report = release(source, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:pre_release"
    assert "cancelled by the pre_release hook 'command'" in reason
    assert_untouched(tmp_path, source, before, tags)
    (tmp_path / "release" / "stop").unlink()
    assert release(source, config).ok
    assert marker.read_text() == "hello-1.0\n"


@needs("git")
def test_git_tag_push_failure_after_the_publish(tmp_path: Path, git_source: Path) -> None:
    """The remote refuses the tag: the release stays published, the local tag stays (to
    push by hand), and the report says which step failed."""
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'tags are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    config = release_config(tmp_path)
    report = release(git_source, config)
    assert not report.ok
    [(task, reason)] = report.failures()
    assert task == "release:push_tag"
    assert "tags are frozen" in reason or "rejected" in reason, reason
    assert [v.index for v in report.published] == [0, 1]
    assert report.setup.state.tagged
    assert not report.setup.state.pushed
    assert released(tmp_path)["vcs"] == "git"
    assert git(git_source, "tag", "--list") == "hello-1.0"
    assert git(git_source, "ls-remote", "--tags", "origin") == ""


def test_the_build_contexts_are_made_from_the_preprocessed_package(tmp_path: Path) -> None:
    (tmp_path / "release").mkdir()
    source = write_tree(
        tmp_path / "pre",
        {
            "package.py": """\
                name = 'pre'
                version = '1.0'
                build_command = 'mkdir -p {install_path} && echo $PYVER > {install_path}/seen'

                def preprocess(this, data):
                    data['private_build_requires'] = ['python-3.9']
                """,
            ".stub": "",
        },
    )
    report = release(source, release_config(tmp_path))
    assert report.ok, report.failures()
    assert (tmp_path / "release" / "pre" / "1.0" / "seen").read_text() == "3.9\n"
