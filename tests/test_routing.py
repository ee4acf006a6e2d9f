"""Page addresses work however the server is started: no pages/ folder puts Streamlit in its pages-directory mode."""

from __future__ import annotations

from ui.navigation import PAGES, ROOT


def test_no_pages_folder_beside_the_entry_point():
    # With one, a fresh `streamlit run dashboard.py` answers /chi-tieu with an English "Page not found" dialog
    # and runs /overview without the sign-in gate (ui/routing.py).
    assert not (ROOT / "pages").exists()


def test_every_page_file_lives_in_app_pages_and_exists():
    assert PAGES
    for spec in PAGES:
        assert spec.path.startswith("app_pages/") and (ROOT / spec.path).is_file(), spec.path
