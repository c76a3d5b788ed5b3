"""Cooperation protocols, referrals, partner-contact links, multi-agency risk conferences and their actions."""
