"""Good practices, seminars, trainings, evaluations, certificates."""
