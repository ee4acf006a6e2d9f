"""Analytics core of the ANTQ 2022 dashboard: everything that is true without Streamlit, by capability.

    core/          settings, string catalogues (i18n), Vietnamese text
    store/         the DuckDB store (Database), named queries (sql), migrations
    reference/     plan, unit registry, district map, their sync into a store
    context.py     open_context(): settings + plan + registry + store, for a page or a command
    access/        accounts and roles, sign-in sessions, the audit log
    measures/      attainment and lagging, the status rules and words, the leadership pages' frames
    intake/        submitted files checked and stored or rolled back, the template, the demo store
    outputs/       CSV/XLSX exports, the Word results report
    unit_reports/  the year-end reports cycle
    cli/           `python -m analytics`, one module per command group

Dependencies point up this list (a package imports only those above it); nothing here imports cli/ or streamlit.
"""
