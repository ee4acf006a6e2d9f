"""Reference data as files a person edits: the plan and its targets, the unit registry, the district map;
and bringing a store up to them (`sync`)."""
