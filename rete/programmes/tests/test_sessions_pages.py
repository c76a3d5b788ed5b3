"""The session pages and the enrolment page's sections "sessions" and "compliance" (part
"groups-sessions"): the record with its attendance register, cancellations, a session with one
man, what was done about a finding; who reaches them, refusals that keep her entries, stale
saves, bounded queries, audited reads."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent
from rete.programmes.models import (
    Attendance,
    ComplianceEvent,
    Enrolment,
    EnrolmentState,
    Session,
    SessionStatus,
)
from rete.programmes.tests.factories import Programme, make_enrolment, make_group

pytestmark = pytest.mark.django_db


def get(user, name, **kwargs):
    return client_for(user).get(url(name, **kwargs))


def post(user, name, data=None, **kwargs):
    return client_for(user).post(url(name, **kwargs), data or {})


def register_data(session, men, statuses, *, version=None, facilitators=(), **extra):
    data = {"version": str(version if version is not None else session.version), "topic": "Jealousy and control",
            "notes": "", "facilitators": [str(u.pk) for u in facilitators]}
    for man in men:
        value = statuses[man] if isinstance(statuses[man], dict) else {"status": statuses[man]}
        data.update({f"{man.pk}-{key}": str(value) for key, value in {"version": 0, **value}.items()})
    data.update(extra)
    return data


def started_weeks_ago(enrolment, weeks=5):
    Enrolment.objects.filter(pk=enrolment.pk).update(started_on=timezone.localdate() - datetime.timedelta(weeks=weeks),
                                                     enquiry_at=timezone.now() - datetime.timedelta(weeks=weeks + 4))


@pytest.fixture
def setting(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True)
    started_weeks_ago(man)
    group = make_group(programme, members=[man], sessions=4, facilitators=[programme.facilitator])
    return programme, man, group, list(Session.objects.filter(group=group).order_by("starts_at"))


# ---- a session's record -----------------------------------------------------------------------------------

def test_the_session_page_is_out_of_reach_for_others(setting):
    programme, man, group, sessions = setting
    assert get(programme.facilitator, "programmes:session_detail", session_id=sessions[0].pk).status_code == 200
    assert get(programme.coordinator, "programmes:session_detail", session_id=sessions[0].pk).status_code == 200
    for user in (programme.cofacilitator, programme.partner_worker, Programme("else").coordinator):
        assert_denied(get(user, "programmes:session_detail", session_id=sessions[0].pk))
        assert_denied(post(user, "programmes:session_detail", {}, session_id=sessions[0].pk))
        assert_denied(post(user, "programmes:session_cancel", {"reason": "x", "version": "1"}, session_id=sessions[0].pk))
    assert_denied(get(programme.facilitator, "programmes:session_detail", session_id=999999))


def test_reading_the_record_is_audited_once_per_page(setting):
    programme, man, group, sessions = setting
    Session.objects.filter(pk=sessions[0].pk).update(notes="Private notes of the facilitators.")
    page = get(programme.facilitator, "programmes:session_detail", session_id=sessions[0].pk)
    assert "Private notes of the facilitators." in page.content.decode()
    events = AuditEvent.objects.filter(action="programmes.session_viewed")
    assert events.count() == 1 and events.get().actor == programme.facilitator
    assert "Private" not in str(events.get().detail)


def test_the_register_is_saved_and_the_findings_are_said(setting):
    programme, man, group, sessions = setting
    client = client_for(programme.facilitator)
    for session in sessions[:2]:
        response = client.post(url("programmes:session_detail", session_id=session.pk),
                               register_data(session, [man], {man: "absent"}, facilitators=[programme.facilitator]))
        assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Warning for {man.reference}: absences that count (2)." in page
    assert f"The partner-support service was told about {man.reference}." in page
    assert Session.objects.get(pk=sessions[1].pk).status == SessionStatus.HELD


def test_the_register_page_is_accessible(setting):
    programme, man, group, sessions = setting
    text = get(programme.facilitator, "programmes:session_detail", session_id=sessions[0].pk).content.decode()
    assert "<fieldset" in text and "<legend" in text
    assert f'for="register-id_{man.pk}-excuse"' in text or f'for="register-{man.pk}-excuse"' in text
    assert man.reference in text and "Testa" in text


def test_a_refused_register_keeps_her_entries(setting):
    programme, man, group, sessions = setting
    data = register_data(sessions[0], [man], {man: {"status": "excused", "note": "Phoned at noon, unwell."}},
                         facilitators=[programme.facilitator], notes="We spoke about respect.")
    response = post(programme.facilitator, "programmes:session_detail", data, session_id=sessions[0].pk)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the reason for the excused absence." in text
    assert "Phoned at noon, unwell." in text and "We spoke about respect." in text
    assert not Attendance.objects.exists()
    missing = register_data(sessions[0], [man], {man: {"status": ""}}, facilitators=[programme.facilitator],
                            notes="Notes kept.")
    response = post(programme.facilitator, "programmes:session_detail", missing, session_id=sessions[0].pk)
    assert response.status_code == 400 and "Notes kept." in response.content.decode()


def test_a_stale_register_shows_both_versions(setting):
    programme, man, group, sessions = setting
    session = sessions[0]
    opened = register_data(session, [man], {man: "late"}, facilitators=[programme.facilitator], topic="Her topic")
    assert post(programme.coordinator, "programmes:session_detail",
                register_data(session, [man], {man: "present"}, facilitators=[programme.facilitator], topic="His topic"),
                session_id=session.pk).status_code == 302
    response = post(programme.facilitator, "programmes:session_detail", opened, session_id=session.pk)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Her topic" in text and "His topic" in text and "Late" in text and "Present" in text
    assert Attendance.objects.get().status == "present"
    assert f'name="{man.pk}-version" value="1"' in text and 'name="version" value="2"' in text


def test_cancelling_a_session(setting):
    programme, man, group, sessions = setting
    refused = post(programme.facilitator, "programmes:session_cancel", {"version": "1", "reason": ""}, session_id=sessions[3].pk)
    assert refused.status_code == 400
    stale = post(programme.facilitator, "programmes:session_cancel", {"version": "7", "reason": "Room flooded"},
                 session_id=sessions[3].pk)
    assert stale.status_code == 409 and "Room flooded" in stale.content.decode()
    done = post(programme.facilitator, "programmes:session_cancel", {"version": "1", "reason": "Room flooded"},
                session_id=sessions[3].pk)
    assert done.status_code == 302
    assert Session.objects.get(pk=sessions[3].pk).status == SessionStatus.CANCELLED
    assert get(programme.facilitator, "programmes:session_cancel", session_id=sessions[3].pk).status_code == 405


def test_the_session_page_and_its_save_are_bounded_with_twelve_men(network, django_assert_max_num_queries):
    programme = Programme()
    men = [make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Man{i}") for i in range(12)]
    group = make_group(programme, members=men, sessions=3)
    first, second, third = Session.objects.filter(group=group).order_by("starts_at")
    client = client_for(programme.facilitator)
    for session in (first, third):  # later sessions they attended: choices to make up an absence
        client.post(url("programmes:session_detail", session_id=session.pk),
                    register_data(session, men, {m: "present" for m in men}, facilitators=[programme.facilitator]))
    with django_assert_max_num_queries(30):
        page = client.get(url("programmes:session_detail", session_id=second.pk))
    assert page.status_code == 200 and all(m.reference in page.content.decode() for m in men)
    data = register_data(second, men, {m: ("absent" if i % 2 else "present") for i, m in enumerate(men)},
                         facilitators=[programme.facilitator])
    with django_assert_max_num_queries(170):
        response = client.post(url("programmes:session_detail", session_id=second.pk), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=second).count() == 12


# ---- the enrolment page -----------------------------------------------------------------------------------

def test_the_sections_show_his_attendance_and_open_findings(setting):
    programme, man, group, sessions = setting
    client = client_for(programme.facilitator)
    for session, status in zip(sessions[:3], ("present", "absent", "absent")):
        client.post(url("programmes:session_detail", session_id=session.pk),
                    register_data(session, [man], {man: status}, facilitators=[programme.facilitator]))
    text = client.get(url("programmes:enrolment_detail", enrolment_id=man.pk)).content.decode()
    assert 'id="sessions-title"' in text and 'id="compliance-title"' in text
    assert "absences that count (2)" in text
    assert "Group programme" in text and "1 of at least 44 sessions" in text
    assert url("programmes:individual_session_add", enrolment_id=man.pk) in text


def test_the_sessions_section_is_bounded(network):
    programme = Programme()
    man = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    started_weeks_ago(man, weeks=30)
    from rete.programmes.views.sessions import _compliance_section, _sessions_section

    def count():
        enrolment = Enrolment.objects.select_related("pathway_version", "participant", "organisation").get(pk=man.pk)
        with CaptureQueriesContext(connection) as queries:
            _sessions_section(None, enrolment)
            _compliance_section(None, enrolment)
        return len(queries)

    group = make_group(programme, members=[man], sessions=2)
    Session.objects.filter(group=group).update(status=SessionStatus.HELD)
    for session in Session.objects.filter(group=group):
        Attendance.objects.create(session=session, enrolment=man, status="absent", recorded_by=programme.facilitator,
                                  recorded_at=timezone.now())
    few = count()
    many = make_group(programme, name="Many", members=[man], sessions=30,
                      starts_on=timezone.localdate() - datetime.timedelta(weeks=20))
    Session.objects.filter(group=many).update(status=SessionStatus.HELD)
    for session in Session.objects.filter(group=many):
        Attendance.objects.create(session=session, enrolment=man, status="present", recorded_by=programme.facilitator,
                                  recorded_at=timezone.now())
    for index in range(5):
        ComplianceEvent.objects.create(enrolment=man, rule="weekly_frequency", level="warning", key=f"week-{index}",
                                       detail={"year": 2026, "week": index, "attended": 0, "required": 1}, at=timezone.now())
    assert count() == few


def test_an_individual_session_from_the_enrolment_page(setting):
    programme, man, group, sessions = setting
    data = {"date": timezone.localdate().isoformat(), "time": "10:00", "kind": "individual", "duration_minutes": "60",
            "topic": "Safety plan", "notes": "Talked about the weekend.", "status": "excused", "excuse": "",
            "participation": "", "note": "Called in advance."}
    refused = post(programme.facilitator, "programmes:individual_session_add", data, enrolment_id=man.pk)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Talked about the weekend." in text and "Called in advance." in text
    data["excuse"] = "work"
    done = post(programme.facilitator, "programmes:individual_session_add", data, enrolment_id=man.pk)
    assert done.status_code == 302
    session = Session.objects.get(enrolment=man)
    assert session.notes == "Talked about the weekend." and session.status == SessionStatus.HELD
    assert get(programme.facilitator, "programmes:session_detail", session_id=session.pk).status_code == 200
    # Her colleague who does not work with him reaches neither the form nor the session.
    assert_denied(post(programme.cofacilitator, "programmes:individual_session_add", data, enrolment_id=man.pk))
    assert_denied(get(programme.cofacilitator, "programmes:session_detail", session_id=session.pk))
    assert_denied(post(Programme("else").coordinator, "programmes:individual_session_add", data, enrolment_id=man.pk))


def test_what_was_done_about_a_finding(setting):
    programme, man, group, sessions = setting
    event = ComplianceEvent.objects.create(enrolment=man, rule="absences", level="warning", key="absences-warning",
                                           detail={"absences": 2, "threshold": 2}, at=timezone.now())
    refused = post(programme.facilitator, "programmes:compliance_address", {"response": " "}, enrolment_id=man.pk,
                   compliance_event_id=event.pk)
    assert refused.status_code == 400 and 'id="compliance-title"' in refused.content.decode()
    done = post(programme.facilitator, "programmes:compliance_address", {"response": "Met him on Monday."},
                enrolment_id=man.pk, compliance_event_id=event.pk)
    assert done.status_code == 302
    event.refresh_from_db()
    assert event.status == "addressed" and event.response == "Met him on Monday."
    other = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Other")
    assert_denied(post(programme.facilitator, "programmes:compliance_address", {"response": "x"}, enrolment_id=other.pk,
                       compliance_event_id=event.pk))
    assert_denied(post(programme.facilitator, "programmes:compliance_address", {"response": ""}, enrolment_id=other.pk,
                       compliance_event_id=event.pk))
    assert_denied(post(programme.cofacilitator, "programmes:compliance_address", {"response": "x"}, enrolment_id=man.pk,
                       compliance_event_id=event.pk))


def test_the_start_panel_and_the_navigation(setting):
    programme, man, group, sessions = setting
    Session.objects.create(organisation=programme.organisation, kind="group", group=group, starts_at=timezone.now(),
                           duration_minutes=60)
    text = get(programme.facilitator, "core:start").content.decode()
    assert "Your group sessions" in text and url("programmes:group_list") in text
    assert "Your group sessions" not in get(programme.cofacilitator, "core:start").content.decode()
