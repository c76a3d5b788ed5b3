import pytest
from django.db import connection
from django.http import Http404

from rete.cases import selectors, services
from rete.cases.models import Case, CaseAssignment, Person
from rete.cases.tests.helpers import open_case
from rete.conftest import url, assert_denied, client_for, make_user
from rete.core.models import AuditEvent, Role

SENTINEL = "Zephyrine-7c1d"



# ---- services ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_a_case_gives_a_reference_a_team_and_an_audit_event(network):
    worker = network[Role.CASEWORKER]
    first = open_case(worker, network.home)
    second = open_case(worker, network.home, is_anonymous=True, given_name="", family_name="")
    assert first.reference.endswith("-00001") and second.reference.endswith("-00002")
    assert first.reference.startswith("HOME-")
    assert list(CaseAssignment.objects.filter(case=first).values_list("user", flat=True)) == [worker.pk]
    event = AuditEvent.objects.filter(action="case.opened").first()
    assert event.detail["reference"] in {first.reference, second.reference}
    assert "Maria" not in str(event.detail)
    assert second.person.display_name() == "Anonymous contact"


@pytest.mark.django_db
def test_only_case_roles_open_cases(network):
    for intruder in (network[Role.TRAINER], network.outsider, network["other_caseworker"]):
        with pytest.raises(Http404):
            open_case(intruder, network.home)


@pytest.mark.django_db
def test_person_fields_are_encrypted_at_rest(network):
    open_case(network[Role.CASEWORKER], network.home, given_name=SENTINEL, code_word=SENTINEL, safe_phone="+39 " + SENTINEL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, code_word, safe_phone, name_index FROM cases_person")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert SENTINEL not in raw
    assert Person.objects.get().given_name == SENTINEL


def test_indexes_match_despite_spelling_and_format():
    a = services.person_indexes(given_name="Élena", family_name="PAPADOPOULOU", birth_year=1985, phone="+357 99 123 456")
    b = services.person_indexes(given_name="elena ", family_name="Papadopoulou", birth_year=1985, phone="0035799123456")
    c = services.person_indexes(given_name="Elena", family_name="Papadopoulou", birth_year=1986)
    assert a.name_index == b.name_index and a.phone_index == b.phone_index
    assert a.name_index != c.name_index and c.phone_index == ""


# ---- selectors ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_need_to_know_visibility(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    colleague = make_user("colleague@home.example", roles=[Role.CASEWORKER], organisation=network.home)
    assert selectors.case_get(user=network[Role.CASEWORKER], pk=case.pk) == case
    # A supervisor reads the cases she supervises; others only through break-glass.
    for outsider in (colleague, network[Role.SUPERVISOR], network[Role.POLICE_OFFICER], network[Role.ORG_ADMIN], network["other_supervisor"], network.superuser):
        with pytest.raises(Http404):
            selectors.case_get(user=outsider, pk=case.pk)
    services.case_set_supervisor(by=network[Role.CASEWORKER], case=case, supervisor=network[Role.SUPERVISOR])
    assert selectors.case_get(user=network[Role.SUPERVISOR], pk=case.pk) == case
    network.home.org_wide_visibility = True
    network.home.save()
    colleague = type(colleague).objects.get(pk=colleague.pk)  # fresh membership cache
    assert selectors.case_get(user=colleague, pk=case.pk) == case


@pytest.mark.django_db
def test_duplicates_are_found_within_the_organisation_only(network):
    worker = network[Role.CASEWORKER]
    mine = open_case(worker, network.home, given_name="Anna", family_name="Rossi", birth_year=1980, phone="333 1234567")
    open_case(network["other_caseworker"], network.other, given_name="Anna", family_name="Rossi", birth_year=1980)
    colleague_case = open_case(network[Role.SUPERVISOR], network.home, given_name="Other", birth_year=1970, phone="+39 333 1234567")
    indexes = services.person_indexes(given_name="anna", family_name="rossi", birth_year=1980, phone="3331234567")
    found = selectors.duplicate_candidates(user=worker, organisation=network.home, name_index=indexes.name_index, phone_index=indexes.phone_index)
    by_ref = {row["reference"]: row for row in found}
    assert set(by_ref) == {mine.reference, colleague_case.reference}
    assert by_ref[mine.reference]["visible"] and by_ref[mine.reference]["same_name"]
    assert not by_ref[colleague_case.reference]["visible"] and by_ref[colleague_case.reference]["same_phone"]


# ---- views -------------------------------------------------------------------------------


INTAKE = {"contact_route": "helpline", "first_contact_at": "2026-11-20T21:05", "given_name": "Lucia", "family_name": "Verdi",
          "birth_year": "1992", "phone": "347 555 0101", "language": "it", "safe_to_contact": "yes", "safe_phone": "347 555 0101",
          "safe_times": "weekday mornings", "code_word": "pane"}


@pytest.mark.django_db
def test_intake_warns_of_a_duplicate_keeps_the_form_then_opens_on_confirmation(network):
    worker = network[Role.CASEWORKER]
    client = client_for(worker)
    data = {**INTAKE, "organisation": str(network.home.pk)}
    response = client.post(url("cases:intake"), data)
    assert response.status_code == 302
    first = Case.objects.get()
    response = client.post(url("cases:intake"), {**data, "phone": "+39 347 5550101"})
    page = response.content.decode()
    assert response.status_code == 200 and "may already have a record" in page and first.reference in page
    assert 'value="Lucia"' in page and 'value="pane"' in page
    assert Case.objects.count() == 1
    response = client.post(url("cases:intake"), {**data, "confirm_new": "on"})
    assert response.status_code == 302 and Case.objects.count() == 2


@pytest.mark.django_db
def test_intake_errors_are_clear_and_lose_nothing(network):
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:intake", lang="it"), {**INTAKE, "given_name": "", "birth_year": "2999", "safe_phone": "", "phone": "",
                                                              "organisation": str(network.home.pk)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="pane"' in page and 'value="weekday mornings"' in page
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_contact(network):
    response = client_for(network[Role.CASEWORKER]).post(url("cases:intake"), {"contact_route": "walk_in", "first_contact_at": "2026-11-20T21:05",
                                                                              "is_anonymous": "on", "safe_to_contact": "no", "organisation": str(network.home.pk)})
    assert response.status_code == 302
    assert Case.objects.get().person.is_anonymous


@pytest.mark.django_db
def test_case_page_is_audited_and_shows_safe_contact(network):
    case = open_case(network[Role.CASEWORKER], network.home, safe_to_contact="yes", safe_phone="0123 456", code_word="aurora")
    page = client_for(network[Role.CASEWORKER]).get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "aurora" in page and "0123 456" in page
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk), actor=network[Role.CASEWORKER]).exists()


