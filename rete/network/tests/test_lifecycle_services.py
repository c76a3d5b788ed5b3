"""The life of a protocol version in services: circulation, comments, sign-off online and on
paper, reopening, adoption (every party, one version in force), the next version as a deep copy,
the review reminder; every refusal, and what the audit trail and the e-mails carry."""
import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from rete.conftest import make_organisation, make_user
from rete.core.models import AuditEvent, Role
from rete.core.services import ServiceError, StaleEdit
from rete.network import tasks, texts
from rete.network.models import (
    SECTION_FIELDS,
    Pathway,
    PathwayStep,
    ProtocolComment,
    ProtocolParty,
    ProtocolVersion,
    SharingRule,
    VersionStatus,
)
from rete.network.services import lifecycle
from rete.network.tests.factories_lifecycle import adopt, adopted_version, circulate, make_version, sign_all

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TODAY = datetime.date.today


@pytest.fixture
def coordinator(network):
    return network[Role.NETWORK_COORDINATOR]


@pytest.fixture
def draft(network, coordinator):
    """Coordinated by the home organisation; the other organisation is the second party."""
    return make_version(network.home, parties=[network.other], by=coordinator)


def soon(days=14):
    return timezone.localdate() + datetime.timedelta(days=days)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def party_of(version, organisation):
    return ProtocolParty.objects.select_related("version__protocol", "organisation").get(version=version, organisation=organisation)


# ---- circulation -----------------------------------------------------------------------------

def test_circulating_freezes_the_draft_and_tells_each_partys_people(network, coordinator, draft, django_capture_on_commit_callbacks):
    other_admin = network["other_" + Role.ORG_ADMIN]
    other_admin.language = "it"
    other_admin.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        version = lifecycle.version_circulate(by=coordinator, version=draft, comments_until=soon(), seen=draft.version)
    assert version.status == VersionStatus.CIRCULATING and version.circulated_at is not None
    assert version.comments_until == soon()
    (event,) = events("network.version_circulated")
    assert event.actor == coordinator and event.organisation == network.home
    assert event.detail == {"protocol": draft.protocol_id, "number": 1, "parties": 2, "comments_until": soon().isoformat()}
    # The comment and sign roles of both parties, once each; nobody else.
    expected = {network[role].email for role in (Role.ORG_ADMIN, Role.SUPERVISOR, Role.NETWORK_COORDINATOR)}
    expected |= {network["other_" + role].email for role in (Role.ORG_ADMIN, Role.SUPERVISOR, Role.NETWORK_COORDINATOR)}
    expected.add(network.outsider.email)  # admin of the other organisation
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    by_address = {m.to[0]: m for m in mail.outbox}
    italian = by_address[other_admin.email]
    assert "Protocollo della rete antiviolenza di Esempio" in italian.subject
    assert f"/it/network/protocols/versions/{draft.pk}/" in italian.body
    english = by_address[network[Role.SUPERVISOR].email]
    assert "Protocollo della rete antiviolenza di Esempio (en)" in english.subject
    assert f"/en/network/protocols/versions/{draft.pk}/" in english.body
    assert "version 1" in english.subject


def test_only_the_coordinators_of_the_coordinating_organisation_circulate(network, draft):
    for person in (network[Role.ORG_ADMIN], network[Role.SUPERVISOR], network["other_" + Role.NETWORK_COORDINATOR],
                   network.outsider, network.superuser):
        with pytest.raises(Http404):
            lifecycle.version_circulate(by=person, version=draft, comments_until=soon())
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_circulation_refusals(network, coordinator, draft):
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=None)
    assert refused.value.field == "comments_until"
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=timezone.localdate() - datetime.timedelta(days=1))
    assert refused.value.field == "comments_until"
    with pytest.raises(StaleEdit):
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=soon(), seen=draft.version + 1)
    # The purpose is needed in the language the protocol is written in (Italian), not only in English.
    ProtocolVersion.objects.filter(pk=draft.pk).update(purpose_it="")
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=soon())
    assert "purpose" in refused.value.message and "Italian" in refused.value.message
    ProtocolVersion.objects.filter(pk=draft.pk).update(purpose_it="Scopo.")
    ProtocolParty.objects.filter(version=draft).delete()
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=soon())
    assert "party" in refused.value.message
    assert not events("network.version_circulated")


def test_a_circulating_version_is_not_circulated_again(coordinator, draft):
    circulate(draft, coordinator)
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_circulate(by=coordinator, version=draft, comments_until=soon())
    assert "Only a draft" in refused.value.message


# ---- comments --------------------------------------------------------------------------------

