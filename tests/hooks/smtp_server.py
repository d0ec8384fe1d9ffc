"""A tiny SMTP server on loopback for the emailer tests (enough of RFC 5321 for smtplib).

It accepts every message and keeps it in :attr:`SmtpServer.messages`; ``refuse`` makes
it answer ``MAIL FROM`` with a permanent error.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    refuse: bool = False


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        state = self.server.state
        self.reply("220 localhost test SMTP server")
        sender, recipients = "", list[str]()
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 localhost")
            elif verb == "MAIL":
                if state.refuse:
                    self.reply("550 sender refused")
                    continue
                sender, recipients = _address(command), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(_address(command))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline().decode()) not in {".\r\n", ".\n", ""}:
                    data = data.replace("\r\n", "\n")
                    lines.append(data[1:] if data.startswith("..") else data)
                state.messages.append(Received(sender, recipients, "".join(lines)))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in {"RSET", "NOOP"}:
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


def _address(command: str) -> str:
    return command.partition(":")[2].strip().strip("<>")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: SmtpServer


def serve() -> Iterator[SmtpServer]:
    """Run a server on a free loopback port until the generator is closed."""
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.state = SmtpServer(str(host), int(port))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
