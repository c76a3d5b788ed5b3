"""Part "mandate-assessment", the services and selectors: the court's mandate (validation,
versioning, who may write, the start notice that falls due), its recipients, the pathway versions
offered at the suitability decision and the assessment sessions shown with it."""
import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.utils import timezone

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.programmes.models import (
    CourtReport,
    EnrolmentState,
    LegalMandate,
    PathwayStatus,
    ReportKind,
    ReportRecipient,
    Session,
    SessionKind,
    SessionStatus,
)
from rete.programmes.selectors import mandate as selectors
from rete.programmes.services import mandate as services
from rete.programmes.tests.factories import Programme, make_enrolment, make_mandate, make_pathway_version

pytestmark = pytest.mark.django_db

CASE_NUMBER = "RG Sentinel-4471/2026"
CONDITION = "Sentinel-condition-4472: attend every session"
NOTES = "Sentinel-notes-4473"
COURT = "Tribunale Sentinel-4474"
RECIPIENT_NAME = "Sentinel-office-4475"
CONTACT = "sentinel-4476@pec.example"
SENTINELS = (CASE_NUMBER, CONDITION, NOTES, COURT, RECIPIENT_NAME, CONTACT)


def values(**changes):
    today = timezone.localdate()
    data = {"basis": "art_165_cp", "court": COURT, "case_number": CASE_NUMBER, "order_on": today - datetime.timedelta(days=20),
            "start_by": today + datetime.timedelta(days=10), "sessions_per_week": 2, "duration_weeks": 52, "deadline": None,
            "favourable_outcome_condition": CONDITION, "consent_recorded": True, "report_every_weeks": 12, "notes": NOTES}
    data.update(changes)
    return data


def assert_no_sentinel_in_audit():
    for event in AuditEvent.objects.filter(action__startswith="programmes."):
        text = repr(event.detail) + event.object_id
        assert not any(sentinel in text for sentinel in SENTINELS), event.action


@pytest.fixture
def programme(network):
    return Programme()


@pytest.fixture
def enrolment(programme):
    return make_enrolment(programme, state=EnrolmentState.ASSESSING, source="court_165")


# ---- the mandate ------------------------------------------------------------------------------


def test_a_mandate_is_recorded_then_corrected_and_audited_with_ids_only(programme, enrolment):
    mandate = services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    assert mandate.version == 1 and mandate.case_number == CASE_NUMBER
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT case_number FROM {LegalMandate._meta.db_table} WHERE id = %s", [mandate.pk])
        stored = cursor.fetchone()[0]
    assert CASE_NUMBER not in str(stored)  # encrypted in the database
    mandate = services.mandate_save(by=programme.coordinator, enrolment=enrolment, version=1, **values(sessions_per_week=3))
    assert mandate.version == 2 and mandate.sessions_per_week == 3
    saved = AuditEvent.objects.filter(action="programmes.mandate_saved").order_by("seq")
    assert [e.detail["created"] for e in saved] == [True, False]
    assert saved.last().detail["fields"] == ["sessions_per_week"]
    assert_no_sentinel_in_audit()


def test_with_no_deadline_the_term_is_five_years(programme, enrolment):
    mandate = services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None,
                                    **values(order_on=datetime.date(2024, 3, 1), start_by=None))
    assert mandate.effective_deadline == datetime.date(2029, 3, 1)
    mandate = services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=1,
                                    **values(order_on=datetime.date(2024, 3, 1), start_by=None, deadline=datetime.date(2025, 3, 1)))
    assert mandate.effective_deadline == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("changes, field", [
    ({"start_by": "before"}, "start_by"),
    ({"deadline": "before"}, "deadline"),
    ({"sessions_per_week": 0}, "sessions_per_week"),
    ({"sessions_per_week": 8}, "sessions_per_week"),
    ({"duration_weeks": 0}, "duration_weeks"),
    ({"duration_weeks": 261}, "duration_weeks"),
    ({"report_every_weeks": 0}, "report_every_weeks"),
    ({"report_every_weeks": 53}, "report_every_weeks"),
    ({"basis": "nonsense"}, "basis"),
    ({"court": "  "}, "court"),
    ({"case_number": ""}, "case_number"),
    ({"order_on": "future"}, "order_on"),
    ({"order_on": None}, "order_on"),
])
def test_a_mandate_is_refused_with_the_field_to_correct(programme, enrolment, changes, field):
    data = values()
    for name, value in changes.items():
        if value == "before":
            value = data["order_on"] - datetime.timedelta(days=1)
        elif value == "future":
            value = timezone.localdate() + datetime.timedelta(days=1)
        data[name] = value
    with pytest.raises(ServiceError) as refused:
        services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **data)
    assert refused.value.field == field
    assert not LegalMandate.objects.exists()


