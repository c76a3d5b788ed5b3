"""Risk instruments (definitions as files), assessments, scoring, bands, mandated actions, reassessment."""
