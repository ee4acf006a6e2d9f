-- Activities counted from the plan's start to the as-of date (capped at the deadline): status --json's total.
SELECT count(*) FROM current_activities WHERE activity_date BETWEEN $start AND least($as_of::DATE, $deadline::DATE)
