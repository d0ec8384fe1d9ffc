"""A real memcached on loopback for the tests (``/usr/bin/memcached``, or on ``PATH``).

:func:`start` runs one on a free port and waits until it answers; tests are skipped with
a clear reason when the binary is missing.  Everything here talks to the server over raw
sockets, so the fixtures never depend on the client under test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

__all__ = ["MemcachedServer", "find_binary", "free_port", "raw_command", "start"]

HOST = "127.0.0.1"


def find_binary() -> str | None:
    """The memcached executable, or None."""
    if os.access("/usr/bin/memcached", os.X_OK):
        return "/usr/bin/memcached"
    return shutil.which("memcached")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def raw_command(port: int, command: bytes, *, end: bytes = b"\r\n") -> bytes:
    """Send ``command`` to the server on ``port``; read until the answer ends with ``end``."""
    with socket.create_connection((HOST, port), timeout=5) as sock:
        sock.sendall(command)
        answer = b""
        while not answer.endswith(end):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


@dataclass
class MemcachedServer:
    """A running memcached."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def uri(self) -> str:
        """``127.0.0.1:<port>``."""
        return f"{HOST}:{self.port}"

    def reset(self) -> None:
        """Drop every item and reset the statistics.

        memcached reclaims flushed items lazily, and until then ``bytes`` still counts
        them: the LRU crawler is asked to reclaim them now, and the call waits (up to 5 s)
        until no byte is in use, so that two readers of the statistics agree.
        """
        raw_command(self.port, b"flush_all\r\n")
        raw_command(self.port, b"lru_crawler crawl all\r\n", end=b"\r\n")
        deadline = time.monotonic() + 5
        while self.stats().get("bytes", "0") != "0" and time.monotonic() < deadline:
            time.sleep(0.02)
        raw_command(self.port, b"stats reset\r\n")

    def stats(self) -> dict[str, str]:
        """The server's ``stats``."""
        answer = raw_command(self.port, b"stats\r\n", end=b"END\r\n").decode()
        return {
            parts[1]: parts[2]
            for line in answer.splitlines()
            if (parts := line.split(" ", 2))[0] == "STAT"
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - memcached exits on SIGTERM
            self.process.kill()
            self.process.wait()


def _ready(port: int, process: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            if raw_command(port, b"version\r\n").startswith(b"VERSION"):
                return True
        time.sleep(0.02)
    return False


def start(binary: str, *, attempts: int = 5) -> MemcachedServer:
    """Start memcached on a free loopback port (64 MB, no UDP)."""
    for _attempt in range(attempts):
        port = free_port()
        command = [binary, "-l", HOST, "-p", str(port), "-U", "0", "-m", "64", "-t", "2"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command += ["-u", "root"]  # memcached refuses to run as root otherwise
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )
        if _ready(port, process, time.monotonic() + 10):
            return MemcachedServer(port, process)
        process.kill()
        process.wait()
    raise RuntimeError(f"memcached ({binary}) did not start on loopback")
