"""Writing pathways (services/pathways.py): who may, drafts only, stale edits, publishing,
retiring, new versions, and audit events with ids and codes only."""
import json

import pytest
from django.http import Http404

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.programmes import pathways
from rete.programmes.models import EnrolmentState, PathwayStatus, PathwayVersion
from rete.programmes.services import enrolments as enrolment_services
from rete.programmes.services import pathways as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return Programme()


@pytest.fixture
def draft(programme):
    return services.pathway_create(by=programme.coordinator, organisation=programme.organisation,
                                   name="Percorso Mandato 165", description="Per uomini inviati dal tribunale.")


def _fresh(version):
    return PathwayVersion.objects.get(pk=version.pk)


def test_a_new_pathway_starts_as_a_draft_from_the_defaults_or_from_nothing(programme, draft):
    assert (draft.number, draft.status, draft.stages, draft.rules, draft.notifications) == (
        1, PathwayStatus.DRAFT, pathways.DEFAULT_STAGES, pathways.DEFAULT_RULES, pathways.DEFAULT_NOTIFICATIONS)
    assert draft.stages is not pathways.DEFAULT_STAGES  # a copy: editing it never changes the defaults
    empty = services.pathway_create(by=programme.coordinator, organisation=programme.organisation, name="Da zero",
                                    from_defaults=False)
    assert empty.stages == [] and empty.rules == pathways.EMPTY_RULES
    assert pathways.notified(empty.notifications, "started") == {"partner"}
    with pytest.raises(ServiceError) as refused:
        services.pathway_create(by=programme.coordinator, organisation=programme.organisation, name="  ")
    assert refused.value.field == "name"


def test_only_the_programme_coordinators_write(programme, draft):
    other = Programme("elsewhere")
    for person in (programme.facilitator, programme.partner_worker, other.coordinator):
        with pytest.raises(Http404):
            services.pathway_create(by=person, organisation=programme.organisation, name="No")
        with pytest.raises(Http404):
            services.stage_save(by=person, version=draft, version_token=draft.version,
                                values={"code": "x", "kind": "group", "name": "X"})
        with pytest.raises(Http404):
            services.version_publish(by=person, version=draft, version_token=draft.version)
        with pytest.raises(Http404):
            services.version_copy(by=person, version=programme.pathway_version)
        with pytest.raises(Http404):
            services.version_retire(by=person, version=programme.pathway_version)
    assert _fresh(draft).version == draft.version


def test_a_published_version_never_changes(programme):
    version = programme.pathway_version
    coordinator = programme.coordinator
    calls = [
        lambda: services.stage_save(by=coordinator, version=version, version_token=version.version,
                                    values={"code": "x", "kind": "group", "name": "X"}),
        lambda: services.stage_remove(by=coordinator, version=version, version_token=version.version, code="group"),
        lambda: services.stage_move(by=coordinator, version=version, version_token=version.version, code="group",
                                    direction="up"),
        lambda: services.rules_save(by=coordinator, version=version, version_token=version.version, rules={}),
        lambda: services.notifications_save(by=coordinator, version=version, version_token=version.version,
                                            notifications={}),
        lambda: services.version_describe(by=coordinator, version=version, version_token=version.version, name="New"),
        lambda: services.version_publish(by=coordinator, version=version, version_token=version.version),
    ]
    for call in calls:
        with pytest.raises(ServiceError):
            call()
    assert _fresh(version).stages == pathways.DEFAULT_STAGES


