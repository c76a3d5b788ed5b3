import pytest
from django.core import mail
from django.http import Http404

from rete.core import services
from rete.core.models import AuditEvent, Membership, Role, User


@pytest.mark.django_db
def test_invite_creates_account_memberships_audit_and_email(network, django_capture_on_commit_callbacks):
    admin = network[Role.ORG_ADMIN]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.member_invite(
            by=admin, organisation=network.home, email="New.Person@home.example", first_name="Nora",
            last_name="Vella", roles=[Role.CASEWORKER], language="it",
        )
    assert result.created and result.member.email == "new.person@home.example"
    assert not result.member.has_usable_password()
    assert list(Membership.objects.filter(user=result.member).values_list("role", flat=True)) == [Role.CASEWORKER]
    event = AuditEvent.objects.get(action="member.invited")
    assert event.actor == admin and event.organisation == network.home
    assert "Nora" not in str(event.detail) and "Vella" not in str(event.detail)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@home.example"]


@pytest.mark.django_db
def test_invite_existing_account_adds_roles_only(network):
    person = network["other_caseworker"]
    result = services.member_invite(
        by=network[Role.ORG_ADMIN], organisation=network.home, email=person.email, first_name="x", last_name="y",
        roles=[Role.TRAINER], language="en",
    )
    assert not result.created
    assert Membership.objects.filter(user=person, organisation=network.home, role=Role.TRAINER).exists()
    assert User.objects.get(pk=person.pk).first_name != "x"


@pytest.mark.django_db
def test_only_the_organisations_admins_may_manage_members(network):
    for intruder in (network.outsider, network[Role.SUPERVISOR], network[Role.DPO]):
        with pytest.raises(Http404):
            services.member_invite(by=intruder, organisation=network.home, email="x@x.example", first_name="x",
                                   last_name="x", roles=[Role.CASEWORKER], language="en")
        with pytest.raises(Http404):
            services.member_remove(by=intruder, organisation=network.home, member=network[Role.CASEWORKER])


@pytest.mark.django_db
def test_update_changes_details_and_roles_and_bumps_the_version(network):
    member = network[Role.CASEWORKER]
    updated = services.member_update(
        by=network[Role.ORG_ADMIN], organisation=network.home, member=member, version=member.version,
        first_name="Anna", last_name="Rossi", phone="+39 02 1234", language="it", roles=[Role.SUPERVISOR],
    )
    assert updated.version == member.version + 1 and updated.phone == "+39 02 1234"
    assert set(Membership.objects.filter(user=member, organisation=network.home, ended_at__isnull=True).values_list("role", flat=True)) == {Role.SUPERVISOR}
    event = AuditEvent.objects.get(action="member.updated")
    assert event.detail == {"fields": ["first_name", "language", "last_name", "phone"], "roles_added": [Role.SUPERVISOR], "roles_removed": [Role.CASEWORKER]}
    assert "+39" not in str(event.detail)


@pytest.mark.django_db
def test_a_stale_update_is_refused_and_nothing_changes(network):
    member = network[Role.CASEWORKER]
    admin = network[Role.ORG_ADMIN]
    services.member_update(by=admin, organisation=network.home, member=member, version=1, first_name="First",
                           last_name="Save", phone="", language="en", roles=[Role.CASEWORKER])
    with pytest.raises(services.StaleEdit) as exc:
        services.member_update(by=admin, organisation=network.home, member=member, version=1, first_name="Second",
                               last_name="Save", phone="", language="en", roles=[Role.TRAINER])
    assert exc.value.current.first_name == "First"
    assert User.objects.get(pk=member.pk).first_name == "First"
    assert Membership.objects.filter(user=member, role=Role.CASEWORKER, ended_at__isnull=True).exists()


@pytest.mark.django_db
def test_an_admin_cannot_drop_her_own_admin_role_or_remove_herself(network):
    admin = network[Role.ORG_ADMIN]
    with pytest.raises(services.ServiceError):
        services.member_update(by=admin, organisation=network.home, member=admin, version=admin.version,
                               first_name="a", last_name="b", phone="", language="en", roles=[Role.CASEWORKER])
    with pytest.raises(services.ServiceError):
        services.member_remove(by=admin, organisation=network.home, member=admin)


@pytest.mark.django_db
def test_remove_ends_memberships_but_keeps_the_account(network):
    member = network[Role.CASEWORKER]
    services.member_remove(by=network[Role.ORG_ADMIN], organisation=network.home, member=member)
    assert not Membership.objects.filter(user=member, ended_at__isnull=True).exists()
    assert Membership.objects.filter(user=member).exists()
    assert User.objects.filter(pk=member.pk, is_active=True).exists()
    assert AuditEvent.objects.filter(action="member.removed", object_id=str(member.pk)).exists()


@pytest.mark.django_db
def test_unknown_roles_are_refused(network):
    with pytest.raises(services.ServiceError):
        services.member_invite(by=network[Role.ORG_ADMIN], organisation=network.home, email="z@z.example",
                               first_name="z", last_name="z", roles=["emperor"], language="en")
