"""The safety plan: writing it with her (drafts, optimistic locking), reviews, the case page and
the disguised printout."""
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from rete.cases import services
from rete.cases.models import Case, CaseActivity, FormDraft, SafetyPlan, SafetyPlanReview
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

SENTINEL = "Zefiro-7731 neighbour code word"


def _plan_post(**values):
    data = {"version": "", "language": "it", "safe_contacts": "", "leaving_plan": "", "documents_bag": "", "children": "",
            "technology": "", "work": "", "after_separation": "", "next_review_on": ""}
    data.update(values)
    return data


@pytest.fixture
def case(network):
    case = open_case(network[Role.CASEWORKER], network.home, given_name="Ottavia", family_name="Sentinella", language="it")
    # The case's supervisor reads and edits it too: the colleague who saves in between.
    Case.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    return case


@pytest.fixture
def worker(network):
    return client_for(network[Role.CASEWORKER])


@pytest.mark.django_db
def test_writing_the_plan_through_the_page(network, case, worker):
    page = worker.get(url("cases:safety_plan", pk=case.pk)).content.decode()
    assert "Write her plan" in page and "code word" in page and "tracking" in page  # prompts, not values
    assert 'data-autosave-url="' in page and 'name="save_draft"' in page
    assert AuditEvent.objects.filter(action="case.viewed").count() == 1  # the page shows case content
    next_review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = worker.post(url("cases:safety_plan", pk=case.pk),
                           _plan_post(safe_contacts=SENTINEL, children="School knows who may pick them up.", next_review_on=next_review))
    assert response.status_code == 302
    plan = SafetyPlan.objects.get(case=case)
    assert plan.safe_contacts == SENTINEL and plan.version == 1 and plan.language == "it"
    assert plan.next_review_on.isoformat() == next_review and plan.updated_by == network[Role.CASEWORKER]
    event = AuditEvent.objects.get(action="case.safety_plan_saved")
    assert event.detail["changed"] == ["safe_contacts", "children"] and event.detail["created"] is True
    assert CaseActivity.objects.filter(case=case, kind="safety_plan").count() == 1
    detail = worker.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Last saved" in detail and "Safety plan updated" in detail and "Open and edit the plan" in detail
    assert SENTINEL not in detail  # the plan's text stays on its own page
    # Editing: only what changed is named.
    response = worker.post(url("cases:safety_plan", pk=case.pk),
                           _plan_post(version="1", safe_contacts=SENTINEL, children="School informed.", work="Reception screens calls.",
                                      next_review_on=next_review))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and plan.work == "Reception screens calls."
    assert AuditEvent.objects.filter(action="case.safety_plan_saved").order_by("-seq").first().detail["changed"] == ["children", "work"]
    # Saving the same again changes nothing.
    response = worker.post(url("cases:safety_plan", pk=case.pk),
                           _plan_post(version="2", safe_contacts=SENTINEL, children="School informed.", work="Reception screens calls.",
                                      next_review_on=next_review))
    assert response.status_code == 302 and SafetyPlan.objects.get().version == 2
    assert AuditEvent.objects.filter(action="case.safety_plan_saved").count() == 2


@pytest.mark.django_db
def test_sections_are_encrypted_and_never_audited(network, case):
    services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="en", leaving_plan=SENTINEL)
    services.safety_plan_review(by=network[Role.CASEWORKER], case=case, reviewed_on=timezone.localdate(), note=SENTINEL + " review",
                                next_review_on=timezone.localdate() + datetime.timedelta(days=10))
    with connection.cursor() as cursor:
        cursor.execute("SELECT leaving_plan FROM cases_safetyplan")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT note FROM cases_safetyplanreview")
        stored_note = cursor.fetchone()[0]
        cursor.execute("SELECT text FROM cases_caseactivity")
        stored_activity = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "Zefiro" not in str(stored) and "Zefiro" not in str(stored_note) and "Zefiro" not in stored_activity
    assert SafetyPlan.objects.get().leaving_plan == SENTINEL
    for event in AuditEvent.objects.all():
        assert "Zefiro" not in json.dumps(event.detail)