def test_stages_are_added_changed_moved_and_removed(programme, draft):
    by = programme.coordinator
    draft = services.stage_save(by=by, version=draft, version_token=draft.version,
                                values={"code": "individual", "kind": "individual", "name": "Colloqui individuali",
                                        "min_sessions": 6, "min_hours": 6})
    assert [s["code"] for s in draft.stages] == ["assessment", "motivational", "group", "follow_up", "individual"]
    draft = services.stage_move(by=by, version=draft, version_token=draft.version, code="individual", direction="up")
    assert [s["code"] for s in draft.stages][3:] == ["individual", "follow_up"]
    draft = services.stage_save(by=by, version=draft, version_token=draft.version, code="individual",
                                values={"code": "one_to_one", "kind": "individual", "name": "Colloqui",
                                        "min_sessions": 8, "min_hours": 8})
    assert pathways.stage(draft.stages, "one_to_one")["min_sessions"] == 8
    draft = services.stage_remove(by=by, version=draft, version_token=draft.version, code="motivational")
    draft = services.stage_move(by=by, version=draft, version_token=draft.version, code="assessment", direction="up")
    assert [s["code"] for s in _fresh(draft).stages] == ["assessment", "group", "one_to_one", "follow_up"]
    actions = list(AuditEvent.objects.filter(action__startswith="programmes.pathway_stage").order_by("seq").values_list("action", flat=True))
    assert actions == ["programmes.pathway_stage_added", "programmes.pathway_stage_moved", "programmes.pathway_stage_changed",
                       "programmes.pathway_stage_removed"]  # the move that did nothing left no trace


def test_a_bad_stage_is_refused_on_its_field(programme, draft):
    by = programme.coordinator
    cases = [({"code": "group", "kind": "group", "name": "Again"}, "code"),
             ({"code": "Bad Code", "kind": "group", "name": "X"}, "code"),
             ({"code": "x", "kind": "therapy", "name": "X"}, "kind"),
             ({"code": "x", "kind": "group", "name": ""}, "name"),
             ({"code": "x", "kind": "group", "name": "X", "min_hours": 5000}, "min_hours")]
    for values, field in cases:
        with pytest.raises(ServiceError) as refused:
            services.stage_save(by=by, version=draft, version_token=draft.version, values=values)
        assert refused.value.field == field, values
    # A stage may keep its own code when it is changed.
    services.stage_save(by=by, version=draft, version_token=draft.version, code="group",
                        values={"code": "group", "kind": "group", "name": "Gruppo", "min_sessions": 40, "min_hours": 80})
    with pytest.raises(ServiceError):
        services.stage_remove(by=by, version=_fresh(draft), version_token=_fresh(draft).version, code="nothing")


def test_a_stale_edit_is_refused_with_what_is_saved(programme, draft):
    by = programme.coordinator
    seen = draft.version
    services.rules_save(by=by, version=draft, version_token=seen, rules={"warning_after_absences": 1})
    for call in (
        lambda: services.rules_save(by=by, version=draft, version_token=seen, rules={"warning_after_absences": 3}),
        lambda: services.stage_remove(by=by, version=draft, version_token=seen, code="group"),
        lambda: services.notifications_save(by=by, version=draft, version_token=seen, notifications={}),
        lambda: services.version_publish(by=by, version=draft, version_token=seen),
    ):
        with pytest.raises(StaleEdit) as stale:
            call()
        assert stale.value.current.rules["warning_after_absences"] == 1
    assert _fresh(draft).status == PathwayStatus.DRAFT


def test_rules_are_checked_and_saved(programme, draft):
    by = programme.coordinator
    for rules, field in (({"lates_per_absence": -1}, "lates_per_absence"),
                         ({"warning_after_absences": 5, "non_compliance_after_absences": 3}, "warning_after_absences"),
                         ({"excusable": ["holiday"]}, "excusable")):
        with pytest.raises(ServiceError) as refused:
            services.rules_save(by=by, version=draft, version_token=draft.version, rules=rules)
        assert refused.value.field == field
    with pytest.raises(ServiceError):
        services.rules_save(by=by, version=draft, version_token=draft.version, rules={"absences": 3})
    draft = services.rules_save(by=by, version=draft, version_token=draft.version,
                                rules={"excusable": ["court", "illness"], "make_up_within_days": 0})
    assert draft.rules["excusable"] == ["illness", "court"]  # in the order the editor shows them
    assert draft.rules["make_up_within_days"] == 0 and draft.rules["warning_after_absences"] == 2
    event = AuditEvent.objects.filter(action="programmes.pathway_rules_changed").latest("seq")
    assert event.detail["rules"] == ["excusable", "make_up_within_days"]


