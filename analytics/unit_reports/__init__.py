"""The plan's reporting cycle: each unit's year-end report (Word file + signed scan), who has reported, review.

files.py   checks by content, size limit, storage by content hash outside every web route
cycle.py   hand-in, states over time, completeness, review, downloads, the draft Word report
cli.py     `python -m analytics reports submit|list|review|get`
"""

from analytics.unit_reports.cycle import *  # noqa: F401,F403
from analytics.unit_reports.cycle import __all__ as _cycle_all
from analytics.unit_reports.files import CheckedFile, check_file  # noqa: F401

__all__ = [*_cycle_all, "CheckedFile", "check_file"]
