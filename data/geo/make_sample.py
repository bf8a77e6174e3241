#!/usr/bin/env python
"""Build mapapp's bundled sample dataset for the industrial zones of Hậu Giang.

    .venv/bin/python data/geo/make_sample.py [--out DIR] [-v]

Everything is ILLUSTRATIVE: see data/geo/PROVENANCE.md. The work is done by the ``sample``
package beside this script (one module a layer or concern); the output is deterministic.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parents[1]):  # the sample package; mapapp (checks the clearance records)
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from sample.generate import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
