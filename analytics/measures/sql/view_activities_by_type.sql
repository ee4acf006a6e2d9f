-- Filtered activities per activity type, in taxonomy order (every type listed, zero when none).
SELECT g.code AS group_code, g.label AS group_label, ty.code AS type_code, ty.label AS type_label,
       coalesce(c.activities, 0)::BIGINT AS activities, coalesce(c.participants, 0)::BIGINT AS participants
FROM activity_types ty
JOIN activity_groups g ON g.code = ty.group_code
LEFT JOIN (
    SELECT type_code, count(*) AS activities, sum(participants) AS participants FROM filtered GROUP BY ALL
) c ON c.type_code = ty.code
ORDER BY g.sort_order, ty.sort_order
