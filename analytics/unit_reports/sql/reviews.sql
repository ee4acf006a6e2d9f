-- The province's reviews of a plan's report versions made up to :at (oldest first: the last one counts).
SELECT v.report_id, v.state, v.reason, v.reviewed_by, v.reviewed_at
FROM unit_report_reviews v JOIN unit_reports r ON r.id = v.report_id
WHERE r.plan_id = $plan_id AND v.reviewed_at <= $at
ORDER BY v.report_id, v.reviewed_at
