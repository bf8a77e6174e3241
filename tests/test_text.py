"""Folding text for search (mapapp.text): many rows at once give what one row at a time gives."""
from __future__ import annotations

import random

from mapapp.layers import LAYERS
from mapapp.text import fold, fold_all, search_columns, search_text

ALPHABET = ("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
            " Σσςİıßﬁǅ🙂-_%\n\t\u0301\u0323\u0a81")


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_fold_all_is_fold_of_each():
    texts = random_texts(1, 5000) + ["ΟΔΟΣ", "ΟΔΟΣ x", "Σ", "", "Sông Hậu", "ĐƯỜNG SỐ 1"]
    assert fold_all(texts) == [fold(t) for t in texts]
    assert fold_all(["Khu công nghiệp Sông Hậu"]) == ["khu cong nghiep song hau"]
    assert fold_all([]) == []


def test_texts_holding_the_separator_or_a_lone_surrogate_are_folded_one_by_one():
    for odd in ("a\x00Ấ", "b\ud800Ấ"):
        texts = random_texts(2, 50) + [odd]
        assert fold_all(texts) == [fold(t) for t in texts]


def test_search_columns_fold_rows_as_search_text_does():
    spec = LAYERS["clearance"]
    rng = random.Random(3)
    codes = [f"P{k}" for k in range(300)]
    owners = [rng.choice([None, float("nan"), *random_texts(4, 20)]) for _ in codes]
    columns = {"code": codes, "owner": owners, "status": ["cleared"] * len(codes)}
    out = search_columns(spec, columns)
    assert out["search_text"] == [search_text([c]) for c in codes]
    assert out["search_personal"] == [search_text([o]) for o in owners]
