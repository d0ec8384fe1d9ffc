"""The ``emailer`` release hook: after a release, mail a summary over SMTP
(``plugins.release_hook.emailer``), as Rez's emailer hook does.

``subject`` and ``body`` are expanded with ``{system.*}``, ``{package.*}`` (the released
package), ``{release.path}``, ``{release.previous_version}``, ``{release.message}``,
``{release.changelog}``, ``{variants.count}`` and ``{variants.paths}``; unknown fields
stay as written.  ``recipients`` is a list of addresses, one address, or the path of a
YAML rules file::

    rules:
      - filters: {name: [foo, bar]}   # every filter must match a package attribute
        recipients: [foo-team@example.com]
      - recipients: [everyone@example.com]   # no filters: always matches

A filter value of null matches any package that has the attribute, a list matches any of
its items, anything else must be equal.  Nothing is sent without recipients or without
``smtp_host``; a failure to send raises :class:`ReleaseHookError` (the release is done by
then, so it is not cancelled).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from pkg.hooks._format import PackageView, expand, load_release_package
from pkg.hooks.base import ReleaseHook, ReleaseHookError, ReleaseInfo

if TYPE_CHECKING:
    from pkg.config import EmailerHookSettings
    from pkg.packages import Package

__all__ = ["Email", "EmailerHook"]


class Email:
    """A message ready to send."""

    def __init__(self, sender: str, recipients: list[str], subject: str, body: str) -> None:
        self.sender = sender
        self.recipients = recipients
        self.subject = subject
        self.body = body

    def as_string(self) -> str:
        """The message in RFC 5322 form (a plain text MIME part)."""
        from email.mime.text import MIMEText

        message = MIMEText(self.body)
        message["Subject"] = self.subject
        message["From"] = self.sender
        message["To"] = ",".join(self.recipients)
        return message.as_string()


class EmailerHook(ReleaseHook):
    """Sends the release email from :meth:`post_release`."""

    name: ClassVar[str] = "emailer"

    #: Seconds to wait for the SMTP server to answer.
    timeout: ClassVar[float] = 30.0

    @property
    def settings(self) -> EmailerHookSettings:
        return self.config.plugins.release_hook.emailer

    def post_release(self, info: ReleaseInfo) -> None:
        """Send the email for ``info`` (nothing when no variant was released).

        Raises:
            ReleaseHookError: if the recipients file is missing or invalid, or sending
                fails.
        """
        email = self.compose(info)
        if email is not None:
            self.send(email)

    def compose(self, info: ReleaseInfo) -> Email | None:
        """The email for ``info``, or None when there is nothing to send: no variant
        released, no recipients, or no ``smtp_host`` (logged).

        Raises:
            ReleaseHookError: if the recipients file is missing or invalid.
        """
        settings = self.settings
        if not info.variants or not settings.recipients:
            return None
        if not settings.smtp_host:
            self.log(
                "did not send the release email: plugins.release_hook.emailer.smtp_host is empty"
            )
            return None
        package = load_release_package(info, self.config, installed=True)
        recipients = self.recipients(package)
        if not recipients:
            return None
        objects = self._objects(info, package)
        body = expand(settings.body, objects).strip().replace("\n\n\n", "\n\n")
        subject = expand(settings.subject, objects)
        return Email(settings.sender, recipients, subject, body)

    def send(self, email: Email) -> None:
        """Send ``email`` through ``smtp_host:smtp_port``.

        Raises:
            ReleaseHookError: naming the server, if it cannot be reached or refuses.
        """
        import smtplib

        settings = self.settings
        self.log("sending the release email to: " + ", ".join(email.recipients))
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self.timeout) as smtp:
                smtp.sendmail(email.sender, email.recipients, email.as_string())
        except (OSError, smtplib.SMTPException) as error:
            raise ReleaseHookError(
                f"emailer: release email delivery to {settings.smtp_host}:{settings.smtp_port} "
                f"failed: {error}; check plugins.release_hook.emailer"
            ) from None

    def recipients(self, package: Package | None) -> list[str]:
        """The addresses to mail: the ``recipients`` list, one address, or the addresses
        of the rules of a recipients file that match ``package``.

        Raises:
            ReleaseHookError: if a recipients file is missing or invalid.
        """
        value = self.settings.recipients
        if not isinstance(value, str):
            return list(value)
        if os.path.exists(value):
            return _rule_recipients(value, package)
        if "@" in value:
            return [value]
        raise ReleaseHookError(
            f"emailer: the recipients file {value} does not exist "
            "(plugins.release_hook.emailer.recipients): no email sent"
        )

    def _objects(self, info: ReleaseInfo, package: Package | None) -> dict[str, object]:
        from pathlib import Path

        from pkg.config import SystemInfo

        roots: list[str] = []
        if package is not None and package.repository is not None:
            wanted = set(info.variants)
            roots = [v.root or "" for v in package.iter_variants() if v.index in wanted]
        if not roots:
            base = os.path.join(info.install_path, info.package_name, info.version)
            roots = [base] * len(info.variants)
        return {
            "system": SystemInfo(os.environ, Path.home(), self.config.platform_map),
            "package": PackageView(package)
            if package is not None
            else {
                "name": info.package_name,
                "version": info.version,
                "qualified_name": f"{info.package_name}-{info.version}",
            },
            "release": {
                "path": info.install_path,
                "previous_version": info.previous_version or "None.",
                "message": info.release_message or "No release message.",
                "changelog": info.changelog or "No changelog.",
            },
            "variants": {"count": len(roots), "paths": "\n".join(roots)},
        }


def _rule_recipients(path: str, package: Package | None) -> list[str]:
    """The sorted addresses of the rules in the file ``path`` that match ``package``."""
    from pkg.packages._yaml import YamlError, load_yaml

    def bad(reason: str) -> ReleaseHookError:
        return ReleaseHookError(f"emailer: {path}: {reason}: no email sent")

    try:
        with open(path, encoding="utf-8") as stream:
            data = load_yaml(stream.read())
    except (OSError, UnicodeDecodeError, YamlError) as error:
        raise bad(f"cannot read the recipients file: {error}") from None
    rules = data.get("rules", []) if isinstance(data, dict) else None
    if not isinstance(rules, list):
        raise bad("expected a 'rules' list")
    found: set[str] = set()
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            raise bad(f"rule {index} is not a mapping")
        filters = rule.get("filters") or {}
        addresses = rule.get("recipients")
        if not isinstance(filters, dict):
            raise bad(f"the filters of rule {index} are not a mapping")
        if not (isinstance(addresses, list) and all(isinstance(a, str) for a in addresses)):
            raise bad(f"the recipients of rule {index} are not a list of addresses")
        if all(_matches(package, str(attr), wanted) for attr, wanted in filters.items()):
            found.update(addresses)
    return sorted(found)


def _matches(package: Package | None, attr: str, wanted: object) -> bool:
    """Whether ``package``'s attribute ``attr`` passes the filter value ``wanted``."""
    if package is None:
        return False
    view = PackageView(package)
    try:
        value = getattr(view, attr)
    except AttributeError:
        return False
    if not isinstance(value, str | int | float | bool | list | type(None)):
        value = str(value)  # a Version, a request: compared as written
    if wanted is None:
        return True
    if isinstance(wanted, list):
        return value in wanted
    return bool(value == wanted)
