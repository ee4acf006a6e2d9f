-- Audit log entries, newest first. $start/$end: days (inclusive) or NULL; $actor: exact name or NULL;
-- $actions: list of action codes or NULL.
SELECT id, occurred_at, actor, action, detail
FROM audit_log
WHERE ($start IS NULL OR occurred_at >= $start::DATE)
  AND ($end IS NULL OR occurred_at < $end::DATE + INTERVAL 1 DAY)
  AND ($actor IS NULL OR actor = $actor)
  AND ($actions IS NULL OR list_contains($actions::VARCHAR[], action))
ORDER BY occurred_at DESC, id DESC
LIMIT $limit
