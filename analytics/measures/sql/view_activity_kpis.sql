-- Headline figures of the filtered activities (CTE `filtered`).
SELECT count(*) AS activities,
       coalesce(sum(participants), 0) AS participants,
       count(DISTINCT unit_code) AS reporting_units,
       max(activity_date) AS last_activity
FROM filtered