def test_a_partys_commenter_comments_while_it_circulates(network, coordinator, draft):
    circulate(draft, coordinator)
    supervisor = network["other_" + Role.SUPERVISOR]
    comment = lifecycle.comment_add(by=supervisor, version=draft, section="pathways", text="  Secret remark on the pathways.  ")
    assert comment.organisation == network.other and comment.author == supervisor
    assert comment.text == "Secret remark on the pathways." and comment.section == "pathways"
    general = lifecycle.comment_add(by=network[Role.ORG_ADMIN], version=draft, section="", text="Fine for us.")
    assert general.section == "general" and general.organisation == network.home
    (event, _second) = events("network.comment_added")
    assert event.organisation == network.other
    assert event.detail == {"protocol": draft.protocol_id, "version": draft.pk, "number": 1, "section": "pathways"}
    assert "Secret" not in str(event.detail)


def test_comment_refusals(network, coordinator, draft):
    supervisor = network["other_" + Role.SUPERVISOR]
    with pytest.raises(ServiceError):  # a draft takes no comments
        lifecycle.comment_add(by=supervisor, version=draft, text="Too early.")
    circulate(draft, coordinator)
    with pytest.raises(ServiceError) as refused:
        lifecycle.comment_add(by=supervisor, version=draft, section="nowhere", text="Where?")
    assert refused.value.field == "section"
    with pytest.raises(ServiceError) as refused:
        lifecycle.comment_add(by=supervisor, version=draft, section="purpose", text="   ")
    assert refused.value.field == "text"
    with pytest.raises(ServiceError):
        lifecycle.comment_add(by=supervisor, version=draft, text="x" * (lifecycle.COMMENT_MAX_CHARS + 1))
    third = make_organisation("third")
    for person in (network["other_" + Role.CASEWORKER], network["other_" + Role.DPO], network.superuser,
                   make_user("sup@third.example", roles=[Role.SUPERVISOR], organisation=third)):
        with pytest.raises(Http404):
            lifecycle.comment_add(by=person, version=draft, text="Not a party.")
    assert not ProtocolComment.objects.exists()


# ---- sign-off --------------------------------------------------------------------------------

def test_a_party_signs_off_online(network, coordinator, draft):
    circulate(draft, coordinator)
    party = party_of(draft, network.other)
    ProtocolParty.objects.filter(pk=party.pk).update(signatory_name="")
    party.signatory_name = ""
    admin = network["other_" + Role.ORG_ADMIN]
    with pytest.raises(ServiceError) as refused:
        lifecycle.party_sign(by=admin, party=party, confirm=False)
    assert refused.value.field == "confirm"
    signed = lifecycle.party_sign(by=admin, party=party, confirm=True)
    assert signed.signed_off_at is not None and signed.signed_off_by == admin
    assert signed.signatory_name == admin.get_full_name()
    (event,) = events("network.party_signed")
    assert event.actor == admin and event.organisation == network.other
    assert event.detail["party"] == party.pk and event.detail["organisation"] == network.other.pk
    with pytest.raises(ServiceError) as refused:
        lifecycle.party_sign(by=network["other_" + Role.NETWORK_COORDINATOR], party=party, confirm=True)
    assert "already signed off" in refused.value.message


def test_only_who_signs_for_that_party_signs_it_off(network, coordinator, draft):
    circulate(draft, coordinator)
    other_party, home_party = party_of(draft, network.other), party_of(draft, network.home)
    for person in (network["other_" + Role.SUPERVISOR], network["other_" + Role.CASEWORKER], network[Role.ORG_ADMIN],
                   coordinator, network.superuser):
        with pytest.raises(Http404):
            lifecycle.party_sign(by=person, party=other_party, confirm=True)
    with pytest.raises(Http404):
        lifecycle.party_sign(by=network["other_" + Role.ORG_ADMIN], party=home_party, confirm=True)
    assert not ProtocolParty.objects.filter(signed_off_at__isnull=False).exists()


def test_no_sign_off_on_a_draft(network, coordinator, draft):
    with pytest.raises(ServiceError):
        lifecycle.party_sign(by=network["other_" + Role.ORG_ADMIN], party=party_of(draft, network.other), confirm=True)
    with pytest.raises(ServiceError):
        lifecycle.party_sign_record(by=coordinator, party=party_of(draft, network.other), signed_on=timezone.localdate(),
                                    signatory_name="Anna")


