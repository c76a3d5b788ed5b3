"""Objects of mutual learning for the access-policy walk: each part appends a provider returning
the URL keyword values its URLs need (keyword names unique across the project)."""
from rete.cases.tests.policy_values import provider  # noqa: F401 (the providers below register with it)

# Each part appends its own providers below.
