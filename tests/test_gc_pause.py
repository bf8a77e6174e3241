"""The pause of cyclic garbage collection (mapapp.gc_pause): counted across threads, restored as found."""
from __future__ import annotations

import gc
import threading

from mapapp.gc_pause import no_gc_passes


def test_garbage_collection_resumes_after_the_last_reader():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def reader():
        with no_gc_passes():
            inside.set()
            release.wait(5)

    other = threading.Thread(target=reader)
    other.start()
    inside.wait(5)
    with no_gc_passes():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other reader is still building its frame
    release.set()
    other.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with no_gc_passes():
            pass
        assert not gc.isenabled()  # left as the program had it
    finally:
        gc.enable()