def test_the_coordinator_records_a_sign_off_on_paper(network, coordinator, draft):
    circulate(draft, coordinator)
    party = party_of(draft, network.other)
    with pytest.raises(ServiceError) as refused:
        lifecycle.party_sign_record(by=coordinator, party=party, signed_on=timezone.localdate() + datetime.timedelta(days=1),
                                    signatory_name="Anna Rossi")
    assert refused.value.field == "signed_on"
    with pytest.raises(ServiceError) as refused:
        lifecycle.party_sign_record(by=coordinator, party=party, signed_on=timezone.localdate(), signatory_name=" ")
    assert refused.value.field == "signatory_name"
    for person in (network["other_" + Role.ORG_ADMIN], network[Role.ORG_ADMIN], network.superuser):
        with pytest.raises(Http404):
            lifecycle.party_sign_record(by=person, party=party, signed_on=timezone.localdate(), signatory_name="Anna Rossi")
    day = timezone.localdate() - datetime.timedelta(days=2)
    signed = lifecycle.party_sign_record(by=coordinator, party=party, signed_on=day, signatory_name="Anna Rossi",
                                         signatory_title="Direttrice")
    assert timezone.localtime(signed.signed_off_at).date() == day
    assert signed.signed_off_by is None  # on paper: no signing account
    assert (signed.signatory_name, signed.signatory_title) == ("Anna Rossi", "Direttrice")
    (event,) = events("network.party_sign_recorded")
    assert event.actor == coordinator and event.organisation == network.home
    assert event.detail["signed_on"] == day.isoformat() and event.detail["organisation"] == network.other.pk


# ---- reopening -------------------------------------------------------------------------------

def test_reopening_keeps_the_comments_and_clears_the_sign_offs(network, coordinator, draft):
    circulate(draft, coordinator)
    lifecycle.comment_add(by=network["other_" + Role.SUPERVISOR], version=draft, text="Please change the pathway.")
    lifecycle.party_sign(by=network["other_" + Role.ORG_ADMIN], party=party_of(draft, network.other), confirm=True)
    for person in (network["other_" + Role.ORG_ADMIN], network[Role.ORG_ADMIN]):
        with pytest.raises(Http404):
            lifecycle.version_reopen(by=person, version=draft)
    reopened = lifecycle.version_reopen(by=coordinator, version=draft)
    assert reopened.status == VersionStatus.DRAFT
    assert not ProtocolParty.objects.filter(version=draft, signed_off_at__isnull=False).exists()
    assert ProtocolComment.objects.filter(version=draft).count() == 1
    (event,) = events("network.version_reopened")
    assert event.detail == {"protocol": draft.protocol_id, "number": 1, "sign_offs_cleared": 1, "comments": 1}
    with pytest.raises(ServiceError):
        lifecycle.version_reopen(by=coordinator, version=draft)
    # Circulated again: the parties sign off again.
    again = circulate(reopened, coordinator)
    assert again.status == VersionStatus.CIRCULATING


# ---- adoption --------------------------------------------------------------------------------

def test_adoption_needs_every_party_and_names_the_missing_ones(network, coordinator, draft):
    third = make_organisation("third", name="Third Shelter")
    ProtocolParty.objects.create(version=draft, organisation=third)
    circulate(draft, coordinator)
    lifecycle.party_sign(by=network["other_" + Role.ORG_ADMIN], party=party_of(draft, network.other), confirm=True)
    with pytest.raises(ServiceError) as refused:
        adopt(draft, coordinator)
    assert "Home" in refused.value.message and "Third" in refused.value.message and "Other" not in refused.value.message
    sign_all(draft, coordinator)
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_adopt(by=coordinator, version=draft, review_date=None)
    assert refused.value.field == "review_date"
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_adopt(by=coordinator, version=draft, review_date=timezone.localdate())
    assert refused.value.field == "review_date"
    with pytest.raises(Http404):
        lifecycle.version_adopt(by=network[Role.ORG_ADMIN], version=draft, review_date=soon(400))
    adopted = lifecycle.version_adopt(by=coordinator, version=draft, review_date=soon(700))
    assert adopted.status == VersionStatus.ADOPTED and adopted.adopted_at is not None and adopted.review_date == soon(700)
    (event,) = events("network.version_adopted")
    assert event.detail == {"protocol": draft.protocol_id, "number": 1, "parties": 3, "review_date": soon(700).isoformat(),
                            "supersedes": None}
    with pytest.raises(ServiceError):
        adopt(adopted, coordinator)


def test_a_draft_is_not_adopted(coordinator, draft):
    with pytest.raises(ServiceError) as refused:
        adopt(draft, coordinator)
    assert "circulating" in refused.value.message


