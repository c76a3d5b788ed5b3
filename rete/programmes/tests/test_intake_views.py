"""The intake pages (part "intake"): the list (filters, counts, names hidden when the programme
asks, bounded), the enquiry (duplicate warning before creating, adults only), the enrolment
page's first sections (about him, his state, the people working with him; audited once per
showing; bounded), his details (409 on a stale save), the actions (POST only; 400 with her
entries kept; 409 when the enrolment changed meanwhile) and the start-page panel. Anything out of
reach is 404, like something that does not exist."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.programmes.models import Enrolment, EnrolmentStaff, EnrolmentState, StaffRole
from rete.programmes.services import enrolments as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_group
from rete.programmes.tests.test_intake_services import _partner_side_facilitator

pytestmark = pytest.mark.django_db
S = EnrolmentState
ACTIONS = ("programmes:own_request_record", "programmes:information_contact_record", "programmes:enrolment_transition",
           "programmes:enrolment_staff_assign")


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=S.ENQUIRY, given_name="Marco", family_name="Testa")


def detail(user, enrolment):
    return client_for(user).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk))


def fresh(enrolment):
    return Enrolment.objects.get(pk=enrolment.pk)


# ---- ownership -------------------------------------------------------------------------------------


def test_it_checks_ownership(network, programme, enrolment, client):
    staff_row = EnrolmentStaff.objects.get(enrolment=enrolment)
    elsewhere = Programme("altro")
    # Her colleague of the same programme is neither on his staff nor facilitating his group.
    refused = (programme.cofacilitator, programme.partner_worker, elsewhere.facilitator, elsewhere.coordinator,
               network["facilitator"], network["programme_coordinator"], network["caseworker"], network["supervisor"],
               network.outsider, network.superuser)
    for user in refused:
        assert_denied(detail(user, enrolment))
        assert_denied(client_for(user).get(url("programmes:participant_edit", enrolment_id=enrolment.pk)))
        assert_denied(client_for(user).post(url("programmes:participant_edit", enrolment_id=enrolment.pk), {"given_name": "X"}))
        for name in ACTIONS:
            assert_denied(client_for(user).post(url(name, enrolment_id=enrolment.pk),
                                                {"version": enrolment.version, "to_state": S.INFORMATION, "reason": "x"}))
        assert_denied(client_for(user).post(url("programmes:enrolment_staff_end", enrolment_id=enrolment.pk,
                                                enrolment_staff_id=staff_row.pk)))
    assert fresh(enrolment).state == S.ENQUIRY and fresh(enrolment).version == enrolment.version
    # A missing enrolment: the same answer.
    assert_denied(client_for(programme.coordinator).get(url("programmes:enrolment_detail", enrolment_id=enrolment.pk + 1000)))
    # The list and the enquiry: only people who work with men.
    for user in (programme.partner_worker, network["caseworker"], network.outsider, network.superuser):
        assert_denied(client_for(user).get(url("programmes:enrolment_list")))
        assert_denied(client_for(user).get(url("programmes:enquiry")))
    # Anonymous: to the sign-in page.
    for path in (url("programmes:enrolment_list"), url("programmes:enquiry"),
                 url("programmes:enrolment_detail", enrolment_id=enrolment.pk)):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
    # The man's own staff and the programme's coordinator reach him.
    assert detail(programme.facilitator, enrolment).status_code == 200
    assert detail(programme.coordinator, enrolment).status_code == 200


def test_a_facilitator_of_his_group_reaches_him(programme, enrolment):
    assert_denied(detail(programme.cofacilitator, enrolment))
    make_group(programme, members=[enrolment], facilitators=[programme.cofacilitator])
    assert detail(programme.cofacilitator, enrolment).status_code == 200


def test_a_staff_row_of_another_enrolment_is_out_of_reach(programme, enrolment):
    other = make_enrolment(programme, given_name="Dario")
    services.staff_assign(by=programme.facilitator, enrolment=other, user=programme.cofacilitator, role=StaffRole.FACILITATOR)
    row = EnrolmentStaff.objects.get(enrolment=other, user=programme.cofacilitator)
    response = client_for(programme.facilitator).post(url("programmes:enrolment_staff_end", enrolment_id=enrolment.pk,
                                                          enrolment_staff_id=row.pk))
    assert_denied(response)
    assert EnrolmentStaff.objects.get(pk=row.pk).ended_at is None


def test_the_actions_answer_post_only(programme, enrolment):
    client = client_for(programme.facilitator)
    for name in ACTIONS:
        assert client.get(url(name, enrolment_id=enrolment.pk)).status_code == 405
    row = EnrolmentStaff.objects.get(enrolment=enrolment)
    assert client.get(url("programmes:enrolment_staff_end", enrolment_id=enrolment.pk, enrolment_staff_id=row.pk)).status_code == 405


# ---- the list --------------------------------------------------------------------------------------


def test_the_list_shows_the_men_she_may_open(network, programme, enrolment):
    active = make_enrolment(programme, state=S.ACTIVE, given_name="Luca", family_name="Neri", source="court_165")
    closed = make_enrolment(programme, state=S.ASSESSING, given_name="Pietro")
    services.suitability_decide(by=programme.coordinator, enrolment=closed, decision="not_suitable", reason="Denies everything.",
                                version=fresh(closed).version)
    page = client_for(programme.facilitator).get(url("programmes:enrolment_list")).content.decode()
    for text in (enrolment.reference, "Marco Testa", active.reference, "Luca Neri", "Active", "Group programme",
                 "Standard pathway", "Court: suspended sentence (art. 165 c.p.)", url("programmes:enquiry")):
        assert text in page
    assert closed.reference not in page  # not open
    # Counts per state, from the same scope.
    assert "Enquiry: 1" in page and "Active: 1" in page and "Not suitable: 1" in page
    # Her colleague sees none of them; the coordinator sees them all.
    colleague = client_for(programme.cofacilitator).get(url("programmes:enrolment_list")).content.decode()
    assert enrolment.reference not in colleague and "No enrolment matches." in colleague
    everything = client_for(programme.coordinator).get(url("programmes:enrolment_list") + "?state=all").content.decode()
    assert closed.reference in everything and enrolment.reference in everything


def test_the_list_filters(programme, enrolment):
    active = make_enrolment(programme, state=S.ACTIVE, given_name="Luca")
    theirs = make_enrolment(programme, by=programme.cofacilitator, given_name="Enzo")
    client = client_for(programme.coordinator)

    def shown(query):
        page = client.get(url("programmes:enrolment_list") + query)
        assert page.status_code == 200
        content = page.content.decode()
        return {e.reference for e in (enrolment, active, theirs) if e.reference in content}

    assert shown("") == {enrolment.reference, active.reference, theirs.reference}
    assert shown("?state=active") == {active.reference}
    assert shown("?state=group:before") == {enrolment.reference, theirs.reference}
    assert shown("?state=group:in") == {active.reference}
    assert shown("?state=group:non_compliant") == set()
    assert shown(f"?q={active.reference[-4:]}") == {active.reference}
    assert shown("?state=nonsense") == {enrolment.reference, active.reference, theirs.reference}  # an invalid filter is ignored
    services.staff_assign(by=programme.coordinator, enrolment=enrolment, user=programme.coordinator, role=StaffRole.CASE_MANAGER)
    assert shown("?mine=on") == {enrolment.reference}


def test_the_list_hides_names_when_the_programme_asks(programme, enrolment):
    programme.organisation.hide_names_in_lists = True
    programme.organisation.save(update_fields=["hide_names_in_lists"])
    page = client_for(programme.facilitator).get(url("programmes:enrolment_list")).content.decode()
    assert enrolment.reference in page and "Marco" not in page and "hidden in lists" in page


def test_the_list_runs_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    for index in range(8):
        make_enrolment(programme, state=S.ACTIVE if index % 2 else S.ENQUIRY, given_name=f"Man{index}")
    client = client_for(programme.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(url("programmes:enrolment_list"))
    assert response.status_code == 200 and response.content.decode().count("Man") >= 8


def test_the_list_is_paginated(programme):
    from rete.programmes.views import enrolments as views

    for index in range(3):
        make_enrolment(programme, given_name=f"Page{index}")
    old, views.PAGE_SIZE = views.PAGE_SIZE, 2
    try:
        client = client_for(programme.facilitator)
        first = client.get(url("programmes:enrolment_list")).content.decode()
        second = client.get(url("programmes:enrolment_list") + "?page=2").content.decode()
    finally:
        views.PAGE_SIZE = old
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert sum(f"Page{i}" in first for i in range(3)) == 2 and sum(f"Page{i}" in second for i in range(3)) == 1


# ---- the enquiry -----------------------------------------------------------------------------------


def enquiry_data(programme, **values):
    data = {"organisation": str(programme.organisation.pk), "enquiry_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "source": "court_165",
            "referrer_body": "Tribunale di Esempio", "referrer_contact": "Cancelleria, pec@tribunale.example",
            "enquiry_note": "Asked what the programme involves.", "given_name": "Giorgio", "family_name": "Bassi",
            "birth_year": "1971", "phone": "347 765 4321", "email": "", "address": "", "language": "ar",
            "interpreter_needed": "on", "own_request_on": "", "own_request_note": ""}
    data.update(values)
    return data


def test_the_enquiry_page_explains_the_rules(programme):
    page = client_for(programme.facilitator).get(url("programmes:enquiry"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "free of charge" in content and "must come from him" in content
    assert 'name="organisation"' in content and 'type="hidden"' in content  # one programme: not asked


def test_an_enquiry_is_recorded(programme):
    response = client_for(programme.facilitator).post(url("programmes:enquiry"), enquiry_data(programme,
        own_request_on=timezone.localdate().isoformat(), own_request_note="I want to change."))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert response["Location"] == url("programmes:enrolment_detail", enrolment_id=enrolment.pk)
    assert enrolment.organisation == programme.organisation and enrolment.source == "court_165"
    assert enrolment.referrer_contact == "Cancelleria, pec@tribunale.example"
    assert enrolment.own_request_note == "I want to change." and enrolment.own_request_on == timezone.localdate()
    person = enrolment.participant
    assert (person.given_name, person.birth_year, person.language, person.interpreter_needed) == ("Giorgio", 1971, "ar", True)
    page = detail(programme.facilitator, enrolment).content.decode()
    assert "Arabic" in page and "needs an interpreter" in page and "I want to change." in page


def test_a_bad_enquiry_is_shown_again_with_her_entries(programme):
    client = client_for(programme.facilitator)
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, given_name="", enquiry_note="Kept note"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "Kept note" in content and "Bassi" in content and "This field is required." in content
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, own_request_on=tomorrow))
    assert response.status_code == 400 and "cannot be dated in the future" in response.content.decode()
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, own_request_note="Words without a date"))
    assert response.status_code == 400 and "Give the date of his request." in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("values", [
    {"birth_year": str(timezone.localdate().year - 16)},
    {"birth_year": "", "date_of_birth": (timezone.localdate() - datetime.timedelta(days=17 * 365)).isoformat()},
])
def test_an_enquiry_for_a_minor_is_refused(programme, values):
    response = client_for(programme.facilitator).post(url("programmes:enquiry"), enquiry_data(programme, **values))
    assert response.status_code == 400
    assert "adults only (18 and over)" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_duplicate_warning_comes_before_creating(programme, enrolment):
    other = make_enrolment(programme, by=programme.cofacilitator, given_name="Giorgio", family_name="Bassi")
    client = client_for(programme.facilitator)
    # Marco Testa, 1980 (the fixture) and Giorgio Bassi, 1980 (her colleague's) match.
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, given_name="marco", family_name="TESTA", birth_year="1980",
                                                                  phone=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "He may already have a record here" in content
    assert url("programmes:enrolment_detail", enrolment_id=enrolment.pk) in content and "same name and year of birth" in content
    assert 'name="confirm_new"' in content and 'value="Tribunale di Esempio"' in content
    assert Enrolment.objects.count() == 2
    # Her colleague's man: named, not linked.
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, birth_year="1980", phone=""))
    content = response.content.decode()
    assert other.reference in content and url("programmes:enrolment_detail", enrolment_id=other.pk) not in content
    assert "you do not work with him" in content
    # Recorded anyway once she has checked.
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, birth_year="1980", phone="", confirm_new="on"))
    assert response.status_code == 302 and Enrolment.objects.count() == 3


def test_the_enquiry_asks_which_programme_when_she_works_at_several(programme):
    from rete.core.models import Membership, Role

    second = Programme("altro")
    Membership.objects.create(user=programme.facilitator, organisation=second.organisation, role=Role.FACILITATOR)
    client = client_for(programme.facilitator)
    content = client.get(url("programmes:enquiry")).content.decode()
    assert second.organisation.name in content and programme.organisation.name in content
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, organisation=str(second.organisation.pk)))
    assert response.status_code == 302 and Enrolment.objects.get().organisation == second.organisation
    # A programme where she does not work is not a choice.
    elsewhere = Programme("terzo")
    response = client.post(url("programmes:enquiry"), enquiry_data(programme, organisation=str(elsewhere.organisation.pk), given_name="Ivo"))
    assert response.status_code == 400 and Enrolment.objects.count() == 1


# ---- the enrolment's page ----------------------------------------------------------------------------


def test_the_page_shows_about_him_his_state_and_his_staff(programme):
    enrolment = make_enrolment(programme, state=S.ACTIVE, source="court_165")
    services.enrolment_transition(by=programme.coordinator, enrolment=fresh(enrolment), to_state=S.SUSPENDED,
                                  reason="In hospital for a month.")
    content = detail(programme.facilitator, enrolment).content.decode()
    for text in ("About him", "Marco Testa", "Correct his details", "Court: suspended sentence (art. 165 c.p.)",
                 "His own request", "The free information contact was held on",
                 "State", "Suspended", "Standard pathway (version 1)", "Group programme", "Started on",
                 "In hospital for a month.", "Active → Suspended", "Enquiry → Information contact",
                 "People working with him", "Case manager", "Add a colleague", programme.cofacilitator.get_full_name()):
        assert text in content, text
    # Only the states he may go to from here are offered.
    assert 'value="active"' in content and 'value="completed_favourable"' not in content and 'value="waiting"' not in content


def test_the_page_asks_for_his_own_request_when_it_is_missing(programme):
    enrolment = services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="probation",
                                        participant={"given_name": "Aldo", "birth_year": 1966})
    content = detail(programme.facilitator, enrolment).content.decode()
    assert "Not recorded yet." in content and "must still come from him" in content
    assert url("programmes:own_request_record", enrolment_id=enrolment.pk) in content
    assert "The assessment can start only once his own request is recorded" in content


def test_each_showing_of_the_page_is_audited_once(programme, enrolment):
    before = AuditEvent.objects.filter(action="programmes.enrolment_viewed").count()
    detail(programme.facilitator, enrolment)
    detail(programme.coordinator, enrolment)
    events = AuditEvent.objects.filter(action="programmes.enrolment_viewed").order_by("seq")[before:]
    assert [(e.actor, e.object_id, e.detail) for e in events] == [
        (programme.facilitator, str(enrolment.pk), {"enrolment": enrolment.pk}),
        (programme.coordinator, str(enrolment.pk), {"enrolment": enrolment.pk})]
    # A refusal reads nothing.
    assert_denied(detail(programme.cofacilitator, enrolment))
    assert AuditEvent.objects.filter(action="programmes.enrolment_viewed").count() == before + 2


def _intake_section_queries(request, enrolment) -> int:
    from rete.programmes.views import enrolments as views

    with CaptureQueriesContext(connection) as captured:
        for context in (views._about_section, views._state_section, views._staff_section):
            context(request, enrolment)
    return len(captured)


def test_the_page_runs_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    """The sections of this part run the same queries whatever the history and the staff; the
    whole page (with the other parts' sections) stays within a provisional bound."""
    from django.test import RequestFactory

    from rete.programmes.selectors.enrolments import enrolment_get

    small = make_enrolment(programme, state=S.ACTIVE)
    large = make_enrolment(programme, state=S.ACTIVE, given_name="Large")
    for _ in range(4):
        for to_state in (S.SUSPENDED, S.ACTIVE):
            services.enrolment_transition(by=programme.facilitator, enrolment=fresh(large), to_state=to_state, reason="Cycle.")
    services.staff_assign(by=programme.facilitator, enrolment=large, user=programme.cofacilitator, role=StaffRole.FACILITATOR)
    services.staff_assign(by=programme.facilitator, enrolment=large, user=programme.coordinator, role=StaffRole.ASSESSOR)
    request = RequestFactory().get("/")
    request.user = programme.facilitator
    counts = [_intake_section_queries(request, enrolment_get(user=programme.facilitator, pk=e.pk)) for e in (small, large)]
    assert counts[0] == counts[1] <= 4
    client = client_for(programme.facilitator)
    with django_assert_max_num_queries(40):
        assert client.get(url("programmes:enrolment_detail", enrolment_id=large.pk)).status_code == 200


# ---- his details -------------------------------------------------------------------------------------


def participant_data(enrolment, **values):
    person = fresh(enrolment).participant
    data = {"given_name": person.given_name, "family_name": person.family_name, "date_of_birth": "", "birth_year": "1980",
            "phone": "", "email": "", "address": "", "language": "", "version": person.version}
    data.update(values)
    return data


def test_his_details_are_corrected(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:participant_edit", enrolment_id=enrolment.pk)
    page = client.get(path)
    assert page.status_code == 200 and 'value="Marco"' in page.content.decode()
    assert AuditEvent.objects.filter(action="programmes.enrolment_viewed", actor=programme.facilitator).exists()
    response = client.post(path, participant_data(enrolment, phone="02 555 0101", address="Via Esempio 1, Milano", language="ro"))
    assert response.status_code == 302
    person = fresh(enrolment).participant
    assert (person.phone, person.address, person.language, person.version) == ("02 555 0101", "Via Esempio 1, Milano", "ro", 2)


def test_bad_details_are_shown_again(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:participant_edit", enrolment_id=enrolment.pk)
    response = client.post(path, participant_data(enrolment, given_name="", phone="kept 123"))
    assert response.status_code == 400 and "kept 123" in response.content.decode()
    response = client.post(path, participant_data(enrolment, birth_year=str(timezone.localdate().year - 15)))
    assert response.status_code == 400 and "adults only" in response.content.decode()
    response = client.post(path, participant_data(enrolment, date_of_birth="1979-04-02", birth_year="1980"))
    assert response.status_code == 400 and "does not match" in response.content.decode()
    assert fresh(enrolment).participant.version == 1


def test_a_stale_save_of_his_details_shows_both_versions(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:participant_edit", enrolment_id=enrolment.pk)
    seen = participant_data(enrolment)
    services.participant_update(by=programme.coordinator, enrolment=enrolment, version=1, phone="02 999 0000")
    response = client.post(path, {**seen, "phone": "02 111 2222"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved this record" in content and "02 999 0000" in content and "02 111 2222" in content
    assert 'name="version" value="2"' in content
    assert fresh(enrolment).participant.phone == "02 999 0000"
    response = client.post(path, {**seen, "phone": "02 111 2222", "version": 2})
    assert response.status_code == 302 and fresh(enrolment).participant.phone == "02 111 2222"


# ---- his own request and the information contact -----------------------------------------------------


def test_his_own_request_is_recorded(programme):
    enrolment = services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="self",
                                        participant={"given_name": "Aldo", "birth_year": 1966})
    client = client_for(programme.facilitator)
    path = url("programmes:own_request_record", enrolment_id=enrolment.pk)
    response = client.post(path, {"version": enrolment.version, "own_request_on": "", "own_request_note": "Kept words"})
    assert response.status_code == 400 and "Kept words" in response.content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(path, {"version": enrolment.version, "own_request_on": tomorrow, "own_request_note": "Kept words"})
    assert response.status_code == 400 and "on or before today" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(path, {"version": enrolment.version, "own_request_on": today, "own_request_note": "I asked myself."})
    assert response.status_code == 302 and fresh(enrolment).own_request_note == "I asked myself."
    # The page as she opened it before: 409, both versions shown, her words kept.
    response = client.post(path, {"version": enrolment.version, "own_request_on": today, "own_request_note": "Other words"})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved this record" in content and "I asked myself." in content and "Other words" in content
    assert fresh(enrolment).own_request_note == "I asked myself."


def test_the_information_contact_is_recorded(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:information_contact_record", enrolment_id=enrolment.pk)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.post(path, {"version": enrolment.version, "information_contact_on": tomorrow}).status_code == 400
    assert client.post(path, {"version": enrolment.version, "information_contact_on": "soon"}).status_code == 400
    today = timezone.localdate().isoformat()
    response = client.post(path, {"version": enrolment.version, "information_contact_on": today})
    assert response.status_code == 302
    assert fresh(enrolment).state == S.INFORMATION
    assert client.post(path, {"version": enrolment.version, "information_contact_on": today}).status_code == 409


# ---- changing his state ---------------------------------------------------------------------------------


def test_his_state_is_changed_with_a_reason(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:enrolment_transition", enrolment_id=enrolment.pk)
    response = client.post(path, {"version": enrolment.version, "to_state": S.INFORMATION, "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(path, {"version": enrolment.version, "to_state": S.FOLLOW_UP, "reason": "Kept reason"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "cannot go from" in content and "Kept reason" in content
    response = client.post(path, {"version": enrolment.version, "to_state": S.ACTIVE, "reason": "Kept reason"})
    assert response.status_code == 400 and "He has no pathway yet" in response.content.decode()
    response = client.post(path, {"version": enrolment.version, "to_state": S.INFORMATION, "reason": "Came to the office."})
    assert response.status_code == 302
    assert fresh(enrolment).state == S.INFORMATION
    page = detail(programme.facilitator, enrolment).content.decode()
    assert "Came to the office." in page and "Enquiry → Information contact" in page


def test_the_service_explains_a_refused_change(programme):
    enrolment = services.enquiry_record(by=programme.facilitator, organisation=programme.organisation, source="self",
                                        participant={"given_name": "Aldo", "birth_year": 1966})
    response = client_for(programme.facilitator).post(url("programmes:enrolment_transition", enrolment_id=enrolment.pk),
                                                      {"version": enrolment.version, "to_state": S.ASSESSING, "reason": "Start."})
    assert response.status_code == 400 and "Record his own request first" in response.content.decode()
    response = client_for(programme.facilitator).post(url("programmes:enrolment_transition", enrolment_id=enrolment.pk),
                                                      {"version": enrolment.version, "to_state": S.NOT_SUITABLE, "reason": "No."})
    assert response.status_code == 400 and "suitability decision" in response.content.decode()
    assert fresh(enrolment).state == S.ENQUIRY


def test_a_stale_change_of_state_shows_both_versions(programme, enrolment):
    seen = enrolment.version
    services.enrolment_transition(by=programme.coordinator, enrolment=enrolment, to_state=S.INFORMATION, reason="Met him.")
    response = client_for(programme.facilitator).post(url("programmes:enrolment_transition", enrolment_id=enrolment.pk),
                                                      {"version": seen, "to_state": S.DROPPED_OUT, "reason": "He stopped answering."})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved this record" in content and "Dropped out" in content and "Information contact" in content
    assert "He stopped answering." in content and f'name="version" value="{fresh(enrolment).version}"' in content
    assert fresh(enrolment).state == S.INFORMATION


# ---- the people working with him -------------------------------------------------------------------------


def test_a_colleague_is_added_and_ended(programme, enrolment):
    client = client_for(programme.facilitator)
    path = url("programmes:enrolment_staff_assign", enrolment_id=enrolment.pk)
    assert client.post(path, {"user": "", "role": StaffRole.FACILITATOR}).status_code == 400
    # Someone who does not work with men at the programme is not a choice.
    assert client.post(path, {"user": programme.partner_worker.pk, "role": StaffRole.FACILITATOR}).status_code == 400
    response = client.post(path, {"user": programme.cofacilitator.pk, "role": StaffRole.FACILITATOR})
    assert response.status_code == 302
    assert detail(programme.cofacilitator, enrolment).status_code == 200
    first = EnrolmentStaff.objects.get(enrolment=enrolment, user=programme.facilitator)
    response = client.post(url("programmes:enrolment_staff_end", enrolment_id=enrolment.pk, enrolment_staff_id=first.pk))
    assert response.status_code == 302
    assert_denied(detail(programme.facilitator, enrolment))
    # The last one stays.
    last = EnrolmentStaff.objects.get(enrolment=enrolment, user=programme.cofacilitator)
    response = client_for(programme.cofacilitator).post(url("programmes:enrolment_staff_end", enrolment_id=enrolment.pk,
                                                            enrolment_staff_id=last.pk))
    assert response.status_code == 400 and "Someone must keep working with him" in response.content.decode()


def test_someone_on_the_partner_side_is_refused_on_the_page(programme, enrolment):
    dual = _partner_side_facilitator(programme, enrolment)
    response = client_for(programme.coordinator).post(url("programmes:enrolment_staff_assign", enrolment_id=enrolment.pk),
                                                      {"user": dual.pk, "role": StaffRole.FACILITATOR})
    assert response.status_code == 400 and "partner-support side" in response.content.decode()
    assert not EnrolmentStaff.objects.filter(enrolment=enrolment, user=dual).exists()


# ---- the start page ----------------------------------------------------------------------------------------


def test_the_start_panel_counts_the_men_by_group(network, programme, enrolment, django_assert_max_num_queries):
    make_enrolment(programme, state=S.ACTIVE, given_name="Luca")
    make_enrolment(programme, state=S.NON_COMPLIANT, given_name="Enzo", by=programme.cofacilitator)
    from rete.programmes.selectors.intake import start_summary

    with django_assert_max_num_queries(3):
        summary = start_summary(user=programme.coordinator)
    assert summary["counts"] == {"before": 1, "in": 1, "non_compliant": 1, "after": 0}
    assert summary["total"] == 3 and summary["mine"] == 0
    assert start_summary(user=programme.facilitator)["counts"] == {"before": 1, "in": 1, "non_compliant": 0, "after": 0}
    page = client_for(programme.coordinator).get(url("core:start")).content.decode()
    assert "Men in the programme" in page and "Non-compliant: 1" in page and "?state=group:non_compliant" in page
    # Nobody else gets the panel, nor a facilitator with no man.
    for user in (network["caseworker"], programme.partner_worker, network["facilitator"]):
        assert start_summary(user=user) is None
        assert "Men in the programme" not in client_for(user).get(url("core:start")).content.decode()
