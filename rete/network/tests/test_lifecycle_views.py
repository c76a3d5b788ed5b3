"""The pages of a version's life: the lifecycle panel in every state, each action's answers
(success, refusal with the form again, stale, out of reach), the comments page and the printed
protocol in Italian and English."""
import datetime
import io
import re

import pytest
from django.core import mail
from django.utils import timezone

from rete.conftest import assert_denied, client_for, make_organisation, make_user, url
from rete.core.models import AuditEvent, Role
from rete.network.models import ProtocolComment, ProtocolParty, ProtocolVersion, VersionStatus
from rete.network.services import lifecycle
from rete.network.tests.factories_lifecycle import adopted_version, circulate, make_version, sign_all

pytestmark = pytest.mark.django_db

ACTIONS = ("network:version_circulate", "network:version_reopen", "network:comment_add", "network:version_adopt")


@pytest.fixture
def coordinator(network):
    return network[Role.NETWORK_COORDINATOR]


@pytest.fixture
def draft(network, coordinator):
    return make_version(network.home, parties=[network.other], by=coordinator)


@pytest.fixture
def stranger(db):
    """The admin of an organisation that is no party to the protocol."""
    return make_user("admin@third.example", roles=[Role.ORG_ADMIN, Role.NETWORK_COORDINATOR, Role.SUPERVISOR],
                     organisation=make_organisation("third"))


def party_of(version, organisation):
    return ProtocolParty.objects.get(version=version, organisation=organisation)


def date_value(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def version_page(user, version):
    return client_for(user).get(url("network:version_detail", version_id=version.pk))


# ---- the panel -------------------------------------------------------------------------------

def test_the_panel_follows_the_version_through_its_life(network, coordinator, draft):
    page = version_page(coordinator, draft).content.decode()
    assert "Circulate this version" in page and "Comments until" in page
    assert url("network:version_circulate", version_id=draft.pk) in page
    circulate(draft, coordinator)
    page = version_page(coordinator, draft).content.decode()
    assert "Not signed off yet" in page and "Record a sign-off on paper" in page
    assert "Adoption needs the sign-off of every party" in page and "Take it back to a draft" in page
    assert "the sign-offs recorded so far are cleared" in page.lower()
    admin_page = version_page(network["other_" + Role.ORG_ADMIN], draft).content.decode()
    assert "I sign off this version for Other" in admin_page and "Comment for Other" in admin_page
    assert "Record a sign-off on paper" not in admin_page and "Circulate this version" not in admin_page
    sign_all(draft, coordinator)
    page = version_page(coordinator, draft).content.decode()
    assert "Adopt this version" in page and "Signed on paper on" in page
    lifecycle.version_adopt(by=coordinator, version=draft, review_date=timezone.localdate() + datetime.timedelta(days=10))
    page = version_page(coordinator, draft).content.decode()
    assert "Review due soon" in page and "Start version 2" in page
    reader_page = version_page(network["other_" + Role.CASEWORKER], draft).content.decode()
    assert "Start version 2" not in reader_page and "Comments of the parties" not in reader_page
    assert url("network:version_pdf", version_id=draft.pk, language="el") in reader_page
    ProtocolVersion.objects.filter(pk=draft.pk).update(review_date=timezone.localdate() - datetime.timedelta(days=1))
    assert "Review overdue" in version_page(coordinator, draft).content.decode()


def test_actions_answer_post_only(network, coordinator, draft):
    party = party_of(draft, network.other)
    client = client_for(coordinator)
    for name in ACTIONS:
        assert client.get(url(name, version_id=draft.pk)).status_code == 405
    assert client.get(url("network:party_sign", party_id=party.pk)).status_code == 405
    assert client.get(url("network:party_sign_record", party_id=party.pk)).status_code == 405
    assert client.get(url("network:version_new", protocol_id=draft.protocol_id)).status_code == 405


def test_it_checks_ownership(network, coordinator, draft, stranger):
    """Out of reach is 404 for every URL: a non-party organisation, the outsider, a party
    member who may not do it; anonymous visitors are sent to sign in."""
    circulate(draft, coordinator)
    party = party_of(draft, network.other)
    posts = [(url(name, version_id=draft.pk), {}) for name in ACTIONS]
    posts += [(url("network:party_sign", party_id=party.pk), {"confirm": "on"}),
              (url("network:party_sign_record", party_id=party.pk), {"signed_on": date_value(0), "signatory_name": "X"}),
              (url("network:version_new", protocol_id=draft.protocol_id), {})]
    gets = [url("network:version_comments", version_id=draft.pk), url("network:version_pdf", version_id=draft.pk, language="it")]
    for person in (stranger, network.superuser, network["other_" + Role.CASEWORKER], network["other_" + Role.DPO]):
        client = client_for(person)
        for address, data in posts:
            assert_denied(client.post(address, data))
        for address in gets:
            assert_denied(client.get(address))
    anonymous = client_for(None)
    for address, data in posts:
        assert anonymous.post(address, data).status_code == 302
    for address in gets:
        response = anonymous.get(address)
        assert response.status_code == 302 and "login" in response["Location"]
    # Readers of the circulating version who may not steer it.
    reader = client_for(network["other_" + Role.SUPERVISOR])
    for name in ("network:version_circulate", "network:version_reopen", "network:version_adopt"):
        assert_denied(reader.post(url(name, version_id=draft.pk), {}))
    assert_denied(reader.post(url("network:party_sign", party_id=party.pk), {"confirm": "on"}))
    assert_denied(reader.post(url("network:party_sign_record", party_id=party.pk),
                              {"signed_on": date_value(0), "signatory_name": "X"}))
    assert_denied(reader.post(url("network:version_new", protocol_id=draft.protocol_id)))
    # Someone who signs for the other party cannot sign for the home organisation.
    assert_denied(client_for(network["other_" + Role.ORG_ADMIN]).post(
        url("network:party_sign", party_id=party_of(draft, network.home).pk), {"confirm": "on"}))
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.CIRCULATING
    assert not ProtocolParty.objects.filter(version=draft, signed_off_at__isnull=False).exists()
    assert not ProtocolComment.objects.exists()


def test_a_draft_is_out_of_reach_of_the_parties(network, coordinator, draft):
    admin = client_for(network["other_" + Role.ORG_ADMIN])
    assert_denied(admin.post(url("network:comment_add", version_id=draft.pk), {"text": "Early."}))
    assert_denied(admin.post(url("network:party_sign", party_id=party_of(draft, network.other).pk), {"confirm": "on"}))
    assert_denied(admin.get(url("network:version_comments", version_id=draft.pk)))
    assert_denied(admin.get(url("network:version_pdf", version_id=draft.pk, language="en")))


# ---- circulation -----------------------------------------------------------------------------

def test_circulate_and_reopen(network, coordinator, draft, django_capture_on_commit_callbacks):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("network:version_circulate", version_id=draft.pk),
                               {"comments_until": date_value(21), "seen": draft.version})
    assert response.status_code == 302
    assert response["Location"] == url("network:version_detail", version_id=draft.pk) + "#lifecycle"
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.CIRCULATING
    assert mail.outbox
    response = client.post(url("network:version_reopen", version_id=draft.pk), {"seen": ""})
    assert response.status_code == 302
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    response = client.post(url("network:version_reopen", version_id=draft.pk), {"seen": ""})
    assert response.status_code == 400 and "Only a circulating version" in response.content.decode()


