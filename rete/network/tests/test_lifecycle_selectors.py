"""Reads of a version's life: what the lifecycle panel offers whom, the comments and who reads
them, the review flag, and the printed protocol's content with its fallbacks."""
import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from rete.conftest import make_organisation, make_user
from rete.core.models import Role
from rete.network.models import ProtocolParty, ProtocolVersion, VersionStatus
from rete.network.selectors import lifecycle as selectors
from rete.network.selectors.protocols import version_get
from rete.network.services import lifecycle
from rete.network.tests.factories_lifecycle import adopted_version, circulate, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(network):
    return network[Role.NETWORK_COORDINATOR]


@pytest.fixture
def draft(network, coordinator):
    return make_version(network.home, parties=[network.other], by=coordinator)


def context_for(user, version):
    return selectors.lifecycle_context(user=user, version=version_get(user=user, version_id=version.pk))


def test_the_coordinator_is_offered_circulation_of_a_ready_draft(coordinator, draft):
    context = context_for(coordinator, draft)
    assert context["coordinator"] and context["may_circulate"] and not context["circulation_problems"]
    assert not context["may_adopt"] and not context["may_reopen"] and context["comment_party"] is None
    assert context["comments"] == []  # a coordinator reads the comments
    assert not context["may_start_new"]  # the draft is the open version
    ProtocolVersion.objects.filter(pk=draft.pk).update(purpose_it="")
    assert context_for(coordinator, draft)["circulation_problems"]


def test_while_it_circulates_each_party_signs_for_itself(network, coordinator, draft):
    circulate(draft, coordinator)
    lifecycle.comment_add(by=network["other_" + Role.SUPERVISOR], version=draft, section="purpose", text="Ok.")
    admin = context_for(network["other_" + Role.ORG_ADMIN], draft)
    rows = {row["party"].organisation_id: row for row in admin["parties"]}
    assert rows[network.other.pk]["may_sign"] and not rows[network.home.pk]["may_sign"]
    assert not any(row["may_record"] for row in admin["parties"])
    assert admin["comment_party"].organisation_id == network.other.pk and len(admin["comments"]) == 1
    assert not admin["may_adopt"] and not admin["coordinator"]
    coordinating = context_for(coordinator, draft)
    assert coordinating["may_adopt"] and coordinating["may_reopen"]
    assert all(row["may_record"] for row in coordinating["parties"])
    assert [p.organisation_id for p in coordinating["missing"]] == [network.home.pk, network.other.pk]
    supervisor = context_for(network["other_" + Role.SUPERVISOR], draft)
    assert not any(row["may_sign"] for row in supervisor["parties"]) and supervisor["comment_party"] is not None


def test_an_adopted_version_offers_the_next_one_to_the_coordinator_only(network, coordinator):
    version = adopted_version(network.home, coordinator, parties=[network.other])
    coordinating = context_for(coordinator, version)
    assert coordinating["may_start_new"] and coordinating["next_number"] == 2
    reader = context_for(network["other_" + Role.CASEWORKER], version)
    assert not reader["may_start_new"] and not reader["coordinator"]
    assert reader["comments"] is None  # caseworkers read the protocol, not the parties' comments
    assert all(row["on_paper"] for row in reader["parties"])
    lifecycle.version_new(by=coordinator, protocol=version.protocol)
    coordinating = context_for(coordinator, version)
    assert not coordinating["may_start_new"] and coordinating["open_version"]["number"] == 2


def test_lifecycle_context_queries_do_not_grow(network, coordinator, django_assert_max_num_queries):
    third = make_organisation("third")
    version = make_version(network.home, parties=[network.other, third], by=coordinator)
    circulate(version, coordinator)
    for n in range(5):
        lifecycle.comment_add(by=network[Role.SUPERVISOR], version=version, text=f"Comment {n}")
    loaded = version_get(user=coordinator, version_id=version.pk)
    with django_assert_max_num_queries(2):
        context = selectors.lifecycle_context(user=coordinator, version=loaded)
        [str(c.author) + str(c.organisation) for c in context["comments"]]


def test_review_due():
    today = datetime.date(2026, 5, 1)
    version = ProtocolVersion(status=VersionStatus.ADOPTED, review_date=datetime.date(2026, 6, 15))
    assert selectors.review_due(version=version, today=today) == ""
    version.review_date = datetime.date(2026, 5, 31)
    assert selectors.review_due(version=version, today=today) == "due"
    version.review_date = datetime.date(2026, 4, 30)
    assert selectors.review_due(version=version, today=today) == "overdue"
    version.status = VersionStatus.SUPERSEDED
    assert selectors.review_due(version=version, today=today) == ""
    assert selectors.review_due(version=ProtocolVersion(status=VersionStatus.ADOPTED), today=today) == ""


