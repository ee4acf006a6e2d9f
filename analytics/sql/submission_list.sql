-- Every submission, newest first.
SELECT id, created_at, file_name, user_name, encoding, rows, accepted, rejected, duplicates, inserted, updated,
       status, rolled_back_at, rolled_back_by, sha256
FROM submissions
ORDER BY id DESC