@pytest.mark.django_db
def test_bad_input_is_refused_and_kept(network, case, worker):
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(language="el"))
    page = response.content.decode()
    assert response.status_code == 400 and "Write at least one section" in page and 'value="el" selected' in page
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(work=SENTINEL, next_review_on=yesterday))
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be in the past" in page and SENTINEL in page
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(work=SENTINEL, language="xx"))
    assert response.status_code == 400 and SENTINEL in response.content.decode()
    assert not SafetyPlan.objects.exists()
    # An overdue next review already stored may be kept while she edits the plan.
    plan, _changed = services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it", work="x")
    SafetyPlan.objects.filter(pk=plan.pk).update(next_review_on=yesterday)
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(version=str(plan.version), work="y", next_review_on=yesterday))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_stale_save_shows_both_versions_and_keeps_hers(network, case, worker):
    colleague = network[Role.SUPERVISOR]
    plan, _changed = services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it", children="First version.")
    # She opens the form (version 1); meanwhile the supervisor saves.
    services.safety_plan_save(by=colleague, case=case, version=plan.version, language="it", children="Supervisor's children text.")
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(version="1", children="Her own children text."))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this record" in page
    assert "Supervisor&#x27;s children text." in page  # the stored version
    assert page.count("Her own children text.") >= 2  # in the comparison and still in the form
    assert 'name="version" value="2"' in page
    assert SafetyPlan.objects.get().children == "Supervisor's children text."
    # Saving again, knowingly, keeps hers.
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(version="2", children="Her own children text."))
    assert response.status_code == 302 and SafetyPlan.objects.get().children == "Her own children text."


@pytest.mark.django_db
def test_two_people_creating_the_plan_at_once(network, case, worker):
    services.safety_plan_save(by=network[Role.SUPERVISOR], case=case, version=None, language="it", work="Created first.")
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(work="Created second."))
    page = response.content.decode()
    assert response.status_code == 409 and "Created first." in page and "Created second." in page
    assert SafetyPlan.objects.get().work == "Created first."


@pytest.mark.django_db
def test_draft_without_javascript_is_restored_and_discarded_on_save(network, case, worker):
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(technology=SENTINEL, save_draft="1"))
    assert response.status_code == 302 and not SafetyPlan.objects.exists()
    draft = FormDraft.objects.get(case=case, form="safety_plan")
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM cases_formdraft")
        assert "Zefiro" not in str(cursor.fetchone()[0])
    page = worker.get(url("cases:safety_plan", pk=case.pk)).content.decode()
    assert "Your unsent draft" in page and SENTINEL in page and 'id="discard-draft"' in page
    # The autosave endpoint updates the same draft.
    assert worker.post(url("cases:draft_save", pk=case.pk, form="safety_plan"), _plan_post(technology="Autosaved text.")).status_code == 204
    assert "Autosaved text." in worker.get(url("cases:safety_plan", pk=case.pk)).content.decode()
    response = worker.post(url("cases:safety_plan", pk=case.pk), _plan_post(technology="Autosaved text."))
    assert response.status_code == 302
    assert not FormDraft.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_reviews(network, case, worker):
    today = timezone.localdate()
    review = {"reviewed_on": today.isoformat(), "note": "Moved to her sister's.", "next_review_on": (today + datetime.timedelta(days=14)).isoformat()}
    response = worker.post(url("cases:safety_plan_review", pk=case.pk), review)
    assert response.status_code == 400 and "before recording a review" in response.content.decode()
    plan, _changed = services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it", work="x")
    response = worker.post(url("cases:safety_plan_review", pk=case.pk), {**review, "reviewed_on": (today + datetime.timedelta(days=1)).isoformat()})
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be in the future" in page and "Moved to her sister" in page
    response = worker.post(url("cases:safety_plan_review", pk=case.pk), {**review, "next_review_on": today.isoformat()})
    assert response.status_code == 400 and "must come after this one" in response.content.decode()
    response = worker.post(url("cases:safety_plan_review", pk=case.pk), review)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.next_review_on == today + datetime.timedelta(days=14) and plan.version == 2  # an open edit will notice
    assert SafetyPlanReview.objects.get().reviewed_by == network[Role.CASEWORKER]
    assert CaseActivity.objects.filter(case=case, kind="safety_plan_reviewed").exists()
    event = AuditEvent.objects.get(action="case.safety_plan_reviewed")
    assert "Moved" not in json.dumps(event.detail)
    page = worker.get(url("cases:safety_plan", pk=case.pk)).content.decode()
    assert "Moved to her sister" in page and "Record a review" in page
    # An overdue review is flagged on the case page.
    SafetyPlan.objects.filter(pk=plan.pk).update(next_review_on=today - datetime.timedelta(days=3))
    detail = worker.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Overdue since" in detail and "panel-warning" in detail


