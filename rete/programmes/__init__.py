"""Perpetrator programmes: referrals, mandates, assessments, pathways, groups, sessions, attendance, compliance, outcomes, court reports."""
