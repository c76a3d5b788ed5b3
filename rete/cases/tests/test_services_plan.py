"""Support plan: needs and the services that answer them, due and overdue items on the start
page and in the caseload, and the services API."""
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from rete.cases import selectors, services
from rete.cases.models import ActivityKind, CaseActivity, SupportService
from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role

NEED = "Needs-Sentinel-4711 somewhere he cannot find"
OUTCOME = "Outcome-Sentinel-0815 moved in on Monday"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def backdate(case, days_ago=60):
    """Her first contact some weeks ago, so that due dates in the past are possible."""
    case.__class__.objects.filter(pk=case.pk).update(first_contact_at=timezone.now() - datetime.timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def add(worker, case, **values):
    data = {"need": "A need", "kind": "shelter", "provider": "City shelter", "status": "requested", "due_on": days(3)}
    data.update(values)
    return services.service_add(by=worker, case=case, **data)


@pytest.fixture
def worker(network):
    return network[Role.CASEWORKER]


@pytest.fixture
def case(network, worker):
    return backdate(open_case(worker, network.home, given_name="Ottavia"))


def form_data(**values):
    data = {"need": NEED, "kind": "shelter", "provider": "Casa Rifugio", "status": "requested",
            "due_on": days(5).isoformat(), "outcome": ""}
    data.update(values)
    return data


# ---- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_a_service_through_the_pages(network, worker, case):
    client = client_for(worker)
    page = client.get(url("cases:service_add", pk=case.pk))
    assert page.status_code == 200 and 'name="need"' in page.content.decode()
    response = client.post(url("cases:service_add", pk=case.pk), form_data())
    assert response.status_code == 302 and response["Location"].endswith(url("cases:case_detail", pk=case.pk))
    service = SupportService.objects.get()
    assert service.need == NEED and service.kind == "shelter" and service.created_by == worker and service.version == 1
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert 'id="support-plan-title"' in detail and NEED in detail and "Casa Rifugio" in detail
    assert "Shelter or safe accommodation: Requested from the provider" in detail  # the timeline line
    activity = CaseActivity.objects.get(case=case, kind=ActivityKind.SERVICE)
    assert activity.text == "Shelter or safe accommodation: Requested from the provider" and NEED not in activity.text
    event = AuditEvent.objects.get(action="case.service_added")
    assert event.detail == {"service": service.pk, "kind": "shelter", "status": "requested"}


@pytest.mark.django_db
def test_bad_input_is_refused_with_the_data_kept(worker, case):
    client = client_for(worker)
    response = client.post(url("cases:service_add", pk=case.pk), form_data(need="   ", kind="nonsense"))
    page = response.content.decode()
    assert response.status_code == 400 and "Casa Rifugio" in page and "Select a valid choice" in page
    # Delivered or cancelled without an outcome, a due date before her first contact, a year typo.
    response = client.post(url("cases:service_add", pk=case.pk), form_data(status="delivered"))
    assert response.status_code == 400 and "an outcome is required" in response.content.decode() and NEED in response.content.decode()
    response = client.post(url("cases:service_add", pk=case.pk), form_data(status="cancelled", outcome="  "))
    assert response.status_code == 400 and "an outcome is required" in response.content.decode()
    response = client.post(url("cases:service_add", pk=case.pk), form_data(due_on=days(-365).isoformat()))
    assert response.status_code == 400 and "before her first contact" in response.content.decode()
    response = client.post(url("cases:service_add", pk=case.pk), form_data(due_on="2206-01-01"))
    assert response.status_code == 400 and "check the year" in response.content.decode()
    response = client.post(url("cases:service_add", pk=case.pk), form_data(due_on="31/31/2026"))
    assert response.status_code == 400 and NEED in response.content.decode()
    assert not SupportService.objects.exists() and not AuditEvent.objects.filter(action="case.service_added").exists()
    # Declined with no outcome is accepted (an outcome is welcome but not required).
    assert client.post(url("cases:service_add", pk=case.pk), form_data(status="declined")).status_code == 302


@pytest.mark.django_db
def test_update_a_service_and_record_its_outcome(worker, case):
    service = add(worker, case, need=NEED)
    client = client_for(worker)
    page = client.get(url("cases:service_edit", pk=case.pk, service_id=service.pk))
    assert page.status_code == 200 and NEED in page.content.decode() and 'name="version" value="1"' in page.content.decode()
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count() == 1  # the page shows her need
    response = client.post(url("cases:service_edit", pk=case.pk, service_id=service.pk),
                           form_data(version=1, status="delivered", outcome=OUTCOME, due_on=service.due_on.isoformat()))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "delivered" and service.outcome == OUTCOME and service.version == 2
    event = AuditEvent.objects.get(action="case.service_updated")
    assert event.detail == {"service": service.pk, "kind": "shelter", "status": "delivered",
                            "fields": ["outcome", "provider", "status"]}
    assert OUTCOME not in str(event.detail) and NEED not in str(event.detail)
    detail = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert OUTCOME in detail and "Shelter or safe accommodation: Delivered" in detail
    # A missing version (a hand-made form) is refused, not guessed.
    response = client.post(url("cases:service_edit", pk=case.pk, service_id=service.pk), form_data(outcome=OUTCOME, status="delivered"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_stale_edit_is_refused_with_both_versions_and_her_entries_kept(network, worker, case):
    colleague = network[Role.SUPERVISOR]
    services.team_add(by=worker, case=case, member=colleague)
    service = add(worker, case, need=NEED)
    # The colleague saves first.
    services.service_update(by=colleague, case=case, service_id=service.pk, version=1, provider="Their provider", status="in_progress")
    response = client_for(worker).post(url("cases:service_edit", pk=case.pk, service_id=service.pk),
                                       form_data(version=1, provider="My provider", status="requested"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this record" in page and "My provider" in page and "Their provider" in page
    assert "In progress" in page and 'name="version" value="2"' in page  # saving again is a knowing overwrite
    service.refresh_from_db()
    assert service.provider == "Their provider" and service.version == 2
    assert client_for(worker).post(url("cases:service_edit", pk=case.pk, service_id=service.pk),
                                   form_data(version=2, provider="My provider")).status_code == 302
    service.refresh_from_db()
    assert service.provider == "My provider" and service.version == 3


@pytest.mark.django_db
def test_a_closed_case_takes_no_new_service(worker, case):
    from rete.cases.models import Case

    Case.objects.filter(pk=case.pk).update(status="closed")
    response = client_for(worker).post(url("cases:service_add", pk=case.pk), form_data())
    assert response.status_code == 400 and "This case is closed" in response.content.decode()
    assert not SupportService.objects.exists()


@pytest.mark.django_db
def test_other_organisations_and_other_teams_get_404(network, worker, case):
    service = add(worker, case)
    other_case = open_case(network["other_caseworker"], network.other)
    other_service = add(network["other_caseworker"], other_case)
    for intruder in (network["other_caseworker"], network["other_supervisor"], network[Role.POLICE_OFFICER], network.outsider):
        client = client_for(intruder)
        assert_denied(client.get(url("cases:service_add", pk=case.pk)))
        assert_denied(client.post(url("cases:service_add", pk=case.pk), form_data()))
        assert_denied(client.get(url("cases:service_edit", pk=case.pk, service_id=service.pk)))
        assert_denied(client.post(url("cases:service_edit", pk=case.pk, service_id=service.pk), form_data(version=1)))
        assert_denied(client.get(f"/api/v1/cases/{case.pk}/services/"))
        assert_denied(client.post(f"/api/v1/cases/{case.pk}/services/", {"need": "x", "kind": "legal"}, content_type="application/json"))
        assert_denied(client.get(f"/api/v1/cases/{case.pk}/services/{service.pk}/"))
        assert_denied(client.patch(f"/api/v1/cases/{case.pk}/services/{service.pk}/", {"version": 1}, content_type="application/json"))
    # A service of another case cannot be reached through a case she may open.
    client = client_for(worker)
    assert_denied(client.get(url("cases:service_edit", pk=case.pk, service_id=other_service.pk)))
    assert_denied(client.get(f"/api/v1/cases/{case.pk}/services/{other_service.pk}/"))
    with pytest.raises(Exception):
        services.service_update(by=worker, case=case, service_id=other_service.pk, version=1, status="delivered", outcome="x")
    assert SupportService.objects.filter(status="requested").count() == 2 and SupportService.objects.count() == 2


@pytest.mark.django_db
def test_need_and_outcome_are_encrypted_and_never_audited(worker, case):
    service = add(worker, case, need=NEED)
    services.service_update(by=worker, case=case, service_id=service.pk, version=1, status="delivered", outcome=OUTCOME)
    with connection.cursor() as cursor:
        cursor.execute("SELECT need, outcome FROM cases_supportservice")
        need, outcome = cursor.fetchone()
    assert "Sentinel" not in need and "Sentinel" not in outcome and need and outcome
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_caseactivity")
        assert not any("Sentinel" in (row[0] or "") for row in cursor.fetchall())
    for event in AuditEvent.objects.filter(action__startswith="case.service"):
        assert "Sentinel" not in str(event.detail)
    assert AuditEvent.objects.filter(action__startswith="case.service").count() == 2


@pytest.mark.django_db
def test_case_page_section_flags_overdue_in_words_and_stays_bounded(worker, case, django_assert_max_num_queries):
    add(worker, case, need="Late need", due_on=days(-3))
    add(worker, case, need="Done need", status="delivered", outcome="ok", due_on=days(-5))
    client = client_for(worker)
    client.get(url("cases:case_detail", pk=case.pk))
    with django_assert_max_num_queries(60) as few:
        page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    baseline = len(few.captured_queries)
    assert "1 service is overdue." in page and page.count(">overdue<") == 1  # the delivered one is not overdue
    for i in range(12):
        add(worker, case, need=f"Need {i}", due_on=days(-1 - i % 3))
    with django_assert_max_num_queries(baseline):
        page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "13 services are overdue." in page


# ---- start page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_start_page_shows_overdue_and_due_this_week(network, worker, case):
    late = add(worker, case, kind="legal", due_on=days(-4))
    add(worker, case, kind="health", due_on=days(2))
    add(worker, case, kind="housing", due_on=days(20))  # later: not listed
    add(worker, case, kind="economic", status="delivered", outcome="done", due_on=days(-10))  # closed: never overdue
    other = backdate(open_case(worker, network.home, given_name="Beatrice"))
    add(worker, other, kind="psychological", due_on=days(-1))
    # Someone else's case on another team does not appear.
    stranger = backdate(open_case(network[Role.SUPERVISOR], network.home, given_name="Stranger"))
    add(network[Role.SUPERVISOR], stranger, kind="children", due_on=days(-2))
    page = client_for(worker).get(url("core:start")).content.decode()
    assert "2 cases have overdue services." in page and "2 services in all are past their due date." in page
    assert "Legal advice and representation" in page and "4 days overdue" in page and case.reference in page
    assert "Psychological support" in page and "Health care" in page
    assert "Housing" not in page and "Economic support" not in page and "Support for her children" not in page
    assert stranger.reference not in page and "Ottavia" in page
    assert "?scope=mine&amp;due=overdue" in page
    # Names stay hidden when the organisation asks for it.
    network.home.hide_names_in_lists = True
    network.home.save()
    page = client_for(worker).get(url("core:start")).content.decode()
    assert "Ottavia" not in page and "Beatrice" not in page and case.reference in page
    # Delivering it clears it.
    services.service_update(by=worker, case=case, service_id=late.pk, version=1, status="delivered", outcome="done")
    page = client_for(worker).get(url("core:start")).content.decode()
    assert "1 case has overdue services." in page and "Legal advice" not in page


@pytest.mark.django_db
def test_start_page_queries_do_not_grow_with_the_caseload(network, worker, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            case = backdate(open_case(worker, network.home, given_name=f"P{i}"))
            add(worker, case, due_on=days(-1 - i))
            add(worker, case, kind="legal", due_on=days(i % 7))

    make(5)
    client = client_for(worker)
    client.get(url("core:start"))
    with django_assert_max_num_queries(40) as few:
        page = client.get(url("core:start")).content.decode()
    assert "5 cases have overdue services." in page
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("core:start")).content.decode()
    assert "15 cases have overdue services." in page and "15 services in all are past their due date." in page
    assert page.count("days overdue") + page.count("day overdue") == selectors.DUE_PANEL_ROWS  # the list is cut
    assert "See all 15 services due in the next 7 days" in page


# ---- caseload ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_caseload_filters_due_items_and_counts_overdue(network, worker, case):
    add(worker, case, due_on=days(-2))
    add(worker, case, kind="legal", due_on=days(-1))
    soon = backdate(open_case(worker, network.home, given_name="Soon"))
    add(worker, soon, due_on=days(3))
    quiet = backdate(open_case(worker, network.home, given_name="Quiet"))
    add(worker, quiet, due_on=days(30))
    add(worker, quiet, status="cancelled", outcome="no longer needed", due_on=days(-3))
    client = client_for(worker)
    page = client.get(url("cases:caseload")).content.decode()
    assert all(c.reference in page for c in (case, soon, quiet)) and "2 overdue" in page
    page = client.get(url("cases:caseload") + "?due=overdue").content.decode()
    assert case.reference in page and soon.reference not in page and quiet.reference not in page
    page = client.get(url("cases:caseload") + "?due=week").content.decode()
    assert soon.reference in page and case.reference not in page and quiet.reference not in page
    page = client.get(url("cases:caseload") + "?due=nonsense").content.decode()
    assert all(c.reference in page for c in (case, soon, quiet))  # an unknown choice filters nothing
    rows = {c.pk: c.overdue_items for c in selectors.case_list(user=worker)}
    assert rows == {case.pk: 2, soon.pk: 0, quiet.pk: 0}
    assert [c.pk for c in selectors.case_list(user=worker, due="overdue")] == [case.pk]
    # The API filter is the same.
    listing = client.get("/api/v1/cases/?due=week").json()
    assert [row["reference"] for row in listing["results"]] == [soon.reference]


@pytest.mark.django_db
def test_caseload_queries_do_not_grow_with_due_items(network, worker, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            case = backdate(open_case(worker, network.home))
            add(worker, case, due_on=days(-1))
            add(worker, case, kind="legal", due_on=days(-2))

    make(5)
    client = client_for(worker)
    client.get(url("cases:caseload") + "?due=overdue")
    with django_assert_max_num_queries(20) as few:
        page = client.get(url("cases:caseload") + "?due=overdue").content.decode()
    assert page.count("2 overdue") == 5
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("cases:caseload") + "?due=overdue").content.decode()
    assert page.count("2 overdue") == 15


@pytest.mark.django_db
def test_due_items_filter_is_one_expression_that_other_sources_extend(network, worker, case, monkeypatch):
    from rete.cases.models import Case

    add(worker, case, due_on=days(10))
    assert not Case.objects.filter(selectors.due_items_filter("overdue")).exists()

    def everything_overdue(window, today):
        return Case.objects.filter(pk=case.pk) if window == "overdue" else Case.objects.none(), "pk"

    monkeypatch.setattr(selectors, "DUE_ITEM_SOURCES", [*selectors.DUE_ITEM_SOURCES, everything_overdue])
    assert list(Case.objects.filter(selectors.due_items_filter("overdue"))) == [case]
    assert Case.objects.annotate(n=selectors.due_items_count("overdue")).get().n == 1
    with pytest.raises(ValueError):
        selectors.due_items_filter("someday")


# ---- API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_create_list_and_patch(worker, case):
    client = client_for(worker)
    base = f"/api/v1/cases/{case.pk}/services/"
    response = client.post(base, {"need": NEED, "kind": "legal", "provider": "Avv. Rossi", "due_on": days(-1).isoformat()},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "planned" and created["version"] == 1 and created["overdue"] is True and created["need"] == NEED
    assert AuditEvent.objects.get(action="case.service_added").detail["kind"] == "legal"
    listing = client.get(base).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == created["id"]
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count() == 1
    detail = client.get(f"{base}{created['id']}/").json()
    assert detail["provider"] == "Avv. Rossi"
    response = client.patch(f"{base}{created['id']}/", {"version": 1, "status": "delivered", "outcome": OUTCOME},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["status"] == "delivered" and body["need"] == NEED and body["overdue"] is False
    event = AuditEvent.objects.get(action="case.service_updated")
    assert event.detail["fields"] == ["outcome", "status"] and OUTCOME not in str(event.detail)
    assert CaseActivity.objects.filter(case=case, kind=ActivityKind.SERVICE).count() == 2


@pytest.mark.django_db
def test_api_refuses_bad_input_and_stale_versions(network, worker, case):
    client = client_for(worker)
    base = f"/api/v1/cases/{case.pk}/services/"
    response = client.post(base, {"need": "", "kind": "spa"}, content_type="application/json")
    assert response.status_code == 400 and {"need", "kind"} <= set(response.json())
    response = client.post(base, {"need": "x", "kind": "legal", "status": "delivered"}, content_type="application/json")
    assert response.status_code == 400 and "outcome" in response.json()
    response = client.post(base, {"need": "x", "kind": "legal", "due_on": "1999-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "due_on" in response.json()
    assert not SupportService.objects.exists()
    service = add(worker, case)
    detail = f"{base}{service.pk}/"
    assert client.patch(detail, {"status": "in_progress"}, content_type="application/json").status_code == 400  # no version
    response = client.patch(detail, {"version": 1, "status": "cancelled"}, content_type="application/json")
    assert response.status_code == 400 and "outcome" in response.json()
    services.service_update(by=worker, case=case, service_id=service.pk, version=1, provider="Saved meanwhile")
    response = client.patch(detail, {"version": 1, "provider": "Mine"}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == 2 and body["current"]["provider"] == "Saved meanwhile"
    service.refresh_from_db()
    assert service.provider == "Saved meanwhile"
    assert client.patch(detail, {"version": 2, "provider": "Mine"}, content_type="application/json").status_code == 200
    assert client.get(f"{base}999999/").status_code == 404
    assert client_for(None).get(base).status_code == 401


@pytest.mark.django_db
def test_api_list_is_bounded(worker, case, django_assert_max_num_queries):
    for i in range(3):
        add(worker, case, need=f"n{i}")
    client = client_for(worker)
    base = f"/api/v1/cases/{case.pk}/services/"
    client.get(base)
    with django_assert_max_num_queries(30) as few:
        assert client.get(base).json()["count"] == 3
    for i in range(20):
        add(worker, case, need=f"m{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(base + "?limit=50").json()["count"] == 23


@pytest.mark.django_db
def test_saving_an_unchanged_line_records_nothing(worker, case):
    service = add(worker, case)
    client = client_for(worker)
    data = form_data(version=1, need="A need", provider="City shelter", due_on=service.due_on.isoformat())
    assert client.post(url("cases:service_edit", pk=case.pk, service_id=service.pk), data).status_code == 302
    service.refresh_from_db()
    assert service.version == 1 and not AuditEvent.objects.filter(action="case.service_updated").exists()
    assert CaseActivity.objects.filter(case=case, kind=ActivityKind.SERVICE).count() == 1