@pytest.mark.django_db
def test_disguised_printout(network, case, worker):
    assert worker.get(url("cases:safety_plan_pdf", pk=case.pk)).status_code == 302  # nothing to print yet
    services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it",
                              safe_contacts="Call Anna at 333 000", documents_bag="Passports in the blue folder")
    response = worker.get(url("cases:safety_plan_pdf", pk=case.pk) + "?lang=el")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "112" in text and "Call Anna at 333 000" in text and "Passports in the blue folder" in text
    for revealing in ("Home Support Centre", "Home", "Ottavia", "Sentinella", case.reference, "Rete", "violence", "safety",
                      network[Role.CASEWORKER].get_full_name(), network[Role.CASEWORKER].email):
        assert revealing.casefold() not in text.casefold(), revealing
    with translation.override("el"):
        from django.utils.translation import gettext

        neutral = gettext("Personal notes")
    assert reader.metadata.title == neutral
    assert all(str(value).casefold().find("home") == -1 and case.reference not in str(value) for value in reader.metadata.values())
    event = AuditEvent.objects.get(action="case.document_printed")
    assert event.detail == {"document": "safety_plan", "language": "el"} and event.actor == network[Role.CASEWORKER]
    # Without ?lang=: the plan's language.
    worker.get(url("cases:safety_plan_pdf", pk=case.pk))
    assert AuditEvent.objects.filter(action="case.document_printed").order_by("-seq").first().detail["language"] == "it"


@pytest.mark.django_db
def test_another_organisation_gets_404_everywhere(network, case):
    services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it", work=SENTINEL)
    today = timezone.localdate().isoformat()
    for intruder in (network["other_caseworker"], network["other_supervisor"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:safety_plan", pk=case.pk)))
        assert_denied(client.post(url("cases:safety_plan", pk=case.pk), _plan_post(version="1", work="overwritten")))
        assert_denied(client.post(url("cases:safety_plan", pk=case.pk), _plan_post(work="draft", save_draft="1")))
        assert_denied(client.post(url("cases:safety_plan_review", pk=case.pk), {"reviewed_on": today, "next_review_on": "2999-01-01"}))
        assert_denied(client.get(url("cases:safety_plan_pdf", pk=case.pk)))
    plan = SafetyPlan.objects.get()
    assert plan.work == SENTINEL and plan.version == 1
    assert not SafetyPlanReview.objects.exists() and not FormDraft.objects.exists()
    assert not AuditEvent.objects.filter(action="case.document_printed").exists()


@pytest.mark.django_db
def test_pages_run_a_fixed_number_of_queries(network, case, worker, django_assert_max_num_queries):
    plan, _changed = services.safety_plan_save(by=network[Role.CASEWORKER], case=case, version=None, language="it", work="x")
    today = timezone.localdate()
    services.safety_plan_review(by=network[Role.CASEWORKER], case=case, reviewed_on=today, note="first", next_review_on=today + datetime.timedelta(days=7))
    with CaptureQueriesContext(connection) as few_detail:
        worker.get(url("cases:case_detail", pk=case.pk))
    with CaptureQueriesContext(connection) as few_page:
        worker.get(url("cases:safety_plan", pk=case.pk))
    for day in range(1, 25):
        services.safety_plan_review(by=network[Role.SUPERVISOR if day % 2 else Role.CASEWORKER], case=case,
                                    reviewed_on=today - datetime.timedelta(days=day), note=f"review {day}",
                                    next_review_on=today + datetime.timedelta(days=7))
    with django_assert_max_num_queries(len(few_detail)):
        detail = worker.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "Last reviewed" in detail
    with django_assert_max_num_queries(len(few_page)):
        page = worker.get(url("cases:safety_plan", pk=case.pk)).content.decode()
    assert "review 24" in page
