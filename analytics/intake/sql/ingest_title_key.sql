-- The key a title is matched by: folded (lower case, no diacritics, đ as d). Titles are NFC already (decoding saw
-- to it), so the full fold() macro with its regular expression is needed only where whitespace runs or control
-- characters occur. ${fold_latin} folds the others and gives NULL for any title it leaves to DuckDB (those too, and
-- other scripts); with many different titles it is ingest_fold_latin (analytics/intake/title_fold.py: the same fold,
-- vectorised), with few ingest_fold_none (always NULL: DuckDB's own functions, no pyarrow in the process). Either
-- way every key is DuckDB's strip_accents(replace(lower(title), 'đ', 'd')), or fold(title) where spacing needs it.
CREATE OR REPLACE TEMP MACRO ingest_title_key(title) AS
    coalesce(${fold_latin}(title),
             CASE WHEN contains(title, '  ') OR contains(title, chr(9)) OR contains(title, chr(10))
                    OR contains(title, chr(13)) OR contains(title, chr(11)) OR contains(title, chr(12))
                  THEN fold(title)
                  ELSE strip_accents(replace(lower(title), 'đ', 'd')) END);
