"""Progress of a run for the person at the console: `make run` listens, the daemon does not.

Steps report what they are doing (a delivery read, dbt nodes done out of the total); whoever runs
them in process may listen. Nothing is printed when nobody listens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str], None]] = []


def report(message: str) -> None:
    for listener in list(_listeners):
        listener(message)


@contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
