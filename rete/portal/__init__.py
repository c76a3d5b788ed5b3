"""Public pages, service directory, self-check, campaigns, events, materials."""
