"""mapapp's bundled sample dataset for the industrial zones of Hậu Giang, one module a concern.

Everything here is ILLUSTRATIVE (see data/geo/PROVENANCE.md). ``make_sample.py`` beside this
package is the entry point (``make sample``); :func:`generate.generate` builds, checks and
writes every file, deterministically (fixed seeds, fixed feature order).
"""
