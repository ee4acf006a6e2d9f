"""What the figures say: attainment and lagging (`attainment`, with the pandas-free rules in `status`) and
the small frames the leadership pages draw (`views`)."""
