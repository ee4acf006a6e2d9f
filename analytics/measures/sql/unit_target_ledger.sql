-- The plan period's activities boiled down for unit_targets.sql: per unit and day, how many count toward each
-- target (target_id NULL: how many of any type, for the unit's last activity). A few hundred thousand rows
-- whatever the store holds, and independent of the as-of date, so a page computes it once per store version.
-- Params: $plan_id, $start, $deadline.
SELECT a.unit_code, tt.target_id, a.activity_date, count(*) AS n
FROM current_activities a JOIN target_types tt ON tt.plan_id = $plan_id AND tt.type_code = a.type_code
WHERE a.activity_date BETWEEN $start::DATE AND $deadline::DATE
GROUP BY ALL
UNION ALL
SELECT unit_code, NULL, activity_date, count(*)
FROM current_activities
WHERE activity_date BETWEEN $start::DATE AND $deadline::DATE
GROUP BY ALL