def test_circulation_refused_shows_the_form_again(network, coordinator, draft):
    client = client_for(coordinator)
    address = url("network:version_circulate", version_id=draft.pk)
    response = client.post(address, {"comments_until": "not a date"})
    assert response.status_code == 400 and 'value="not a date"' in response.content.decode()
    response = client.post(address, {"comments_until": date_value(-3)})
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()
    response = client.post(address, {"comments_until": date_value(10), "seen": draft.version + 5})
    assert response.status_code == 409 and "Someone changed this version" in response.content.decode()
    assert f'value="{draft.version}"' in response.content.decode()  # sending it again acts on the version as it is
    ProtocolParty.objects.filter(version=draft).delete()
    response = client.post(address, {"comments_until": date_value(10)})
    assert response.status_code == 400 and "Add at least one party" in response.content.decode()
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


# ---- comments --------------------------------------------------------------------------------

def test_a_party_comments_and_everyone_concerned_reads_it_by_section(network, coordinator, draft,
                                                                     django_assert_max_num_queries):
    circulate(draft, coordinator)
    client = client_for(network["other_" + Role.SUPERVISOR])
    response = client.post(url("network:comment_add", version_id=draft.pk), {"section": "pathways", "text": ""})
    assert response.status_code == 400
    response = client.post(url("network:comment_add", version_id=draft.pk),
                           {"section": "pathways", "text": "The first step needs a time limit of 2 hours."})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    for n in range(6):
        lifecycle.comment_add(by=network[Role.SUPERVISOR], version=draft, section="annexes" if n % 2 else "", text=f"Note {n}")
    reader = client_for(coordinator)
    with django_assert_max_num_queries(14):
        page = reader.get(url("network:version_comments", version_id=draft.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("The protocol as a whole") < text.index("Pathways and time limits") < text.index("Annexes")
    assert "The first step needs a time limit of 2 hours." in text and "Other Support Centre" in text
    for reader in (network["other_" + Role.ORG_ADMIN], network[Role.SUPERVISOR]):
        assert client_for(reader).get(url("network:version_comments", version_id=draft.pk)).status_code == 200
    assert "The first step needs a time limit" in version_page(coordinator, draft).content.decode()


# ---- sign-off --------------------------------------------------------------------------------

def test_sign_off_needs_the_confirmation(network, coordinator, draft):
    circulate(draft, coordinator)
    party = party_of(draft, network.other)
    client = client_for(network["other_" + Role.ORG_ADMIN])
    response = client.post(url("network:party_sign", party_id=party.pk), {})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    response = client.post(url("network:party_sign", party_id=party.pk), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#parties")
    assert party_of(draft, network.other).signed_off_by == network["other_" + Role.ORG_ADMIN]
    response = client.post(url("network:party_sign", party_id=party.pk), {"confirm": "on"})
    assert response.status_code == 400 and "already signed off" in response.content.decode()


def test_the_coordinator_records_a_paper_sign_off(network, coordinator, draft):
    circulate(draft, coordinator)
    party = party_of(draft, network.other)
    client = client_for(coordinator)
    response = client.post(url("network:party_sign_record", party_id=party.pk),
                           {"signed_on": date_value(2), "signatory_name": "Anna Rossi"})
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    assert 'value="Anna Rossi"' in response.content.decode()
    response = client.post(url("network:party_sign_record", party_id=party.pk),
                           {"signed_on": date_value(-1), "signatory_name": "Anna Rossi", "signatory_title": "Presidente"})
    assert response.status_code == 302
    party = party_of(draft, network.other)
    assert party.signatory_name == "Anna Rossi" and party.signed_off_by is None
    assert AuditEvent.objects.filter(action="network.party_sign_recorded", actor=coordinator).exists()


# ---- adoption and the next version -----------------------------------------------------------

def test_adoption_refused_names_the_missing_parties_then_succeeds(network, coordinator, draft):
    circulate(draft, coordinator)
    client = client_for(coordinator)
    address = url("network:version_adopt", version_id=draft.pk)
    response = client.post(address, {"review_date": date_value(730)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Not every party has signed off yet" in text and "Home" in text and "Other" in text
    sign_all(draft, coordinator)
    response = client.post(address, {"review_date": ""})
    assert response.status_code == 400
    response = client.post(address, {"review_date": date_value(730)})
    assert response.status_code == 302
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.ADOPTED


def test_starting_the_next_version(network, coordinator):
    version = adopted_version(network.home, coordinator, parties=[network.other])
    client = client_for(coordinator)
    response = client.post(url("network:version_new", protocol_id=version.protocol_id))
    new = ProtocolVersion.objects.get(protocol=version.protocol, number=2)
    assert response.status_code == 302 and response["Location"] == url("network:version_detail", version_id=new.pk)
    response = client.post(url("network:version_new", protocol_id=version.protocol_id), follow=True)
    assert "Version 2 is still draft" in response.content.decode()
    assert ProtocolVersion.objects.filter(protocol=version.protocol).count() == 2
    assert ProtocolVersion.objects.get(pk=version.pk).status == VersionStatus.ADOPTED


# ---- the printed protocol --------------------------------------------------------------------

def _pdf_text(response) -> str:
    from pypdf import PdfReader

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(r"\s+", " ", "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_the_pdf_in_italian_and_english(network, coordinator):
    version = adopted_version(network.home, coordinator, parties=[network.other])
    ProtocolVersion.objects.filter(pk=version.pk).update(annexes_en="")
    client = client_for(network["other_" + Role.CASEWORKER])  # any member of a party reads an adopted version
    response = client.get(url("network:version_pdf", "it", version_id=version.pk, language="it"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="protocol-{version.protocol_id}-v1-it.pdf"' in response["Content-Disposition"]
    italian = _pdf_text(response)
    assert "Protocollo della rete antiviolenza di Esempio" in italian
    assert "Testo italiano della sezione purpose." in italian and "Secondo paragrafo governance." in italian
    assert "Signatory 0" in italian and "Signatory 1" in italian and "Other Support Centre" in italian
    assert "Allontanamento urgente" in italian and "Passo 2" in italian
    response = client.get(url("network:version_pdf", version_id=version.pk, language="en"))
    english = _pdf_text(response)
    assert "English text of the section purpose." in english and "Testo italiano della sezione purpose" not in english
    assert "Urgent removal" in english and "72 hours (3 days)" in english and "Step 2" in english
    assert "Testo italiano della sezione annexes." in english and "Not translated into this language yet" in english
    assert "Signatory 0" in english and "Director" in english and "Signatories" in english
    assert "DRAFT" not in english
    events = AuditEvent.objects.filter(action="network.version_printed").order_by("seq")
    assert [e.detail["language"] for e in events] == ["it", "en"]
    assert_denied(client.get(url("network:version_pdf", version_id=version.pk, language="xx")))


def test_a_draft_pdf_says_it_is_not_in_force(network, coordinator, draft):
    response = client_for(coordinator).get(url("network:version_pdf", version_id=draft.pk, language="en"))
    text = _pdf_text(response)
    assert "DRAFT" in text and "not in force" in text.lower()
