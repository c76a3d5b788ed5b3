import pytest

from rete.conftest import client_for
from rete.core import audit
from rete.core.access_policy import NAMESPACE_POLICY, PERSONAS, POLICY
from rete.core.tests.urlwalk import build, url_names


def _covered(name):
    return name in POLICY or name.split(":")[0] in NAMESPACE_POLICY


def test_every_url_is_in_the_policy_table():
    missing = [name for name in url_names() if not _covered(name)]
    assert not missing, f"URLs missing from rete/core/access_policy.py: {missing}"


def test_the_policy_table_names_no_url_that_does_not_exist():
    names = set(url_names())
    assert not [name for name in POLICY if name not in names]


# Every URL of the project with every persona (some thousands of requests): longer than the
# suite's per-test limit on a two-core machine.
@pytest.mark.timeout(2400)
@pytest.mark.django_db
def test_every_url_answers_every_persona_as_the_policy_says(network):
    from rete.cases.tests.helpers import open_case

    event = audit.record(action="test.event", organisation=network.home)
    case = open_case(network["caseworker"], network.home)
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network["supervisor"])
    values = {
        "org": network.home.slug,
        "member_id": network["caseworker"].pk,
        "seq": event.seq,
        "token": "not-a-stash",
        "key": "not-a-key",
        "uidb36": "1",
        "pk": case.pk,
        "form": "safety_plan",
    }
    from rete.cases.tests.policy_values import case_file_values
    from rete.network.tests import policy_values as _network_values  # noqa: F401 (registers its providers)
    from rete.portal.tests import policy_values as _portal_values  # noqa: F401 (registers its providers)
    from rete.programmes.tests import policy_values as _programme_values  # noqa: F401 (registers its providers)
    from rete.learning.tests import policy_values as _learning_values  # noqa: F401 (registers its providers)

    values.update(case_file_values(network, case))
    personas = {"anonymous": None, "outsider": network.outsider, "superuser": network.superuser}
    personas.update({role: network[role] for role in PERSONAS if role not in personas})
    table = dict(POLICY)
    for _namespace, (name, expected) in NAMESPACE_POLICY.items():
        table[name] = expected
    mismatches = []
    for name, expected in sorted(table.items()):
        path = build(name, values)
        for persona in PERSONAS:
            status = client_for(personas[persona]).get(path).status_code
            if status != expected[persona]:
                mismatches.append(f"{name} {path} as {persona}: expected {expected[persona]}, got {status}")
    assert not mismatches, "\n".join(mismatches)
