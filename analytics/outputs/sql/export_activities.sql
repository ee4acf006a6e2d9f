-- Activity records for a CSV/XLSX export, with the labels a reader needs: exactly the set a page shows, as
-- `filtered` (view_filtered_activities.sql, same parameters) is prepended by analytics/outputs/exports.py. No ORDER BY
-- here: exports.py sorts by date when the export is small enough (sorting a million rows costs about 1 GB).
SELECT f.id AS activity_id, f.unit_code, u.name AS unit_name, d.name AS district_name, g.label AS group_label,
       ty.label AS type_label, f.title, f.activity_date, f.participants, f.location, f.budget_vnd, f.activity_ref,
       f.notes
FROM filtered f
JOIN units u ON u.code = f.unit_code
LEFT JOIN units d ON d.code = u.district_code
LEFT JOIN activity_types ty ON ty.code = f.type_code
LEFT JOIN activity_groups g ON g.code = ty.group_code