def test_her_service_cannot_be_taken_off_what_matters_for_her_safety(programme, draft):
    nobody = {event: [] for event in pathways.NOTIFICATION_EVENTS}
    draft = services.notifications_save(by=programme.coordinator, version=draft, version_token=draft.version,
                                        notifications={**nobody, "completed": ["court"], "threat": ["court"]})
    for event in pathways.NOTIFICATION_EVENTS:
        assert ("partner" in draft.notifications[event]) == (event in pathways.PARTNER_ALWAYS)
    assert draft.notifications["completed"] == ["partner", "court"]
    assert draft.notifications["started"] == ["partner"]
    assert draft.notifications["threat"] == ["partner"]  # no report for the court follows a threat
    with pytest.raises(ServiceError):
        services.notifications_save(by=programme.coordinator, version=draft, version_token=draft.version,
                                    notifications={"started": ["newspaper"]})


def test_publishing_needs_a_valid_version_and_retires_nothing(programme, draft):
    by = programme.coordinator
    empty = services.pathway_create(by=by, organisation=programme.organisation, name="Vuoto", from_defaults=False)
    with pytest.raises(services.InvalidPathway) as refused:
        services.version_publish(by=by, version=empty, version_token=empty.version)
    assert list(refused.value.problems) == ["stages"]
    draft = services.version_publish(by=by, version=draft, version_token=draft.version)
    assert (draft.status, draft.published_by) == (PathwayStatus.PUBLISHED, by) and draft.published_at
    # Both the factory's version and the new one are in use: a man can be enrolled on either.
    assert _fresh(programme.pathway_version).status == PathwayStatus.PUBLISHED
    with pytest.raises(ServiceError):
        services.version_publish(by=by, version=draft, version_token=draft.version)


def test_a_retired_version_takes_nobody_new_and_keeps_its_men(programme):
    version = programme.pathway_version
    on_it = make_enrolment(programme, state=EnrolmentState.ACTIVE)
    waiting = make_enrolment(programme, state=EnrolmentState.ASSESSING, given_name="Luca")
    services.version_retire(by=programme.coordinator, version=version)
    assert _fresh(version).status == PathwayStatus.RETIRED
    on_it.refresh_from_db()
    assert on_it.pathway_version_id == version.pk
    with pytest.raises(ServiceError) as refused:
        enrolment_services.suitability_decide(by=programme.facilitator, enrolment=waiting, decision="accepted",
                                              reason="Suitable.", pathway_version=version)
    assert refused.value.field == "pathway_version"
    with pytest.raises(ServiceError):
        services.version_retire(by=programme.coordinator, version=version)  # already retired


def test_a_new_version_copies_its_source_one_draft_at_a_time(programme):
    version = programme.pathway_version
    new = services.version_copy(by=programme.coordinator, version=version)
    assert (new.number, new.status, new.pathway_id) == (2, PathwayStatus.DRAFT, version.pathway_id)
    assert (new.stages, new.rules, new.notifications) == (version.stages, version.rules, version.notifications)
    with pytest.raises(ServiceError):
        services.version_copy(by=programme.coordinator, version=version)
    services.stage_remove(by=programme.coordinator, version=new, version_token=new.version, code="motivational")
    assert len(_fresh(version).stages) == 4  # the source is untouched
    services.version_publish(by=programme.coordinator, version=new, version_token=_fresh(new).version)
    third = services.version_copy(by=programme.coordinator, version=version)  # from the older one: number 3
    assert third.number == 3 and len(third.stages) == 4


def test_audit_events_hold_ids_and_codes_only(programme, draft):
    by = programme.coordinator
    services.version_describe(by=by, version=draft, version_token=draft.version, name="Percorso segreto",
                              description="Descrizione riservata")
    draft = _fresh(draft)
    services.stage_save(by=by, version=draft, version_token=draft.version,
                        values={"code": "extra", "kind": "individual", "name": "Nome della fase", "min_sessions": 1})
    draft = _fresh(draft)
    services.version_publish(by=by, version=draft, version_token=draft.version)
    events = AuditEvent.objects.filter(action__startswith="programmes.pathway")
    assert {e.action for e in events} >= {"programmes.pathway_created", "programmes.pathway_described",
                                          "programmes.pathway_stage_added", "programmes.pathway_published"}
    text = json.dumps([e.detail for e in events])
    for secret in ("Percorso", "segreto", "Descrizione", "Nome della fase"):
        assert secret not in text
    assert all(e.detail["pathway_version"] == draft.pk and e.organisation_id == programme.organisation.pk for e in events)