def test_comments_are_read_by_the_coordinators_and_the_parties_commenters(network, coordinator, draft):
    circulate(draft, coordinator)
    lifecycle.comment_add(by=network["other_" + Role.SUPERVISOR], version=draft, section="annexes", text="Annex B?")
    lifecycle.comment_add(by=network[Role.ORG_ADMIN], version=draft, section="", text="General remark.")
    lifecycle.comment_add(by=network["other_" + Role.ORG_ADMIN], version=draft, section="purpose", text="Purpose?")
    for reader in (coordinator, network[Role.SUPERVISOR], network["other_" + Role.NETWORK_COORDINATOR]):
        version = version_get(user=reader, version_id=draft.pk)
        assert len(selectors.version_comments(user=reader, version=version)) == 3
    groups = selectors.comments_by_section(selectors.version_comments(user=coordinator, version=draft))
    assert [group["section"] for group in groups] == ["general", "purpose", "annexes"]
    with translation.override("en"):
        assert [str(group["label"]) for group in groups] == ["The protocol as a whole", "Purpose", "Annexes"]
    # Once adopted, a caseworker of a party reads the protocol but not the comments.
    from rete.network.tests.factories_lifecycle import adopt, sign_all

    sign_all(draft, coordinator)
    adopt(draft, coordinator)
    caseworker = network["other_" + Role.CASEWORKER]
    version = version_get(user=caseworker, version_id=draft.pk)
    with pytest.raises(Http404):
        selectors.version_comments(user=caseworker, version=version)


def test_party_get_follows_who_reads_the_version(network, coordinator, draft):
    party = ProtocolParty.objects.get(version=draft, organisation=network.other)
    assert selectors.party_get(user=coordinator, party_id=party.pk).version.pk == draft.pk
    for person in (network["other_" + Role.ORG_ADMIN], network.outsider, network.superuser):
        with pytest.raises(Http404):  # a draft: the coordinators only
            selectors.party_get(user=person, party_id=party.pk)
    circulate(draft, coordinator)
    assert selectors.party_get(user=network["other_" + Role.ORG_ADMIN], party_id=party.pk).pk == party.pk
    stranger = make_user("admin@third.example", roles=[Role.ORG_ADMIN], organisation=make_organisation("third"))
    with pytest.raises(Http404):
        selectors.party_get(user=stranger, party_id=party.pk)
    with pytest.raises(Http404):
        selectors.party_get(user=coordinator, party_id=party.pk + 1000)


def test_the_document_falls_back_to_the_source_language_field_by_field(network, coordinator, draft):
    ProtocolVersion.objects.filter(pk=draft.pk).update(escalation_en="")
    version = version_get(user=coordinator, version_id=draft.pk)
    document = selectors.protocol_document(version=version, language="en")
    sections = {part["field"]: part for part in document["parts"] if part["kind"] == "section"}
    assert sections["purpose"]["text"].startswith("English text") and not sections["purpose"]["fallback"]
    assert sections["escalation"]["text"].startswith("Testo italiano") and sections["escalation"]["fallback"]
    assert sections["escalation"]["language"] == "it"
    greek = selectors.protocol_document(version=version, language="el")
    assert all(part["fallback"] for part in greek["parts"] if part["kind"] == "section")
    assert [part["kind"] for part in document["parts"]][:4] == ["section", "section", "parties", "pathways"]
    assert document["signatories"] == []  # nobody has signed a draft
    pathway = next(part for part in document["parts"] if part["kind"] == "pathways")["pathways"][0]
    assert [step["action"]["text"] for step in pathway["steps"]] == ["Step 1", "Step 2"]


def test_the_document_needs_no_query(network, coordinator, django_assert_num_queries):
    version = adopted_version(network.home, coordinator, parties=[network.other])
    loaded = version_get(user=coordinator, version_id=version.pk)
    with django_assert_num_queries(0):
        document = selectors.protocol_document(version=loaded, language="it")
    assert len(document["signatories"]) == 2
    assert timezone.localdate() == timezone.localtime(document["signatories"][0]["party"].signed_off_at).date()
