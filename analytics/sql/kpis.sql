-- Headline figures for the activities dated in the plan period up to $as_of.
SELECT count(*) AS activities,
       coalesce(sum(participants), 0) AS participants,
       count(DISTINCT unit_code) AS reporting_units
FROM current_activities
WHERE activity_date BETWEEN $start::DATE AND least($as_of::DATE, $deadline::DATE)
