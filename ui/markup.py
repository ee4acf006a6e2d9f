"""Text from users and files shown through Streamlit's Markdown (messages, captions, titles, tooltips) as data.

Every element that takes a string (st.markdown, st.warning/error/info/success, st.caption, st.header, dialog
titles, toasts, expander labels, help tooltips) reads it as Markdown: `[x](http://…)` becomes a live link,
`![t](http://…)` an image the browser fetches, `:red[…]` a colour, `$…$` LaTeX. `plain()` backslash-escapes
every ASCII punctuation mark (CommonMark shows an escaped mark as itself), which also stops Streamlit's `:icon:`
shortcodes; bare URLs and e-mails get an invisible word joiner (they are linked after escapes are read). Table
cells and code spans need none of it.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
# Streamlit's Markdown turns a bare URL or e-mail in the text into a link after escapes are read ("http\://x" is
# still linked), so a WORD JOINER (invisible, zero width) breaks "://", "www." and "@" apart.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x00]+")


def plain(value: object) -> str:
    """`value` as Markdown that renders exactly as its text, on one line (no heading, list or table can start)."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, text))


def chart_text(value: object) -> str:
    """`value` for a plotly label, title or hover: plotly reads `<a href>`, `<b>`, `<br>` in any text it draws
    (a unit name or title could carry a live link), and shows `&lt;`, `&gt;`, `&amp;` as the marks themselves."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
