INSERT INTO unit_report_reviews (report_id, state, reason, reviewed_by, reviewed_at)
VALUES ($report_id, $state, $reason, $reviewed_by, $reviewed_at)
