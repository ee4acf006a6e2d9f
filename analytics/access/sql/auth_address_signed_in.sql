-- A sign-in from an address takes one failure off it (an office shares one address). ? = key.
UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE name_key = ?
