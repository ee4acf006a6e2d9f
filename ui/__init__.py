"""Streamlit-side helpers shared by the pages: cached store access, view state, charts."""
