-- Per unit and applicable target: count as of $as_of, minimum, met, progress and the lagging flags.
-- Reads the relation `ledger` (unit_target_ledger.sql of the same plan, or a copy of it the dashboard keeps).
-- Params: $plan_id, $start, $deadline, $as_of, $pace_tolerance, $no_activity_after,
--         $projection_min_elapsed, $silent_days.
WITH clock AS (
    SELECT
        least($as_of::DATE, $deadline::DATE) AS until,
        greatest(least(date_diff('day', $start::DATE, $as_of::DATE) / date_diff('day', $start::DATE, $deadline::DATE), 1.0), 0.0) AS elapsed,
        greatest(date_diff('day', $start::DATE, least($as_of::DATE, $deadline::DATE)) + 1, 1) AS elapsed_days,
        date_diff('day', $start::DATE, $deadline::DATE) + 1 AS total_days,
        $as_of::DATE >= $start::DATE AS started
),
active_units AS (
    SELECT code, name, level, district_code
    FROM units
    WHERE (valid_from IS NULL OR valid_from <= $deadline::DATE)
      AND (valid_to IS NULL OR valid_to >= $start::DATE)
),
applicable AS (
    SELECT u.code AS unit_code, u.name AS unit_name, u.level, u.district_code,
           tg.id AS target_id, tg.minimum, tg.sort_order
    FROM active_units u JOIN targets tg ON tg.plan_id = $plan_id AND tg.level = u.level
),
counts AS (
    SELECT l.unit_code, l.target_id, sum(l.n) AS n
    FROM ledger l, clock
    WHERE l.target_id IS NOT NULL AND l.activity_date <= clock.until
    GROUP BY ALL
),
last_seen AS (
    SELECT l.unit_code, max(l.activity_date) AS last_activity
    FROM ledger l, clock
    WHERE l.target_id IS NULL AND l.activity_date <= clock.until
    GROUP BY ALL
),
scored AS (
    SELECT ap.*, coalesce(c.n, 0)::BIGINT AS count, ls.last_activity, clock.*
    FROM applicable ap
    CROSS JOIN clock
    LEFT JOIN counts c USING (unit_code, target_id)
    LEFT JOIN last_seen ls USING (unit_code)
)
SELECT
    unit_code, unit_name, level, district_code, target_id, minimum, count,
    count >= minimum AS met,
    least(count / minimum, 1.0) AS progress,
    elapsed,
    CASE WHEN until >= $deadline::DATE THEN count
         ELSE floor(count * total_days / elapsed_days)::BIGINT END AS projected,
    last_activity,
    started AND count < minimum AND count / minimum < elapsed - $pace_tolerance AS behind_pace,
    started AND count = 0 AND elapsed >= $no_activity_after AS no_activity,
    started AND count < minimum AND elapsed >= $projection_min_elapsed
        AND (CASE WHEN until >= $deadline::DATE THEN count ELSE floor(count * total_days / elapsed_days) END) < minimum
        AS projected_miss,
    started AND date_diff('day', coalesce(last_activity, $start::DATE - 1), until) > $silent_days AS silent
FROM scored
ORDER BY district_code NULLS FIRST, CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, unit_code, sort_order
