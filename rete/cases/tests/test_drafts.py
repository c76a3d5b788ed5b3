"""Server-side drafts of long forms: what she types is kept (encrypted) as she goes, so a session
timeout or a closed tab at 9 p.m. loses nothing; only she sees her draft."""
import pytest
from django.db import connection
from django.utils import timezone

from rete.cases import services
from rete.cases.models import FormDraft
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
TYPED = {"based_on": "0", "trigger": "first", "personal_characteristics": ["language", "isolated"],
         "personal_notes": "Quokka-typed-5521", "summary": "Quokka-summary-5522"}


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home)


def autosave(client, case, data, form="needs_assessment"):
    return client.post(url("cases:draft_save", pk=case.pk, form=form), data, **FETCH)


@pytest.mark.django_db
def test_autosave_answers_204_and_keeps_what_she_typed(network, case):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    response = autosave(client, case, TYPED)
    assert response.status_code == 204 and response.content == b""
    draft = FormDraft.objects.get()
    assert (draft.case_id, draft.user_id, draft.form) == (case.pk, worker.pk, "needs_assessment")
    assert "Quokka-typed-5521" in draft.payload and "csrfmiddlewaretoken" not in draft.payload
    # Saving again updates the same draft; "started" is recorded once, without what she typed.
    assert autosave(client, case, {**TYPED, "personal_notes": "Quokka-more-5523"}).status_code == 204
    assert FormDraft.objects.count() == 1 and "Quokka-more-5523" in FormDraft.objects.get().payload
    events = AuditEvent.objects.filter(action="case.draft_started")
    assert events.count() == 1
    assert events.get().detail == {"form": "needs_assessment"} and events.get().actor == worker
    assert not AuditEvent.objects.filter(detail__icontains="Quokka").exists()


@pytest.mark.django_db
def test_the_draft_payload_is_encrypted_in_the_database(network, case):
    autosave(client_for(network[Role.CASEWORKER]), case, TYPED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM cases_formdraft")
        raw = cursor.fetchone()[0]
    raw = raw.decode("latin-1") if isinstance(raw, (bytes, memoryview)) else str(raw)
    assert raw and "Quokka" not in raw and "personal_notes" not in raw


@pytest.mark.django_db
def test_the_draft_is_restored_with_a_notice(network, case):
    client = client_for(network[Role.CASEWORKER])
    page = client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    assert "Your unsent draft from" not in page and "Quokka" not in page
    autosave(client, case, TYPED)
    page = client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    assert "Your unsent draft from" in page and "Discard the draft" in page
    assert "Quokka-typed-5521" in page and "Quokka-summary-5522" in page
    assert 'value="isolated" id="id_personal_characteristics_7" checked' in page
    assert 'form="discard-draft"' in page and 'id="discard-draft"' in page


@pytest.mark.django_db
def test_a_draft_is_hers_alone(network, case):
    worker, colleague = network[Role.CASEWORKER], network[Role.POLICE_OFFICER]
    services.team_add(by=worker, case=case, member=colleague)
    autosave(client_for(worker), case, TYPED)
    page = client_for(colleague).get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    assert "Quokka" not in page and "Your unsent draft from" not in page


@pytest.mark.django_db
def test_discarding_the_draft(network, case):
    client = client_for(network[Role.CASEWORKER])
    autosave(client, case, TYPED)
    back_to = url("cases:needs_assessment_add", pk=case.pk)
    response = client.post(url("cases:draft_save", pk=case.pk, form="needs_assessment"), {"discard": "1", "next": back_to})
    assert response.status_code == 302 and response["Location"] == back_to
    assert not FormDraft.objects.exists()
    assert AuditEvent.objects.filter(action="case.draft_discarded").get().detail == {"form": "needs_assessment"}
    page = client.get(back_to).content.decode()
    assert "The draft was discarded." in page and "Quokka" not in page
    # With JavaScript: 204. A next pointing elsewhere is not followed.
    autosave(client, case, TYPED)
    assert autosave(client, case, {"discard": "1"}).status_code == 204 and not FormDraft.objects.exists()
    autosave(client, case, TYPED)
    response = client.post(url("cases:draft_save", pk=case.pk, form="needs_assessment"), {"discard": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == url("cases:case_detail", pk=case.pk)
    assert not FormDraft.objects.exists()


@pytest.mark.django_db
def test_the_draft_is_deleted_when_the_form_is_sent(network, case):
    client = client_for(network[Role.CASEWORKER])
    autosave(client, case, TYPED)
    response = client.post(url("cases:needs_assessment_add", pk=case.pk),
                           {**TYPED, "assessed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert not FormDraft.objects.exists()
    assert AuditEvent.objects.filter(action="case.draft_discarded").count() == 1
    # A form sent with errors keeps the draft.
    autosave(client, case, {**TYPED, "based_on": "1", "trigger": "new_incident"})
    assert client.post(url("cases:needs_assessment_add", pk=case.pk), {**TYPED, "based_on": "1", "trigger": "new_incident",
                                                                       "assessed_on": "2999-01-01"}).status_code == 400
    assert FormDraft.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_form_name_is_404(network, case):
    client = client_for(network[Role.CASEWORKER])
    assert_denied(autosave(client, case, TYPED, form="no_such_form"))
    assert_denied(client.post(url("cases:draft_save", pk=case.pk, form="no_such_form"), {"discard": "1"}))
    assert not FormDraft.objects.exists()
    with pytest.raises(Exception):
        services.draft_save(by=network[Role.CASEWORKER], case=case, form="no_such_form", data={})


@pytest.mark.django_db
def test_nobody_outside_the_case_can_save_or_discard_a_draft(network, case):
    autosave(client_for(network[Role.CASEWORKER]), case, TYPED)
    for intruder in (network["other_caseworker"], network["other_supervisor"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(autosave(client, case, {"personal_notes": "intruder"}))
        assert_denied(autosave(client, case, {"discard": "1"}))
    assert client_for(None).post(url("cases:draft_save", pk=case.pk, form="needs_assessment"), TYPED, **FETCH).status_code in (302, 401, 403)
    assert FormDraft.objects.count() == 1 and "intruder" not in FormDraft.objects.get().payload
    assert not AuditEvent.objects.filter(action__startswith="case.draft", actor=network["other_caseworker"]).exists()
    # A GET never saves anything.
    assert client_for(network[Role.CASEWORKER]).get(url("cases:draft_save", pk=case.pk, form="needs_assessment")).status_code == 405
