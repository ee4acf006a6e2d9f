#!/usr/bin/env bash
# Render the three results reports (a unit, a district, the province) to PDF and PNG pages with LibreOffice
# headless, to look at them as a reader would. Not part of CI: needs Debian's libreoffice-writer and
# poppler-utils (apt-get install libreoffice-writer poppler-utils fonts-liberation).
#
#   scripts/render_report.sh [OUT_DIR] [AS_OF] [UNIT] [DISTRICT]
#   defaults: test-artifacts/report-render 2022-12-15 703 710; DB: $ANTQ_DB, else a fresh demo store in OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-test-artifacts/report-render}
as_of=${2:-2022-12-15}
unit=${3:-703}
district=${4:-710}
python=${PYTHON:-.venv/bin/python}
for tool in soffice pdftoppm; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install libreoffice-writer poppler-utils" >&2; exit 2; }
done
mkdir -p "$out"
db=${ANTQ_DB:-$out/demo.duckdb}
[ -e "$db" ] || "$python" -m analytics demo --db "$db"
declare -A scopes=([unit-$unit]="--unit $unit" [district-$district]="--district $district" [province]="")
for name in "${!scopes[@]}"; do
    # shellcheck disable=SC2086  # the scope's options split on purpose
    "$python" -m analytics export --db "$db" --format docx --as-of "$as_of" ${scopes[$name]} -o "$out/$name.docx"
    # A private LibreOffice profile: a user's open LibreOffice does not block the conversion.
    soffice -env:UserInstallation="file://$(realpath "$out")/.lo-profile" --headless --convert-to pdf \
        --outdir "$out" "$out/$name.docx" >/dev/null
    rm -f "$out/$name"-*.png
    pdftoppm -png -r 70 "$out/$name.pdf" "$out/$name"
    echo "$out/$name.pdf: $(ls "$out/$name"-*.png | wc -l) page(s)"
done
