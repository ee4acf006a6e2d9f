"""The store: one DuckDB file (`Database`: leases, one writer, read cursors), its migrations, and `sql(name)`
for the named queries each capability keeps in its own sql/ folder."""
