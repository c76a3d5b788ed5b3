"""Individual needs assessment (Directive 2012/29/EU, Art. 22): recorded with her, redone as a
new assessment when her circumstances change, never edited."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.cases import services
from rete.cases.models import CaseActivity, FormDraft, NeedsAssessment
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role
from rete.core.services import StaleEdit


def checked(body, name, value):
    pattern = rf'<input[^>]*name="{name}"[^>]*' + (rf'value="{value}"[^>]*' if value else "") + r'\bchecked\b'
    return any(re.search(pattern, tag) for tag in re.findall(r"<input[^>]*>", body))


def today():
    return timezone.localdate()


def answers(**extra):
    values = {
        "based_on": "0", "trigger": "first", "assessed_on": today().isoformat(),
        "personal_characteristics": ["language", "residence"], "personal_notes": "Zeta-personal-4411",
        "crime_type": ["ipv", "repeated"], "crime_notes": "",
        "circumstances": ["cohabits", "weapons"], "circumstances_notes": "Zeta-circumstances-4412",
        "protection_needs": ["retaliation", "intimidation"], "protection_notes": "",
        "special_measures": ["same_sex", "no_visual_contact"], "measures_notes": "",
        "specific_protection_needs": "on", "summary": "Zeta-summary-4413",
    }
    values.update(extra)
    return values


def record(user, case, **values):
    data = {"based_on": None, "trigger": "first", "assessed_on": today(), "specific_protection_needs": False}
    data.update(values)
    return services.needs_assessment_record(by=user, case=case, **data)


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home)


@pytest.mark.django_db
def test_first_assessment_through_the_pages(network, case):
    client = client_for(network[Role.CASEWORKER])
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Art. 22: assess her needs at first contact" in page and "Assess her needs" in page
    form_page = client.get(url("cases:needs_assessment_add", pk=case.pk))
    body = form_page.content.decode()
    assert form_page.status_code == 200
    assert 'value="first"' in body and 'value="new_incident"' not in body  # a first assessment is "first"
    assert f'data-autosave-url="{url("cases:draft_save", pk=case.pk, form="needs_assessment")}"' in body
    assert 'name="save_draft"' in body and 'id="discard-draft"' in body
    assert "<legend>Special measures she would benefit from (Art. 23(2) and (3))</legend>" in body
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers())
    assert response.status_code == 302 and response["Location"] == url("cases:case_detail", pk=case.pk)
    assessment = NeedsAssessment.objects.get()
    assert assessment.number == 1 and assessment.trigger == "first" and assessment.specific_protection_needs
    assert assessment.special_measures == ["same_sex", "no_visual_contact"] and assessment.assessed_by == network[Role.CASEWORKER]
    assert assessment.personal_notes == "Zeta-personal-4411"
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Assessment 1" in page and "Interviews by a person of the same sex, if she wishes" in page
    assert "Risk of retaliation" in page and "Redo the assessment (circumstances changed)" in page
    assert "Needs assessment completed" in page  # the timeline
    assert "Art. 22: assess her needs at first contact" not in page
    assert CaseActivity.objects.filter(case=case, kind="needs_assessed").count() == 1


@pytest.mark.django_db
def test_notes_are_encrypted_and_the_audit_carries_codes_only(network, case):
    record(network[Role.CASEWORKER], case, based_on=0, personal_notes="Zeta-personal-4411", summary="Zeta-summary-4413",
           circumstances=["weapons"], specific_protection_needs=True, special_measures=["premises"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT personal_notes, summary, circumstances FROM cases_needsassessment")
        notes, summary, circumstances = cursor.fetchone()
    assert "Zeta" not in str(notes) and "Zeta" not in str(summary)
    # The ticked factors are sensitive too (health, sexual orientation, residence status).
    assert "weapons" not in str(circumstances) and str(circumstances).startswith("fernet:")
    assert NeedsAssessment.objects.get().circumstances == ["weapons"]
    event = AuditEvent.objects.get(action="case.needs_assessed")
    assert event.detail["number"] == 1 and event.detail["trigger"] == "first" and event.detail["specific_protection_needs"] is True
    assert "Zeta" not in str(event.detail)
    assert not AuditEvent.objects.filter(detail__icontains="Zeta").exists()


@pytest.mark.django_db
def test_a_redo_starts_from_her_answers_and_shows_what_changed(network, case):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    assert client.post(url("cases:needs_assessment_add", pk=case.pk), answers()).status_code == 302
    views_before = AuditEvent.objects.filter(action="case.viewed").count()
    body = client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    # Her previous answers are filled in; the reason must be given again and "first" is gone.
    assert "Zeta-personal-4411" in body and "Zeta-summary-4413" in body
    assert checked(body, "special_measures", "same_sex") and checked(body, "circumstances", "weapons")
    assert not checked(body, "circumstances", "threats") and checked(body, "specific_protection_needs", None)
    assert 'value="first"' not in body and 'value="new_incident"' in body
    assert 'name="based_on" value="1"' in body
    assert AuditEvent.objects.filter(action="case.viewed").count() == views_before + 1  # her notes were shown
    redo = answers(based_on="1", trigger="separation", circumstances=["weapons", "threats"], personal_notes="Zeta-personal-changed")
    assert client.post(url("cases:needs_assessment_add", pk=case.pk), redo).status_code == 302
    assert list(NeedsAssessment.objects.values_list("number", flat=True)) == [2, 1]
    first, second = NeedsAssessment.objects.get(number=1), NeedsAssessment.objects.get(number=2)
    assert first.circumstances == ["cohabits", "weapons"] and first.personal_notes == "Zeta-personal-4411"  # never edited
    assert second.trigger == "separation"
    response = client.get(url("cases:needs_assessment_detail", pk=case.pk, needs_number=2))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Threats since she reported or asked for help" in page.split("Her needs, area by area")[0]  # added
    assert "No longer applies:" in page and "She lives with the perpetrator" in page.split("Her needs, area by area")[0]  # removed
    assert "The notes were changed." in page
    assert AuditEvent.objects.filter(action="case.viewed").count() == views_before + 2
    old = client.get(url("cases:needs_assessment_detail", pk=case.pk, needs_number=1)).content.decode()
    assert "This assessment was replaced by a later one" in old and "This is her first assessment." in old
    case_page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Earlier assessments" in case_page and url("cases:needs_assessment_detail", pk=case.pk, needs_number=1) in case_page


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    ({"assessed_on": "2999-01-01"}, "cannot be dated in the future"),
    ({"assessed_on": "2001-01-01"}, "before her first contact"),
    ({"assessed_on": "not a date"}, "Enter a valid date"),
    ({"special_measures": ["no_such_measure"]}, "Select a valid choice"),
    ({"crime_type": ["ipv", "bogus"]}, "Select a valid choice"),
    ({"trigger": "new_incident"}, "Select a valid choice"),  # the first assessment is the first
    ({"specific_protection_needs": ""}, "Special measures are for a victim with specific protection needs"),
    ({"specific_protection_needs": "", "special_measures": [], "personal_characteristics": ["child"]}, "presumed to have specific protection needs"),
])
def test_bad_input_is_refused_and_her_entries_are_kept(network, case, change, message):
    response = client_for(network[Role.CASEWORKER]).post(url("cases:needs_assessment_add", pk=case.pk), answers(**change))
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "Zeta-personal-4411" in body and "Zeta-summary-4413" in body
    assert not NeedsAssessment.objects.exists()


@pytest.mark.django_db
def test_a_redo_cannot_be_first_nor_dated_before_the_previous(network, case):
    worker = network[Role.CASEWORKER]
    record(worker, case, based_on=0)
    client = client_for(worker)
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers(based_on="1", trigger="first"))
    assert response.status_code == 400
    NeedsAssessment.objects.update(assessed_on=today())
    case.__class__.objects.filter(pk=case.pk).update(first_contact_at=timezone.now() - datetime.timedelta(days=30))
    yesterday = (today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers(based_on="1", trigger="new_incident", assessed_on=yesterday))
    assert response.status_code == 400 and "before the previous one" in response.content.decode()
    assert NeedsAssessment.objects.count() == 1
    with pytest.raises(services.CaseError):
        record(worker, case, trigger="first")
    with pytest.raises(services.CaseError):
        record(worker, case, trigger="new_incident", special_measures=["nonsense"])
    with pytest.raises(services.CaseError):
        record(worker, case, trigger="new_incident", assessed_on=today() + datetime.timedelta(days=1))
    assert NeedsAssessment.objects.count() == 1


@pytest.mark.django_db
def test_an_assessment_recorded_meanwhile_is_a_conflict_with_both_versions_shown(network, case):
    worker, colleague = network[Role.CASEWORKER], network[Role.POLICE_OFFICER]
    services.team_add(by=worker, case=case, member=colleague)
    client = client_for(worker)
    assert 'name="based_on" value="0"' in client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    # The colleague records an assessment while she is still filling in hers.
    record(colleague, case, based_on=0, personal_notes="Yonder-theirs-7781", special_measures=["premises"], specific_protection_needs=True)
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers())
    body = response.content.decode()
    assert response.status_code == 409
    assert "Assessment 1 was recorded by" in body and "Your version" in body and "Saved version" in body
    assert "Yonder-theirs-7781" in body and "Zeta-personal-4411" in body  # both versions
    assert "Interviews in premises designed or adapted" in body
    assert 'name="based_on" value="1"' in body  # saving again records hers after theirs
    assert NeedsAssessment.objects.count() == 1
    # Saving again (now with a reason: it is no longer the first) records hers as number 2.
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers(based_on="1", trigger="other_change"))
    assert response.status_code == 302
    assert NeedsAssessment.objects.get(number=2).personal_notes == "Zeta-personal-4411"
    with pytest.raises(StaleEdit) as exc:
        record(worker, case, based_on=1, trigger="new_incident")
    assert exc.value.current.number == 2


@pytest.mark.django_db
def test_numbers_follow_on(network, case):
    worker = network[Role.CASEWORKER]
    numbers = [record(worker, case, trigger="first").number]
    numbers += [record(worker, case, trigger="new_incident").number for _ in range(3)]
    assert numbers == [1, 2, 3, 4]
    other_case = open_case(worker, network.home)
    assert record(worker, other_case, trigger="first").number == 1


@pytest.mark.django_db
def test_save_as_draft_without_javascript_then_finish(network, case):
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:needs_assessment_add", pk=case.pk), answers(trigger="", save_draft="1"))
    assert response.status_code == 302 and response["Location"] == url("cases:case_detail", pk=case.pk)
    assert not NeedsAssessment.objects.exists() and FormDraft.objects.filter(form="needs_assessment").count() == 1
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "You have an unsent draft of a needs assessment" in page and "Your draft was saved" in page
    form_page = client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    assert "Your unsent draft from" in form_page and "Zeta-personal-4411" in form_page
    assert "This field is required" not in form_page  # a draft is not a failed submission
    assert client.post(url("cases:needs_assessment_add", pk=case.pk), answers()).status_code == 302
    assert not FormDraft.objects.exists()
    assert "unsent draft" not in client.get(url("cases:case_detail", pk=case.pk)).content.decode()


@pytest.mark.django_db
def test_other_organisations_and_outsiders_get_404_everywhere(network, case):
    record(network[Role.CASEWORKER], case, based_on=0)
    for intruder in (network["other_caseworker"], network["other_supervisor"], network.outsider, network[Role.POLICE_OFFICER], network[Role.TRAINER]):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:needs_assessment_add", pk=case.pk)))
        assert_denied(client.post(url("cases:needs_assessment_add", pk=case.pk), answers(based_on="1", trigger="new_incident")))
        assert_denied(client.post(url("cases:needs_assessment_add", pk=case.pk), answers(save_draft="1")))
        assert_denied(client.get(url("cases:needs_assessment_detail", pk=case.pk, needs_number=1)))
    with pytest.raises(Exception):
        record(network["other_caseworker"], case, trigger="new_incident")
    assert NeedsAssessment.objects.count() == 1 and not FormDraft.objects.exists()
    assert_denied(client_for(network[Role.CASEWORKER]).get(url("cases:needs_assessment_detail", pk=case.pk, needs_number=2)))
    assert not AuditEvent.objects.filter(action="case.viewed", actor=network["other_caseworker"]).exists()


@pytest.mark.django_db
def test_the_case_page_and_the_detail_page_stay_bounded(network, case, django_assert_max_num_queries):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    record(worker, case, trigger="first", special_measures=["premises"], specific_protection_needs=True)
    client.get(url("cases:case_detail", pk=case.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("cases:case_detail", pk=case.pk)).status_code == 200
    for i in range(24):
        record(worker, case, trigger="new_incident", circumstances=["threats"] if i % 2 else [], personal_notes=f"note {i}")
    services.draft_save(by=worker, case=case, form="needs_assessment", data={"personal_notes": ["typing"]})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Assessment 25" in page and "Assessment 6<" in page and "Assessment 5<" not in page  # 20 listed
    with django_assert_max_num_queries(25):
        assert client.get(url("cases:needs_assessment_detail", pk=case.pk, needs_number=20)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url("cases:needs_assessment_add", pk=case.pk)).status_code == 200


@pytest.mark.django_db
def test_a_draft_started_before_a_newer_assessment_warns(network, case):
    worker, colleague = network[Role.CASEWORKER], network[Role.POLICE_OFFICER]
    services.team_add(by=worker, case=case, member=colleague)
    client = client_for(worker)
    client.post(url("cases:needs_assessment_add", pk=case.pk), answers(save_draft="1"))
    assert "Another assessment was recorded" not in client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    record(colleague, case, based_on=0)
    page = client.get(url("cases:needs_assessment_add", pk=case.pk)).content.decode()
    assert "Another assessment was recorded after you started this draft" in page and "Zeta-personal-4411" in page
    # Sending it as it is meets the conflict page rather than silently following the other one.
    assert client.post(url("cases:needs_assessment_add", pk=case.pk), answers()).status_code == 409
