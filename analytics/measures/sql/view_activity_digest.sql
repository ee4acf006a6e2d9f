-- One scan of the filtered activities for a page's headline figures, types and timeline:
-- per (type, day) counts and participants, and per (unit, day) counts (GROUPING SETS: `unit_code` is NULL on
-- the first kind of row, `type_code` on the second). Tens of thousands of rows whatever the size of the store,
-- and per day, so a page can cut the same digest at any as-of date.
SELECT type_code, activity_date, unit_code, count(*) AS activities, coalesce(sum(participants), 0) AS participants
FROM filtered
GROUP BY GROUPING SETS ((type_code, activity_date), (unit_code, activity_date))
