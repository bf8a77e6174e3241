"""Values kept in process memory by key, the oldest dropped first, each made by one thread at a time.

What the readers keep (a layer's finished answer, the province's clearance figures, the all-zones
paces) is keyed by what the database says (its data version, figure versions), so a kept value
is never stale and every process agrees. :meth:`Kept.get` makes a missing value once: the requests
asking for the same key meanwhile wait for it instead of each making it again (after a start or a
write, under load, that repeated work was all the CPU and left clients unanswered).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most ``size`` values by key (least recently asked dropped first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``make()``'s, kept; an exception from ``make`` keeps nothing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = make()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._making.pop(key, None)
        return value

    def clear(self) -> None:
        """Forget every kept value."""
        with self._lock:
            self._values.clear()
