-- One page of filtered activities, newest first, with unit and type names.
SELECT f.id, f.activity_date, f.unit_code, u.name AS unit_name, ty.label AS type_label, g.label AS group_label,
       f.title, f.participants, f.location, f.budget_vnd
FROM (SELECT * FROM filtered ORDER BY activity_date DESC, id DESC LIMIT $limit OFFSET $offset) f
LEFT JOIN units u ON u.code = f.unit_code
LEFT JOIN activity_types ty ON ty.code = f.type_code
LEFT JOIN activity_groups g ON g.code = ty.group_code
ORDER BY f.activity_date DESC, f.id DESC
