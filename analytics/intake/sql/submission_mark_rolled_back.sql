UPDATE submissions SET status = 'rolled_back', rolled_back_at = current_localtimestamp(), rolled_back_by = $user_name
WHERE id = $submission_id
