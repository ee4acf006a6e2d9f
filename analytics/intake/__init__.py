"""Activities coming in: a submitted CSV/XLSX file read and checked (`check`, `layout`), shown (`display`),
stored or rolled back (`submissions`); the downloadable template and the demo store."""
