import pytest
from django.http import Http404

from rete.core import audit, selectors
from rete.core.models import Role


@pytest.mark.django_db
def test_member_list_is_the_organisations_members_only(network):
    members = list(selectors.member_list(user=network[Role.ORG_ADMIN], organisation=network.home))
    emails = {m.email for m in members}
    assert network[Role.CASEWORKER].email in emails
    assert network["other_caseworker"].email not in emails and network.outsider.email not in emails
    assert all(m.has_mfa for m in members)


@pytest.mark.django_db
def test_member_get_outside_the_organisation_is_404(network):
    with pytest.raises(Http404):
        selectors.member_get(user=network[Role.ORG_ADMIN], organisation=network.home, member_id=network["other_caseworker"].pk)
    with pytest.raises(Http404):
        selectors.member_get(user=network[Role.ORG_ADMIN], organisation=network.home, member_id="nonsense")


@pytest.mark.django_db
def test_organisation_get_needs_membership_and_capability(network):
    from rete.core import access

    assert selectors.organisation_get(user=network[Role.CASEWORKER], slug="home") == network.home
    with pytest.raises(Http404):
        selectors.organisation_get(user=network[Role.CASEWORKER], slug="home", capability=access.MANAGE_MEMBERS)
    with pytest.raises(Http404):
        selectors.organisation_get(user=network.outsider, slug="home")


@pytest.mark.django_db
def test_audit_scope_of_a_dpo_is_her_organisation_and_its_members(network):
    from rete.core.models import AuditEvent

    before = AuditEvent.objects.count()  # e.g. the instruments installed with the database
    audit.record(action="home.thing", organisation=network.home)
    audit.record(action="other.thing", organisation=network.other)
    audit.record(action="auth.signed_in", actor=network[Role.CASEWORKER])
    audit.record(action="auth.signed_in", actor=network["other_caseworker"])
    seen = list(selectors.audit_event_list(user=network[Role.DPO]).values_list("action", "actor_label"))
    assert ("home.thing", "") in seen and ("auth.signed_in", network[Role.CASEWORKER].email) in seen
    assert ("other.thing", "") not in seen and ("auth.signed_in", network["other_caseworker"].email) not in seen
    with pytest.raises(Http404):
        selectors.audit_event_list(user=network[Role.ORG_ADMIN])
    assert len(selectors.audit_event_list(user=network.superuser)) == before + 4


@pytest.mark.django_db
def test_admin_overview_counts_people_and_missing_second_factors(network):
    from rete.conftest import make_user

    make_user("two-roles@home.example", roles=[Role.CASEWORKER, Role.TRAINER], organisation=network.home, mfa=False)
    [row] = selectors.admin_overview(user=network[Role.ORG_ADMIN])
    assert row["organisation"] == network.home
    assert row["members"] == len(Role.values) + 1 and row["without_mfa"] == 1
