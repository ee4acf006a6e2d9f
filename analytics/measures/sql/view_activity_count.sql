-- How many filtered activities there are (the explorer's total).
SELECT count(*) AS total FROM filtered
