"""Victim-support cases: people, incidents, needs assessment, safety plans, services, legal proceedings, information given, notes, consents."""