def test_adopting_the_next_version_supersedes_the_one_in_force(network, coordinator):
    first = adopted_version(network.home, coordinator, parties=[network.other])
    second = lifecycle.version_new(by=coordinator, protocol=first.protocol)
    circulate(second, coordinator)
    sign_all(second, coordinator)
    adopt(second, coordinator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_at is not None
    assert first.adopted_at is not None  # history is kept
    assert second.status == VersionStatus.ADOPTED
    (event,) = events("network.version_superseded")
    assert event.detail == {"protocol": first.protocol_id, "number": 1, "by_number": 2}
    assert events("network.version_adopted")[-1].detail["supersedes"] == 1
    # The database allows one adopted version per protocol.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolVersion.objects.filter(pk=first.pk).update(status=VersionStatus.ADOPTED)


def test_default_review_date_is_two_years_later():
    assert lifecycle.default_review_date(datetime.date(2026, 3, 1)) == datetime.date(2028, 3, 1)
    assert lifecycle.default_review_date(datetime.date(2028, 2, 29)) == datetime.date(2030, 2, 28)


# ---- a new version ---------------------------------------------------------------------------

def _snapshot(version) -> dict:
    """Every stored value of a version and of what hangs from it."""
    def values(queryset):
        columns = [field.attname for field in queryset.model._meta.concrete_fields]
        return list(queryset.order_by("pk").values(*columns))

    return {
        "version": values(ProtocolVersion.objects.filter(pk=version.pk))[0],
        "parties": values(ProtocolParty.objects.filter(version=version)),
        "pathways": values(Pathway.objects.filter(version=version)),
        "steps": values(PathwayStep.objects.filter(pathway__version=version)),
        "rules": values(SharingRule.objects.filter(version=version)),
        "comments": values(ProtocolComment.objects.filter(version=version)),
    }


def test_a_new_version_is_a_deep_copy_and_leaves_the_old_one_untouched(network, coordinator):
    first = adopted_version(network.home, coordinator, parties=[network.other])
    ProtocolVersion.objects.filter(pk=first.pk).update(purpose_el="Σκοπός.", annexes_cs="Přílohy.")
    before = _snapshot(first)
    second = lifecycle.version_new(by=coordinator, protocol=first.protocol)
    assert _snapshot(first) == before
    assert (second.number, second.status, second.source_language) == (2, VersionStatus.DRAFT, "it")
    assert second.created_by == coordinator and second.review_date is None and second.adopted_at is None
    second = ProtocolVersion.objects.get(pk=second.pk)
    for field in SECTION_FIELDS:
        for code in texts.LANGUAGE_CODES:
            assert getattr(second, texts.column(field, code)) == before["version"][texts.column(field, code)]
    assert second.purpose_el == "Σκοπός." and second.annexes_cs == "Přílohy."
    assert second.purpose_it.startswith("Testo italiano") and second.purpose_en.startswith("English text")
    parties = list(ProtocolParty.objects.filter(version=second).order_by("pk"))
    assert [p.organisation_id for p in parties] == [network.home.pk, network.other.pk]
    assert all(p.signed_off_at is None and p.signed_off_by is None for p in parties)
    assert parties[1].role_it == "Ruolo di other" and parties[1].role_en == "Role of other"
    assert parties[1].signatory_name == "Signatory 1"
    pathway = Pathway.objects.get(version=second)
    assert (pathway.name_it, pathway.name_en, pathway.urgent, pathway.entry_point) == (
        "Allontanamento urgente", "Urgent removal", True, "police")
    steps = list(pathway.steps.order_by("position"))
    assert [(s.action_it, s.action_en, s.time_limit_hours, s.responsible_kind) for s in steps] == [
        ("Passo 1", "Step 1", 4, "police"), ("Passo 2", "Step 2", 72, "victim_support")]
    rule = SharingRule.objects.get(version=second)
    assert (rule.categories, rule.legal_basis, rule.note_it, rule.note_en) == (
        ["identity", "risk"], "consent", "Solo con consenso.", "Only with consent.")
    assert not ProtocolComment.objects.filter(version=second).exists()
    (event,) = events("network.version_created")
    assert event.detail == {"protocol": first.protocol_id, "number": 2, "from_number": 1, "parties": 2, "pathways": 1,
                            "sharing_rules": 1}
    # Editing the copy leaves the adopted text alone.
    ProtocolVersion.objects.filter(pk=second.pk).update(purpose_it="Nuovo scopo.")
    assert ProtocolVersion.objects.get(pk=first.pk).purpose_it.startswith("Testo italiano")


def test_one_open_version_at_a_time(network, coordinator, draft):
    with pytest.raises(ServiceError) as refused:
        lifecycle.version_new(by=coordinator, protocol=draft.protocol)
    assert "Version 1" in refused.value.message
    circulate(draft, coordinator)
    with pytest.raises(ServiceError):
        lifecycle.version_new(by=coordinator, protocol=draft.protocol)
    for person in (network[Role.ORG_ADMIN], network["other_" + Role.NETWORK_COORDINATOR]):
        with pytest.raises(Http404):
            lifecycle.version_new(by=person, protocol=draft.protocol)
    assert ProtocolVersion.objects.filter(protocol=draft.protocol).count() == 1


def test_the_new_version_starts_from_the_one_in_force(network, coordinator):
    first = adopted_version(network.home, coordinator, parties=[network.other])
    second = lifecycle.version_new(by=coordinator, protocol=first.protocol)
    ProtocolVersion.objects.filter(pk=second.pk).update(purpose_it="Bozza abbandonata.")
    circulate(ProtocolVersion.objects.get(pk=second.pk), coordinator)
    sign_all(second, coordinator)
    adopt(second, coordinator)
    third = lifecycle.version_new(by=coordinator, protocol=first.protocol)
    assert third.number == 3 and ProtocolVersion.objects.get(pk=third.pk).purpose_it == "Bozza abbandonata."


# ---- printing --------------------------------------------------------------------------------

def test_printing_is_audited(network, coordinator, draft):
    lifecycle.version_printed(by=coordinator, version=draft, language="el")
    (event,) = events("network.version_printed")
    assert event.detail == {"protocol": draft.protocol_id, "number": 1, "status": "draft", "language": "el"}


# ---- the review reminder ---------------------------------------------------------------------

def run_tick(capture, now=None):
    with capture(execute=True):
        return tasks.tick(now or timezone.now())


def test_tick_is_registered():
    from rete.core.extensions import tick_jobs

    assert tasks.tick in tick_jobs()


@override_settings(TASKS=IMMEDIATE)
def test_review_reminder_once_per_thirty_days_to_the_coordinators(network, coordinator, django_capture_on_commit_callbacks):
    version = adopted_version(network.home, coordinator, parties=[network.other])
    second_coordinator = make_user("second-coordinator@home.example", roles=[Role.NETWORK_COORDINATOR],
                                   organisation=network.home, language="it")
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 0  # review in two years
    ProtocolVersion.objects.filter(pk=version.pk).update(review_date=timezone.localdate() + datetime.timedelta(days=20))
    assert run_tick(django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, second_coordinator.email])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "review due" in by_address[coordinator.email].subject
    assert "(en)" in by_address[coordinator.email].subject
    assert f"/en/network/protocols/versions/{version.pk}/" in by_address[coordinator.email].body
    assert f"/it/network/protocols/versions/{version.pk}/" in by_address[second_coordinator.email].body
    assert "(en)" not in by_address[second_coordinator.email].subject  # the Italian title
    # Idempotent: nothing again the same day, nor within 30 days.
    assert run_tick(django_capture_on_commit_callbacks) == 0
    assert run_tick(django_capture_on_commit_callbacks, timezone.now() + datetime.timedelta(days=29)) == 0
    assert len(mail.outbox) == 2
    (event,) = events("network.review_reminder_queued")
    assert event.organisation == network.home and event.detail["number"] == 1
    # Thirty days on (now overdue), once more.
    later = timezone.now() + datetime.timedelta(days=31)
    assert run_tick(django_capture_on_commit_callbacks, later) == 1
    assert len(mail.outbox) == 4


@override_settings(TASKS=IMMEDIATE)
def test_no_reminder_for_versions_not_in_force(network, coordinator, draft, django_capture_on_commit_callbacks):
    ProtocolVersion.objects.filter(pk=draft.pk).update(review_date=timezone.localdate() - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert run_tick(django_capture_on_commit_callbacks) == 0
    first = adopted_version(network.home, coordinator)
    ProtocolVersion.objects.filter(pk=first.pk).update(status=VersionStatus.SUPERSEDED, review_date=TODAY())
    assert run_tick(django_capture_on_commit_callbacks) == 0
    assert not mail.outbox


@override_settings(TASKS=IMMEDIATE)
def test_a_reminder_queued_for_a_version_replaced_meanwhile_sends_nothing(network, coordinator):
    version = adopted_version(network.home, coordinator)
    ProtocolVersion.objects.filter(pk=version.pk).update(status=VersionStatus.SUPERSEDED)
    mail.outbox.clear()
    assert tasks.send_review_reminder.call(version.pk) == 0
    assert not mail.outbox
