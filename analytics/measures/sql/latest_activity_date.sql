-- The latest activity date within the plan period: the default as-of date.
SELECT max(activity_date) FROM current_activities WHERE activity_date BETWEEN $start AND $deadline
