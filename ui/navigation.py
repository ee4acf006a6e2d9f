"""The pages of the dashboard, in menu order, with the roles that may open each.

A page whose file does not exist yet is left out, so the menu always matches what is built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analytics.access.auth import ROLES
from ui.state import t

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL_PATH = "tong-quan"  # the overview: served at the root, and under this name too


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    url_path: str
    section_key: str = "nav.section.analysis"
    roles: tuple[str, ...] = ROLES  # who may open it: the one list (each page asks require_page)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "nav.overview", ":material/dashboard:", "tong-quan"),
    PageSpec("app_pages/targets.py", "nav.targets", ":material/flag:", "chi-tieu"),
    PageSpec("app_pages/lagging.py", "nav.lagging", ":material/warning:", "cham-tien-do"),
    PageSpec("app_pages/unit.py", "nav.unit", ":material/apartment:", "don-vi"),
    PageSpec("app_pages/explorer.py", "nav.explorer", ":material/search:", "tra-cuu"),
    PageSpec("app_pages/unit_reports.py", "nav.unit_reports", ":material/assignment_turned_in:", "bao-cao-don-vi"),
    PageSpec(
        "app_pages/upload.py",
        "nav.upload",
        ":material/upload_file:",
        "nop-bao-cao",
        "nav.section.data",
        ("uploader", "admin"),
    ),
    PageSpec(
        "app_pages/submissions.py",
        "nav.submissions",
        ":material/history:",
        "lich-su-nop",
        "nav.section.data",
        ("uploader", "admin"),
    ),
    PageSpec(
        "app_pages/report_handin.py",
        "nav.report_handin",
        ":material/assignment_add:",
        "nop-bao-cao-nam",
        "nav.section.data",
        ("uploader", "admin"),
    ),
    PageSpec("app_pages/accounts.py", "nav.accounts", ":material/group:", "tai-khoan", "nav.section.admin", ("admin",)),
    PageSpec("app_pages/audit.py", "nav.audit", ":material/policy:", "nhat-ky", "nav.section.admin", ("admin",)),
)


def pages_for(role: str | None) -> dict[str, list[st.Page]]:
    """st.navigation input for a role (None: no sign-in in force, every page).

    A page the role may not open stays out of the menu but keeps its address, where it says so in Vietnamese
    (instead of Streamlit's English "Page not found" for a bookmark or a link shared by an administrator).
    """
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if not (ROOT / spec.path).exists():
            continue
        if role is not None and role not in spec.roles:
            page = st.Page(
                _not_for_role(spec, role),
                title=t(spec.title_key),
                icon=spec.icon,
                url_path=spec.url_path,
                visibility="hidden",
            )
        else:
            page = st.Page(
                str(ROOT / spec.path),
                title=t(spec.title_key),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.url_path == DEFAULT_URL_PATH,
            )
        sections.setdefault(t(spec.section_key), []).append(page)
    if os.environ.get(FAULT_PAGE_ENV) == "1":  # browser tests only: a page that fails, to see what a reader sees
        sections.setdefault(t(PAGES[0].section_key), []).append(
            st.Page(_failing_page, title="fault", url_path=FAULT_PAGE_URL, visibility="hidden")
        )
    return sections


FAULT_PAGE_ENV = "ANTQ_TEST_FAULT_PAGE"  # set by tests/e2e only; never in settings.toml or any page
FAULT_PAGE_URL = "loi-thu-nghiem"


class InjectedFault(RuntimeError):
    """Raised by the test-only page: an ordinary bug inside a page, nothing the product catches on purpose."""


def _failing_page() -> None:
    """Fails where ?fault= says: on loading (default), in a button's callback, or in a fragment's own rerun."""
    st.title(t("nav.overview"))
    where = st.query_params.get("fault", "load")
    if where == "load":
        _fail()
    st.button("callback", on_click=_fail)
    _failing_fragment()


@st.fragment
def _failing_fragment() -> None:
    if st.button("fragment"):
        _fail()


def _fail() -> None:
    raise InjectedFault("/srv/secret/path: injected fault for the browser test")


def _not_for_role(spec: PageSpec, role: str):
    def not_for_role() -> None:
        st.title(t(spec.title_key))
        st.warning(
            t(
                "nav.not_for_role",
                role=t(f"auth.role.{role}").lower(),
                roles=", ".join(t(f"auth.role.{r}").lower() for r in spec.roles),
            ),
            icon=":material/lock:",
        )
        st.page_link(str(ROOT / "app_pages/overview.py"), label=t("nav.overview"), icon=":material/dashboard:")

    return not_for_role
