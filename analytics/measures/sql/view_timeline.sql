-- Filtered activities per period ($grain: 'week' or 'month'); periods without activity are filled in Python.
SELECT date_trunc($grain::VARCHAR, activity_date)::DATE AS period, count(*) AS activities,
       coalesce(sum(participants), 0) AS participants
FROM filtered
GROUP BY ALL
ORDER BY period
