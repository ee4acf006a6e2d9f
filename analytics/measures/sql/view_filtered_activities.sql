-- The activities a leadership page shows (and an export writes): current versions dated in [$lo, $hi], narrowed
-- by the view's filters. Every filter is optional: NULL (or an empty list) means "all". $text is already folded (analytics.text.fold)
-- and matches the title, the unit's name or the type's label. Filters are semi-joins on the small reference
-- tables, so the million-row scan carries no join. Used as the CTE `filtered` by the other view_*.sql queries.
SELECT a.id, a.unit_code, a.type_code, a.title, a.activity_date, a.participants, a.location, a.budget_vnd,
       a.activity_ref, a.notes
FROM current_activities a
WHERE a.activity_date BETWEEN coalesce($lo::DATE, DATE '0001-01-01') AND coalesce($hi::DATE, DATE '9999-12-31')
  AND ($district::VARCHAR IS NULL
       OR a.unit_code IN (SELECT code FROM units WHERE district_code = $district::VARCHAR))
  AND ($group_code::VARCHAR IS NULL
       OR a.type_code IN (SELECT code FROM activity_types WHERE group_code = $group_code::VARCHAR))
  AND ($unit::VARCHAR IS NULL OR a.unit_code = $unit::VARCHAR)
  AND ($level::VARCHAR IS NULL OR a.unit_code IN (SELECT code FROM units WHERE level = $level::VARCHAR))
  AND (len(coalesce($types::VARCHAR[], [])) = 0 OR list_contains($types::VARCHAR[], a.type_code))
  AND ($text::VARCHAR IS NULL
       OR contains(a.title_key, $text::VARCHAR)
       OR a.unit_code IN (SELECT code FROM units WHERE contains(name_key, $text::VARCHAR))
       OR a.type_code IN (SELECT code FROM activity_types WHERE contains(label_key, $text::VARCHAR)))
