"""Information given (Directive 2012/29/EU, Art. 4): the checklist, the timeline, the audit and
the rights leaflet in her language."""
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.cases import services
from rete.cases.models import CaseActivity, InformationGiven
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role


def _pdf_text(content):
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def case(network):
    return open_case(network[Role.CASEWORKER], network.home, given_name="Ottavia", family_name="Sentinella", language="it")


@pytest.mark.django_db
def test_checklist_records_the_items_ticked(network, case):
    client = client_for(network[Role.CASEWORKER])
    page = client.get(url("cases:information_checklist", pk=case.pk)).content.decode()
    assert page.count("not yet given") == 11
    assert 'value="it" selected' in page  # her language is proposed
    today = timezone.localdate()
    response = client.post(url("cases:information_checklist", pk=case.pk),
                           {"items": ["c", "a"], "given_on": today.isoformat(), "language": "it", "in_writing": "on"})
    assert response.status_code == 302
    records = list(InformationGiven.objects.filter(case=case).order_by("item"))
    assert [(r.item, r.language, r.in_writing, r.given_by_id, r.given_on) for r in records] == [
        ("a", "it", True, network[Role.CASEWORKER].pk, today), ("c", "it", True, network[Role.CASEWORKER].pk, today)]
    activity = CaseActivity.objects.get(case=case, kind="information_given")
    assert activity.text == "(a), (c)"
    event = AuditEvent.objects.get(action="case.information_given")
    assert event.detail["items"] == ["a", "c"] and event.object_id == str(case.pk)
    assert "Ottavia" not in json.dumps(event.detail)
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "9 items of the eleven" in detail and "Information given" in detail and "(a), (c)" in detail
    checklist = client.get(url("cases:information_checklist", pk=case.pk)).content.decode()
    assert checklist.count("not yet given") == 9 and "also in writing" in checklist
    # Giving an item again keeps both records; the latest shows.
    services.information_record(by=network[Role.CASEWORKER], case=case, items=["a"], given_on=today, language="en")
    checklist = client.get(url("cases:information_checklist", pk=case.pk)).content.decode()
    assert "given 2 times" in checklist


@pytest.mark.django_db
def test_checklist_refuses_bad_input_and_keeps_it(network, case):
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:information_checklist", pk=case.pk), {"given_on": "2020-03-04", "language": "el"})
    page = response.content.decode()
    assert response.status_code == 400 and "Tick at least one item" in page and 'value="2020-03-04"' in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url("cases:information_checklist", pk=case.pk), {"items": ["f"], "given_on": tomorrow, "language": "el"})
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be in the future" in page
    assert 'id="item-f" checked' in page and 'value="el" selected' in page
    response = client.post(url("cases:information_checklist", pk=case.pk), {"items": ["z"], "given_on": "2020-03-04", "language": "el"})
    assert response.status_code == 400
    response = client.post(url("cases:information_checklist", pk=case.pk), {"items": ["a"], "given_on": "2020-03-04", "language": "xx"})
    assert response.status_code == 400
    assert not InformationGiven.objects.exists()
    with pytest.raises(services.CaseError):
        services.information_record(by=network[Role.CASEWORKER], case=case, items=[], given_on=timezone.localdate(), language="en")


@pytest.mark.django_db
def test_leaflet_in_her_language_names_the_service_not_her(network, case):
    client = client_for(network[Role.CASEWORKER])
    response = client.get(url("cases:information_leaflet", pk=case.pk) + "?lang=el")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "rights-el.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text, reader = _pdf_text(response.content)
    assert "112" in text and "1522" in text  # the home organisation is in Italy
    assert "Home Support Centre" in text
    assert "Ottavia" not in text and "Sentinella" not in text and case.reference not in text
    assert network[Role.CASEWORKER].get_full_name() in text  # who printed it
    assert len(reader.pages) >= 2  # eleven rights, explained
    event = AuditEvent.objects.get(action="case.document_printed")
    assert event.detail == {"document": "information_leaflet", "language": "el"}
    # Without ?lang= (or with one the platform does not have): her language.
    client.get(url("cases:information_leaflet", pk=case.pk) + "?lang=xx")
    assert AuditEvent.objects.filter(action="case.document_printed").order_by("-seq").first().detail["language"] == "it"


@pytest.mark.django_db
def test_leaflet_language_falls_back_to_the_organisation(network):
    case = open_case(network["other_caseworker"], network.other, language="")
    response = client_for(network["other_caseworker"]).get(url("cases:information_leaflet", pk=case.pk))
    assert response.status_code == 200
    assert AuditEvent.objects.get(action="case.document_printed").detail["language"] == "el"  # the organisation's first language
    text, _reader = _pdf_text(response.content)
    assert "1440" in text  # Cyprus


@pytest.mark.django_db
def test_another_organisation_gets_404_everywhere(network, case):
    for intruder in (network["other_caseworker"], network["other_supervisor"], network.outsider, network[Role.POLICE_OFFICER]):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:information_checklist", pk=case.pk)))
        assert_denied(client.post(url("cases:information_checklist", pk=case.pk),
                                  {"items": ["a"], "given_on": timezone.localdate().isoformat(), "language": "en"}))
        assert_denied(client.get(url("cases:information_leaflet", pk=case.pk)))
    assert not InformationGiven.objects.exists()
    assert not AuditEvent.objects.filter(action="case.document_printed").exists()


@pytest.mark.django_db
def test_pages_run_a_fixed_number_of_queries(network, case, django_assert_max_num_queries):
    client = client_for(network[Role.CASEWORKER])
    services.information_record(by=network[Role.CASEWORKER], case=case, items=["a"], given_on=timezone.localdate(), language="it")
    with CaptureQueriesContext(connection) as few_detail:
        client.get(url("cases:case_detail", pk=case.pk))
    with CaptureQueriesContext(connection) as few_list:
        client.get(url("cases:information_checklist", pk=case.pk))
    for day in range(30):
        services.information_record(by=network[Role.CASEWORKER], case=case, items=["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
                                    given_on=timezone.localdate() - datetime.timedelta(days=day), language="en")
    with django_assert_max_num_queries(len(few_detail)):
        page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "All eleven items have been given." in page
    with django_assert_max_num_queries(len(few_list)):
        page = client.get(url("cases:information_checklist", pk=case.pk)).content.decode()
    assert "not yet given" not in page
