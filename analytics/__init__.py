"""Analytics core of the ANTQ 2022 dashboard: everything that is true without Streamlit."""
