"""Readers wait for a writer only on request, and never create or need lock files."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING

from pkg.repositories._locks import file_lock, wait_for_writer

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@contextlib.contextmanager
def held_by_a_writer(lock: Path) -> Iterator[None]:
    """Another thread holds the write lock ``lock`` for the ``with`` block."""
    held = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with file_lock(lock, timeout=5):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_waits_until_the_writer_releases(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    waited = threading.Event()

    def reader() -> None:
        wait_for_writer(lock, timeout=5)
        waited.set()

    with held_by_a_writer(lock):
        reading = threading.Thread(target=reader)
        reading.start()
        time.sleep(0.05)
        assert not waited.is_set()  # still blocked by the writer
    assert waited.wait(5)
    reading.join()


def test_no_lock_file_means_nothing_to_wait_for(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    wait_for_writer(lock, timeout=5)
    assert not lock.exists()


def test_gives_up_after_the_timeout(tmp_path: Path) -> None:
    lock = tmp_path / ".lock.foo"
    with held_by_a_writer(lock):
        started = time.monotonic()
        wait_for_writer(lock, timeout=0.2)
        assert time.monotonic() - started < 2