def test_the_bounds_themselves_are_accepted(programme, enrolment):
    data = values(sessions_per_week=7, duration_weeks=260, report_every_weeks=52)
    data["start_by"] = data["deadline"] = data["order_on"]
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **data)
    assert LegalMandate.objects.get().duration_weeks == 260


def test_a_stale_edit_is_refused_with_the_saved_mandate(programme, enrolment):
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    services.mandate_save(by=programme.coordinator, enrolment=enrolment, version=1, **values(sessions_per_week=4))
    with pytest.raises(StaleEdit) as stale:
        services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=1, **values(sessions_per_week=3))
    assert stale.value.current.sessions_per_week == 4
    # A second "first" record (the add form opened before someone recorded it) is stale too.
    with pytest.raises(StaleEdit):
        services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    assert LegalMandate.objects.get().sessions_per_week == 4


def test_only_people_who_may_open_the_enrolment_write(network, programme, enrolment):
    other = Programme("alt")
    for user in (programme.cofacilitator, other.facilitator, other.coordinator, network.outsider, network.superuser,
                 programme.partner_worker, network["facilitator"]):
        with pytest.raises(Http404):
            services.mandate_save(by=user, enrolment=enrolment, version=None, **values())
    assert not LegalMandate.objects.exists()
    make_mandate(enrolment, programme.facilitator)
    for user in (programme.cofacilitator, other.coordinator, network.outsider):
        with pytest.raises(Http404):
            services.recipient_add(by=user, enrolment=enrolment, kind="court", name="Court", reports=["start"])
    assert not ReportRecipient.objects.exists()


def test_a_mandate_saved_after_the_start_makes_the_start_notice_fall_due(programme):
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    assert not CourtReport.objects.exists()  # no mandate when he started: nothing for a court
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    notice = CourtReport.objects.get()
    assert notice.kind == ReportKind.START and notice.due_on == timezone.localdate() + datetime.timedelta(days=7)
    # Saving again never makes a second one, even once the first was found not needed.
    CourtReport.objects.update(status="cancelled")
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=1, **values(sessions_per_week=3))
    assert CourtReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="programmes.mandate_saved").order_by("seq").first().detail["start_notice"] == notice.pk


def test_no_start_notice_before_the_start_nor_when_the_pathway_does_not_tell_the_court(programme, enrolment):
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    assert not CourtReport.objects.exists()
    quiet = make_pathway_version(programme.coordinator, programme.organisation, name="Quiet",
                                 notifications={"started": ["partner"]})
    programme.pathway_version = quiet
    active = make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Luca")
    services.mandate_save(by=programme.facilitator, enrolment=active, version=None, **values())
    assert not CourtReport.objects.filter(enrolment=active).exists()


def test_when_he_starts_after_the_mandate_the_start_notice_comes_from_the_start(programme, enrolment):
    services.mandate_save(by=programme.facilitator, enrolment=enrolment, version=None, **values())
    from rete.programmes.services import enrolments

    enrolments.suitability_decide(by=programme.facilitator, enrolment=enrolment, decision="accepted", reason="Ready.",
                                  pathway_version=programme.pathway_version, start_state=EnrolmentState.ACTIVE)
    assert CourtReport.objects.filter(enrolment=enrolment, kind=ReportKind.START).count() == 1


# ---- recipients --------------------------------------------------------------------------------


