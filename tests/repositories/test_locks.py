"""Readers wait for a writer only on request, and never create or need lock files."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from pkg.repositories._locks import file_lock, wait_for_writer

if TYPE_CHECKING:
    from pathlib import Path


def test_waits_until_the_writer_releases(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    held = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with file_lock(lock, timeout=5):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(5)
    waited = threading.Event()

    def reader() -> None:
        wait_for_writer(lock, timeout=5)
        waited.set()

    reading = threading.Thread(target=reader)
    reading.start()
    time.sleep(0.05)
    assert not waited.is_set()  # still blocked by the writer
    release.set()
    assert waited.wait(5)
    thread.join()
    reading.join()


def test_no_lock_file_means_nothing_to_wait_for(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    wait_for_writer(lock, timeout=5)
    assert not lock.exists()


def test_gives_up_after_the_timeout(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    held = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with file_lock(lock, timeout=5):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(5)
    started = time.monotonic()
    wait_for_writer(lock, timeout=0.2)
    assert time.monotonic() - started < 2
    release.set()
    thread.join()