@pytest.mark.django_db
def test_it_checks_ownership(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    for intruder in (network["other_caseworker"], network["other_supervisor"], network[Role.POLICE_OFFICER], network.outsider):
        assert_denied(client_for(intruder).get(url("cases:case_detail", pk=case.pk)))
    assert not AuditEvent.objects.filter(action="case.viewed").exists()


@pytest.mark.django_db
def test_caseload_is_bounded_and_can_hide_names(network, django_assert_max_num_queries):
    worker = network[Role.CASEWORKER]
    for i in range(25):
        open_case(worker, network.home, given_name=f"Name{i}")
    client = client_for(worker)
    client.get(url("cases:caseload"))
    with django_assert_max_num_queries(15):
        page = client.get(url("cases:caseload")).content.decode()
    assert "Name3" in page
    network.home.hide_names_in_lists = True
    network.home.save()
    page = client.get(url("cases:caseload")).content.decode()
    assert "Name3" not in page and "HOME-" in page
    with django_assert_max_num_queries(25):
        start = client.get(url("core:start")).content.decode()
    assert "active cases on your team" in start and "Name3" not in start


@pytest.mark.django_db
def test_supervisor_sees_the_teams_caseload(network):
    case = open_case(network[Role.CASEWORKER], network.home, given_name="Zenobia")
    supervisor = client_for(network[Role.SUPERVISOR])
    page = supervisor.get(url("cases:caseload") + "?scope=team").content.decode()
    assert case.reference in page and "Zenobia" not in page and "not on your team" in page
    assert case.reference not in supervisor.get(url("cases:caseload") + "?scope=all").content.decode()
    assert case.reference not in supervisor.get(url("cases:caseload")).content.decode()  # her own team's cases
    # A caseworker has no supervision tab and never sees other teams' cases.
    page = client_for(network[Role.CASEWORKER]).get(url("cases:caseload") + "?scope=team").content.decode()
    assert "Whole caseload" not in page


@pytest.mark.django_db
def test_demo_cases_load_once(django_capture_on_commit_callbacks):
    from rete.cases.demo import load_demo_cases
    from rete.core.demo import load_demo_network

    load_demo_network()
    assert load_demo_cases() == 150
    assert load_demo_cases() == 0
    assert set(Case.objects.values_list("status", flat=True)) == {"open", "on_hold", "closed", "reopened"}
    assert set(Case.objects.values_list("person__language", flat=True)) == {"en", "it", "el", "cs", "bg"}
    from rete.risk.models import RiskStatus

    assert RiskStatus.objects.filter(subject_type="case").count() == 120  # every case from stage 3 on
    assert len(set(RiskStatus.objects.values_list("band", flat=True))) >= 3
    assert Case.objects.filter(organisation__slug="cipm").count() == 0  # a perpetrator programme has no victim cases


@pytest.mark.django_db
def test_case_api_scoping_and_audit(network, django_assert_max_num_queries):
    case = open_case(network[Role.CASEWORKER], network.home, code_word="aurora")
    worker = client_for(network[Role.CASEWORKER])
    listing = worker.get("/api/v1/cases/").json()
    assert [row["reference"] for row in listing["results"]] == [case.reference]
    assert "Maria" not in str(listing)
    detail = worker.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["person"]["code_word"] == "aurora" and detail["team"] == [network[Role.CASEWORKER].email]
    assert AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count() == 1
    assert_denied(client_for(network["other_caseworker"]).get(f"/api/v1/cases/{case.pk}/"))
    assert client_for(network[Role.POLICE_OFFICER]).get("/api/v1/cases/").json()["count"] == 0
    assert worker.get("/api/v1/cases/?status=nonsense").status_code == 400
    for i in range(20):
        open_case(network[Role.CASEWORKER], network.home)
    with django_assert_max_num_queries(12):
        assert worker.get("/api/v1/cases/").status_code == 200


@pytest.mark.django_db
def test_case_page_shows_years_and_languages_for_people(network):
    case = open_case(network[Role.CASEWORKER], network.home, birth_year=1978, language="it")
    page = client_for(network[Role.CASEWORKER]).get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "1978" in page and "1,978" not in page and "Italian" in page