def test_recipients_are_added_changed_and_removed_with_ids_only_in_the_audit(programme, enrolment):
    make_mandate(enrolment, programme.facilitator)
    recipient = services.recipient_add(by=programme.facilitator, enrolment=enrolment, kind="probation", name=RECIPIENT_NAME,
                                       contact=CONTACT, reports=["final", "start", "start"])
    assert recipient.reports == ["start", "final"]  # known codes, in their order, once each
    recipient = services.recipient_update(by=programme.coordinator, enrolment=enrolment, recipient_id=recipient.pk, kind="court",
                                          name=RECIPIENT_NAME, contact=CONTACT, reports=["periodic"])
    assert (recipient.kind, recipient.reports) == ("court", ["periodic"])
    services.recipient_remove(by=programme.facilitator, enrolment=enrolment, recipient_id=recipient.pk)
    assert not ReportRecipient.objects.exists()
    actions = list(AuditEvent.objects.filter(action__startswith="programmes.mandate_recipient").order_by("seq").values_list("action", flat=True))
    assert actions == ["programmes.mandate_recipient_added", "programmes.mandate_recipient_updated",
                       "programmes.mandate_recipient_removed"]
    assert_no_sentinel_in_audit()


@pytest.mark.parametrize("changes, field", [
    ({"reports": []}, "reports"),
    ({"reports": ["start", "weekly_gossip"]}, "reports"),
    ({"kind": "neighbour"}, "kind"),
    ({"name": " "}, "name"),
])
def test_a_recipient_is_refused_with_the_field_to_correct(programme, enrolment, changes, field):
    make_mandate(enrolment, programme.facilitator)
    data = {"kind": "court", "name": RECIPIENT_NAME, "contact": CONTACT, "reports": ["start"], **changes}
    with pytest.raises(ServiceError) as refused:
        services.recipient_add(by=programme.facilitator, enrolment=enrolment, **data)
    assert refused.value.field == field


def test_a_recipient_needs_a_mandate_and_belongs_to_its_enrolment(programme, enrolment):
    with pytest.raises(Http404):
        services.recipient_add(by=programme.facilitator, enrolment=enrolment, kind="court", name="Court", reports=["start"])
    other = make_enrolment(programme, given_name="Paolo", mandate=True)
    theirs = services.recipient_add(by=programme.facilitator, enrolment=other, kind="court", name="Court", reports=["start"])
    make_mandate(enrolment, programme.facilitator)
    with pytest.raises(Http404):
        services.recipient_update(by=programme.facilitator, enrolment=enrolment, recipient_id=theirs.pk, kind="court",
                                  name="Changed", reports=["start"])
    with pytest.raises(Http404):
        services.recipient_remove(by=programme.facilitator, enrolment=enrolment, recipient_id=theirs.pk)
    with pytest.raises(Http404):
        selectors.recipient_get(user=programme.facilitator, enrolment_id=enrolment.pk, recipient_id=theirs.pk)
    assert ReportRecipient.objects.get(pk=theirs.pk).name == "Court"


# ---- what the suitability decision is taken with -------------------------------------------------


def test_published_pathway_versions_are_those_in_use_at_the_programme(programme):
    draft = make_pathway_version(programme.coordinator, programme.organisation, name="Draft pathway")
    draft.status = PathwayStatus.DRAFT
    draft.save()
    retired = make_pathway_version(programme.coordinator, programme.organisation, name="Old pathway")
    retired.status = PathwayStatus.RETIRED
    retired.save()
    Programme("alt")
    assert selectors.published_pathway_versions(organisation_id=programme.organisation.pk) == [programme.pathway_version]


def test_assessment_sessions_are_counted_and_listed_in_a_fixed_number_of_queries(programme, enrolment,
                                                                                 django_assert_max_num_queries):
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(5):
        Session.objects.create(organisation=programme.organisation, kind=SessionKind.ASSESSMENT, enrolment=enrolment,
                               starts_at=start + datetime.timedelta(days=day), status=SessionStatus.HELD if day < 3 else "planned")
    Session.objects.create(organisation=programme.organisation, kind=SessionKind.INDIVIDUAL, enrolment=enrolment, starts_at=start)
    with django_assert_max_num_queries(2):
        shown = selectors.assessment_sessions(enrolment=enrolment, limit=4)
    assert (shown["total"], shown["held"], len(shown["sessions"]), shown["more"]) == (5, 3, 4, True)
