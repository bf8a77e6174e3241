"""What kept clearance figures were worked out from (mapapp.queries.figure_prints): the libraries enter the code digest."""
from __future__ import annotations

from mapapp.queries import figure_prints


def test_the_code_digest_names_the_libraries_the_figures_run_on(monkeypatch):
    before = figure_prints.code_digest()
    figure_prints.code_digest.cache_clear()
    monkeypatch.setattr(figure_prints, "LIBRARIES", figure_prints.LIBRARIES[:-1])
    try:
        assert figure_prints.code_digest() != before
    finally:
        figure_prints.code_digest.cache_clear()
    monkeypatch.undo()
    assert figure_prints.code_digest() == before
