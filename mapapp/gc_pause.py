"""No cyclic garbage collection while a large batch of objects is built: reads, the conflict rules.

Building 10⁵–10⁶ rows, lists, dicts or shapely geometries (none in a cycle) triggers collections
that walk every young object again and again, and with a million live geometries the full ones
walk all of them: on a layer of 10⁵ features that was 40 % of the read, and a tenth of
``find_conflicts`` at 5·10⁵ lots. Reference counting still frees everything; collection resumes
when the last holder in the process is done (threads may overlap: the pause is counted).
"""
from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_gc_lock = threading.Lock()
_gc_state = {"holders": 0, "was_enabled": True}


@contextlib.contextmanager
def no_gc_passes() -> Iterator[None]:
    """Cyclic garbage collection off inside the block (for every thread), back as the program had it
    once the last block still open in the process ends."""
    with _gc_lock:
        if _gc_state["holders"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["holders"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["holders"] -= 1
            if _gc_state["holders"] == 0 and _gc_state["was_enabled"]:
                gc.enable()
