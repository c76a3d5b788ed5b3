"""Risk pages: thin views over rete.risk.selectors and rete.risk.services."""
