-- Activities and participants per activity type for the report, every type of the taxonomy (zeros included).
-- Params: $units (the unit codes the report covers), $start, $until (dates counted, inclusive).
WITH counted AS (
    SELECT type_code, count(*) AS activities, coalesce(sum(participants), 0) AS participants
    FROM current_activities
    WHERE list_contains($units::VARCHAR[], unit_code) AND activity_date BETWEEN $start::DATE AND $until::DATE
    GROUP BY ALL
)
SELECT g.code AS group_code, g.label AS group_label, ty.code AS type_code, ty.label AS type_label,
       coalesce(c.activities, 0)::BIGINT AS activities, coalesce(c.participants, 0)::BIGINT AS participants
FROM activity_types ty
JOIN activity_groups g ON g.code = ty.group_code
LEFT JOIN counted c ON c.type_code = ty.code
ORDER BY g.sort_order, ty.sort_order
