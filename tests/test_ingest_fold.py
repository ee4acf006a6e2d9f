"""The vectorised title fold gives DuckDB's own fold for every string it answers (analytics/intake/title_fold.py),
by its compiled loop (built by scripts/setup.sh) and by numpy alike."""

import random

import duckdb
import pyarrow as pa
import pytest

from analytics.intake import title_fold

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵdđ"
OTHERS = ["\u0301", "😀", "한", "\u00a0", "Ω", "\x00", "ǅ", "ﬁ", "ḍ", "ẞ", "Ǆ", "ɐ", "İ", "\u202f", "你", "\u200b"]


def _duckdb_fold(con, strings):
    return [
        r[0]
        for r in con.execute(
            "SELECT strip_accents(replace(lower(x), 'đ', 'd')) FROM "
            "(SELECT unnest($s) AS x, generate_subscripts($s, 1) AS i) ORDER BY i",
            {"s": strings},
        ).fetchall()
    ]


FOLDS = pytest.mark.parametrize("fold", [title_fold.fold_compiled, title_fold.fold_numpy], ids=["compiled", "numpy"])


def test_the_compiled_loop_is_built_and_used():
    assert title_fold.compiled_loop() is not None, "scripts/setup.sh builds analytics/intake/_title_fold.so"
    assert title_fold.fold_latin(pa.array(["Đoàn xã"])).to_pylist() == ["doan xa"]


@FOLDS
def test_fold_equals_duckdb_fold_or_defers_to_it(fold):
    rnd = random.Random(13)
    pool = list("abcXYZ 0-9,.–—“”‘’…₫ñÇøßæ()/") + list(VIETNAMESE + VIETNAMESE.upper()) + OTHERS
    strings = ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 14))) for _ in range(20_000)]
    strings += ["", "Thắp sáng đường quê – đợt 2", "ĐẠI HỘI ĐOÀN", "Tuổi trẻ “Xung kích”"]
    with duckdb.connect() as con:
        expected = _duckdb_fold(con, strings)
    folded = fold(pa.array(strings)).to_pylist()
    answered = [(got, want) for got, want in zip(folded, expected) if got is not None]
    assert all(got == want for got, want in answered)
    assert len(answered) > len(strings) / 3  # Vietnamese and punctuation are answered, not deferred
    assert folded[-3:] == ["thap sang duong que – dot 2", "dai hoi doan", "tuoi tre “xung kich”"]


@FOLDS
def test_unknown_characters_and_nulls_are_left_to_duckdb(fold):
    array = pa.array(["Xã 한", None, "a\u0301", "ok", "emoji 😀", "nul\x00"]).slice(0)
    assert fold(array).to_pylist() == [None, None, None, "ok", None, None]
    spaced = pa.array(["a  b", "a\tb", "dòng\nhai", "a b", "Đ \x01"])
    assert fold(spaced).to_pylist() == [None, None, None, "a b", None]  # fold() spaces them
    assert fold(pa.array(["Xã ", " Bình"])).to_pylist() == ["xa ", " binh"]  # one space each: answered
    assert fold(pa.array(["Àb", "Cđ", "x"]).slice(1)).to_pylist() == ["cd", "x"]


def test_the_sql_function_is_registered_once_per_database():
    with duckdb.connect() as con:
        first, second = con.cursor(), con.cursor()
        title_fold.register(first)
        title_fold.register(second)
        assert second.execute("SELECT ingest_fold_latin('Hòa Thạnh')").fetchall() == [("hoa thanh",)]
