-- Activity records for a CSV/XLSX export, with the labels a reader needs. No ORDER BY here: analytics/exports.py
-- sorts by date when the export is small enough (sorting a million rows costs DuckDB about 1 GB of memory).
-- Same filter parameters as view_filtered_activities.sql (so a page's filter exports as shown); NULL or an
-- empty list means "all": $lo, $hi, $district, $group_code, $unit, $level, $types, $text (already folded).
SELECT a.id AS activity_id, a.unit_code, u.name AS unit_name, d.name AS district_name, g.label AS group_label, ty.label AS type_label,
       a.title, a.activity_date, a.participants, a.location, a.budget_vnd, a.activity_ref, a.notes
FROM current_activities a
JOIN units u ON u.code = a.unit_code
LEFT JOIN units d ON d.code = u.district_code
LEFT JOIN activity_types ty ON ty.code = a.type_code
LEFT JOIN activity_groups g ON g.code = ty.group_code
WHERE ($lo::DATE IS NULL OR a.activity_date >= $lo::DATE)
  AND ($hi::DATE IS NULL OR a.activity_date <= $hi::DATE)
  AND ($district::VARCHAR IS NULL OR u.district_code = $district::VARCHAR)
  AND ($group_code::VARCHAR IS NULL OR ty.group_code = $group_code::VARCHAR)
  AND ($unit::VARCHAR IS NULL OR a.unit_code = $unit::VARCHAR)
  AND ($level::VARCHAR IS NULL OR u.level = $level::VARCHAR)
  AND (len(coalesce($types::VARCHAR[], [])) = 0 OR list_contains($types::VARCHAR[], a.type_code))
  AND ($text::VARCHAR IS NULL
       OR contains(a.title_key, $text::VARCHAR)
       OR contains(u.name_key, $text::VARCHAR)
       OR contains(coalesce(ty.label_key, ''), $text::VARCHAR))
