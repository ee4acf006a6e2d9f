"""What leaves the dashboard: activity tables as CSV/XLSX (`exports`) and the results report as Word
(`report_docx`)."""
