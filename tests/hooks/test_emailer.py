"""The emailer release hook sends through a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.config import SystemInfo
from pkg.hooks import ReleaseHookError, load_release_hooks
from pkg.hooks.emailer import EmailerHook
from tests.hooks._support import config, release_info
from tests.hooks.smtp_server import SmtpServer, serve

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage

PREFIX = "plugins.release_hook.emailer"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    yield from serve()


def hook(tmp_path: Path, lines: list[str] | None = None, /, **settings: object) -> EmailerHook:
    overrides = {f"{PREFIX}.{key}": value for key, value in settings.items()}
    log = lines.append if lines is not None else None
    hooks = load_release_hooks(["emailer"], tmp_path / "src", config(overrides), log=log)
    assert isinstance(hooks[0], EmailerHook)
    return hooks[0]


def server_settings(smtp: SmtpServer) -> dict[str, object]:
    return {"smtp_host": smtp.host, "smtp_port": smtp.port, "sender": "rel@example.com"}


def parse(data: str) -> EmailMessage:
    message = email.message_from_string(data, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_the_release_email_is_sent(tmp_path: Path, smtp: SmtpServer) -> None:
    info = release_info(tmp_path, installed=True)
    lines: list[str] = []
    hook(
        tmp_path, lines, recipients=["a@example.com", "b@example.com"], **server_settings(smtp)
    ).post_release(info)
    [received] = smtp.messages
    assert received.sender == "rel@example.com"
    assert received.recipients == ["a@example.com", "b@example.com"]
    message = parse(received.data)
    assert message["From"] == "rel@example.com"
    assert "\nTo: a@example.com,b@example.com\n" in received.data
    assert str(message["Subject"]).endswith(" released foo-1.2")
    body = message.get_content()
    root = Path(info.install_path, "foo", "1.2")
    assert "PACKAGE: foo-1.2\n" in body
    assert f"RELEASED TO: {info.install_path}\n" in body
    assert "PREVIOUS VERSION: 1.1\n" in body
    assert f"2 VARIANTS:\n{root / 'python-3.9'}\n{root / 'python-3.11'}\n" in body
    assert "MESSAGE:\nfirst release\n" in body
    assert body.rstrip().endswith("CHANGELOG:\ncommit abc\n    add foo")
    assert lines == ["sending the release email to: a@example.com, b@example.com"]


def test_templates_and_defaults(tmp_path: Path, smtp: SmtpServer) -> None:
    info = release_info(tmp_path, release_message=None, changelog=None, previous_version=None)
    body = "{package.description}|{release.message}|{release.changelog}|"
    body += "{release.previous_version}|{variants.count}|{package.unknown}\n\n\n\nend"
    hook(
        tmp_path,
        recipients="one@example.com",
        subject="{package.name} by {system.user}",
        body=body,
        **server_settings(smtp),
    ).post_release(info)
    [received] = smtp.messages
    message = parse(received.data)
    assert received.recipients == ["one@example.com"]
    assert message["Subject"] == f"foo by {SystemInfo(os.environ, Path.home()).user}"
    assert message.get_content().rstrip("\n") == (
        # Rez replaces each run of three newlines by two, once.
        "The foo library.|No release message.|No changelog.|None.|2|{package.unknown}\n\n\nend"
    )


def test_recipients_from_a_rules_file(tmp_path: Path, smtp: SmtpServer) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - recipients: [all@example.com]\n"
        "  - filters: {name: [foo, bar]}\n"
        "    recipients: [foo-team@example.com, all@example.com]\n"
        "  - filters: {name: baz}\n"
        "    recipients: [baz-team@example.com]\n"
        "  - filters: {description: null, version: '1.2'}\n"
        "    recipients: [described@example.com]\n"
        "  - filters: {no_such_attribute: null}\n"
        "    recipients: [nobody@example.com]\n"
    )
    info = release_info(tmp_path, installed=True)
    hook(tmp_path, recipients=str(rules), **server_settings(smtp)).post_release(info)
    assert smtp.messages[0].recipients == [
        "all@example.com",
        "described@example.com",
        "foo-team@example.com",
    ]


def test_nothing_is_sent_without_recipients_variants_or_host(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    info = release_info(tmp_path)
    hook(tmp_path, recipients=[], **server_settings(smtp)).post_release(info)
    settings = {**server_settings(smtp), "recipients": ["a@example.com"]}
    hook(tmp_path, **settings).post_release(release_info(tmp_path, variants=()))
    lines: list[str] = []
    hook(tmp_path, lines, **{**settings, "smtp_host": ""}).post_release(info)
    assert smtp.messages == []
    assert lines == [
        "did not send the release email: plugins.release_hook.emailer.smtp_host is empty"
    ]


def test_a_missing_recipients_file_is_an_error(tmp_path: Path, smtp: SmtpServer) -> None:
    with pytest.raises(ReleaseHookError, match=r"recipients file .*absent\.yaml does not exist"):
        hook(
            tmp_path, recipients=str(tmp_path / "absent.yaml"), **server_settings(smtp)
        ).post_release(release_info(tmp_path))


def test_an_invalid_rules_file_is_an_error(tmp_path: Path, smtp: SmtpServer) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - recipients: someone@example.com\n")
    with pytest.raises(ReleaseHookError, match="the recipients of rule 0 are not a list"):
        hook(tmp_path, recipients=str(rules), **server_settings(smtp)).post_release(
            release_info(tmp_path)
        )


def test_a_refused_message_is_an_error(tmp_path: Path, smtp: SmtpServer) -> None:
    smtp.refuse = True
    with pytest.raises(
        ReleaseHookError, match=rf"delivery to 127.0.0.1:{smtp.port} failed: .*sender refused"
    ):
        hook(tmp_path, recipients=["a@example.com"], **server_settings(smtp)).post_release(
            release_info(tmp_path)
        )


def test_an_unreachable_server_is_an_error(tmp_path: Path, smtp: SmtpServer) -> None:
    settings = {**server_settings(smtp), "smtp_port": 1}
    with pytest.raises(ReleaseHookError, match=r"delivery to 127.0.0.1:1 failed"):
        hook(tmp_path, recipients=["a@example.com"], **settings).post_release(
            release_info(tmp_path)
        )
