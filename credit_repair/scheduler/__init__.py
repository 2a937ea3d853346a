"""APScheduler wiring: one job per pending deadline, a sweep, and a leader lock."""
