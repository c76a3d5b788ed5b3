"""Writing pilots (rete.learning.services.pilots): starting one on a practice that may be
piloted, changing it with optimistic locking, indicators, its life (running, completed,
abandoned), refusals, the audit trail (ids and codes only) and the e-mail to the practice's author."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail

from rete.core.models import AuditEvent
from rete.core.services import ServiceError, StaleEdit
from rete.learning.models import Pilot, PilotIndicator, PilotStatus, PracticeStatus
from rete.learning.services import pilots as services
from rete.learning.services import practices as practice_services
from rete.learning.tests.factories import make_practice
from rete.learning.tests.policy_values import published_practice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 9, 1)
SAFER = {"name": "Clients who feel safer (mean, 1–5)", "measured_among": "clients", "unit": "score 1–5",
         "higher_is_better": True, "pre_value": "2.80", "pre_n": 24}
WAITING = {"name": "Days waiting for a first meeting", "measured_among": "clients", "unit": "days",
           "higher_is_better": False, "pre_value": "12", "pre_n": 40}


def start(network, practice, by=None, organisation=None, **extra):
    values = dict(adaptation="Smaller bags, a leaflet in Bulgarian.", starts_on=TODAY,
                  ends_on=TODAY + datetime.timedelta(days=120), indicators=[SAFER, WAITING])
    values.update(extra)
    return services.pilot_start(by=by or network["other_caseworker"], practice=practice,
                                organisation=organisation or network.other, **values)


def measured(pilot, by):
    """Both indicators measured after the pilot too."""
    pilot = Pilot.objects.get(pk=pilot.pk)
    for indicator, (post, n) in zip(pilot.indicators.order_by("order"), [("3.60", 22), ("7", 38)]):
        values = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
        services.indicator_update(by=by, pilot=pilot, indicator=indicator, **{**values, "post_value": post, "post_n": n})
    return Pilot.objects.get(pk=pilot.pk)


def test_another_organisation_pilots_a_published_practice(network):
    practice = published_practice(network)
    pilot = start(network, practice)
    assert pilot.status == PilotStatus.PLANNED and pilot.organisation == network.other and pilot.practice == practice
    indicators = list(pilot.indicators.order_by("order"))
    assert [i.name for i in indicators] == [SAFER["name"], WAITING["name"]]
    assert indicators[0].pre_value == Decimal("2.80") and indicators[0].pre_n == 24 and indicators[0].post_value is None
    assert indicators[1].higher_is_better is False
    event = AuditEvent.objects.filter(action="learning.pilot.started").get()
    assert event.detail == {"pilot": pilot.pk, "practice": practice.pk, "indicators": 2}
    assert event.organisation_id == network.other.pk and event.actor_id == network["other_caseworker"].pk


def test_an_organisation_pilots_its_own_practice_after_submission_never_a_draft(network):
    owner = network["caseworker"]
    practice = make_practice(owner, network.home)
    with pytest.raises(ServiceError):
        start(network, practice, by=owner, organisation=network.home)
    practice_services.practice_submit(by=owner, practice=practice)
    pilot = start(network, practice, by=owner, organisation=network.home)
    assert pilot.practice.status == PracticeStatus.SUBMITTED
    # Another organisation cannot pilot it before it is published: it does not even see it ...
    with pytest.raises(Exception) as denied:
        start(network, practice)
    assert denied.typename == "Http404"
    # ... nor can a reviewer's organisation, which sees it.
    with pytest.raises(ServiceError):
        start(network, practice, by=network["other_trainer"])


def test_only_members_who_share_practices_start_a_pilot_for_their_organisation(network):
    practice = published_practice(network)
    for who, organisation in ((network["dpo"], network.home), (network["caseworker"], network.other),
                              (network.superuser, network.home), (network.outsider, network.home)):
        with pytest.raises(Exception) as denied:
            start(network, practice, by=who, organisation=organisation)
        assert denied.typename == "Http404"
    assert not Pilot.objects.exists()


@pytest.mark.parametrize("extra, field", [
    ({"ends_on": TODAY - datetime.timedelta(days=1)}, "ends_on"),
    ({"starts_on": None}, "starts_on"),
    ({"adaptation": "x" * 20001}, "adaptation"),
    ({"indicators": [SAFER, {**WAITING, "name": " "}]}, "indicators-1-name"),
    ({"indicators": [{**SAFER, "measured_among": "neighbours"}]}, "indicators-0-measured_among"),
    ({"indicators": [{**SAFER, "pre_value": "2.805"}]}, "indicators-0-pre_value"),
    ({"indicators": [{**SAFER, "pre_value": "1e9"}]}, "indicators-0-pre_value"),
    ({"indicators": [{**SAFER, "pre_n": 0}]}, "indicators-0-pre_n"),
    ({"indicators": [{**SAFER, "pre_value": "many"}]}, "indicators-0-pre_value"),
])
def test_a_start_with_bad_values_is_refused_on_the_field(network, extra, field):
    practice = published_practice(network)
    with pytest.raises(ServiceError) as refused:
        start(network, practice, **extra)
    assert refused.value.field == field
    assert not Pilot.objects.exists() and not PilotIndicator.objects.exists()


def test_an_update_is_locked_and_a_stale_one_refused(network):
    pilot = start(network, published_practice(network))
    who = network["other_supervisor"]  # any member of the piloting organisation
    updated = services.pilot_update(by=who, pilot=pilot, version=pilot.version, adaptation="Changed.",
                                    starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=30))
    assert updated.version == pilot.version + 1 and updated.adaptation == "Changed."
    with pytest.raises(StaleEdit) as stale:
        services.pilot_update(by=who, pilot=pilot, version=pilot.version, adaptation="Mine.", starts_on=TODAY,
                              ends_on=TODAY)
    assert stale.value.current.adaptation == "Changed."
    event = AuditEvent.objects.filter(action="learning.pilot.updated").get()
    assert event.detail["fields"] == ["adaptation", "ends_on"]
    assert "Changed" not in str(event.detail)
    with pytest.raises(Exception) as denied:
        services.pilot_update(by=network["caseworker"], pilot=pilot, version=updated.version, adaptation="",
                              starts_on=TODAY, ends_on=TODAY)
    assert denied.typename == "Http404"


def test_indicators_are_added_changed_and_removed_with_the_pilot_version(network):
    pilot = start(network, published_practice(network), indicators=[])
    who = network["other_caseworker"]
    added = services.indicator_add(by=who, pilot=pilot, version=pilot.version, **SAFER)
    second = services.indicator_add(by=who, pilot=pilot, **WAITING)
    assert (added.order, second.order) == (0, 1)
    pilot.refresh_from_db()
    assert pilot.version == 3
    with pytest.raises(StaleEdit):
        services.indicator_update(by=who, pilot=pilot, indicator=added, version=1, **SAFER)
    services.indicator_update(by=who, pilot=pilot, indicator=added, version=3, **{**SAFER, "post_value": "3.1", "post_n": 20})
    added.refresh_from_db()
    assert added.post_value == Decimal("3.10") and added.post_n == 20
    services.indicator_remove(by=who, pilot=pilot, indicator=second)
    assert list(pilot.indicators.all()) == [added]
    actions = list(AuditEvent.objects.filter(action__startswith="learning.pilot.indicator").order_by("seq").values_list("action", "detail"))
    assert [a for a, _d in actions] == ["learning.pilot.indicator_added", "learning.pilot.indicator_added",
                                        "learning.pilot.indicator_updated", "learning.pilot.indicator_removed"]
    assert actions[2][1]["fields"] == ["post_n", "post_value"]
    assert all("feel safer" not in str(d) for _a, d in actions)
    # An indicator of another pilot is out of reach through this one.
    other = start(network, published_practice(network))
    with pytest.raises(Exception) as denied:
        services.indicator_remove(by=who, pilot=pilot, indicator=other.indicators.first())
    assert denied.typename == "Http404"
    with pytest.raises(Exception) as denied:
        services.indicator_add(by=network["caseworker"], pilot=pilot, **SAFER)
    assert denied.typename == "Http404"


def test_a_pilot_is_completed_only_when_running_and_fully_measured(network, django_capture_on_commit_callbacks):
    practice = published_practice(network)
    who = network["other_caseworker"]
    pilot = start(network, practice)
    with pytest.raises(ServiceError, match="running"):
        services.pilot_complete(by=who, pilot=pilot, version=pilot.version, result_summary="Fine.", conclusion="confirmed")
    pilot = services.pilot_set_running(by=who, pilot=pilot)
    with pytest.raises(ServiceError):
        services.pilot_set_running(by=who, pilot=pilot)
    with pytest.raises(ServiceError, match="Every indicator"):
        services.pilot_complete(by=who, pilot=pilot, version=pilot.version, result_summary="Fine.", conclusion="confirmed")
    pilot = measured(pilot, who)
    with pytest.raises(ServiceError) as refused:
        services.pilot_complete(by=who, pilot=pilot, version=pilot.version, result_summary="  ", conclusion="confirmed")
    assert refused.value.field == "result_summary"
    with pytest.raises(ServiceError) as refused:
        services.pilot_complete(by=who, pilot=pilot, version=pilot.version, result_summary="Fine.", conclusion="maybe")
    assert refused.value.field == "conclusion"
    with pytest.raises(StaleEdit):
        services.pilot_complete(by=who, pilot=pilot, version=pilot.version - 1, result_summary="Fine.",
                                conclusion="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.pilot_complete(by=who, pilot=pilot, version=pilot.version,
                                       result_summary="Clients felt safer; waiting fell.", conclusion="confirmed")
    assert done.status == PilotStatus.COMPLETED and done.completed_at is not None and done.conclusion == "confirmed"
    event = AuditEvent.objects.filter(action="learning.pilot.completed").get()
    assert event.detail == {"pilot": pilot.pk, "practice": practice.pk, "conclusion": "confirmed", "indicators": 2,
                            "improved": 2, "worsened": 0, "unchanged": 0}
    # The author of the practice hears of it: a label and a link, nothing of the results.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [network["caseworker"].email]
    assert f"/learning/pilots/{pilot.pk}/" in message.body and "Other Support Centre" in message.body
    assert "safer" not in message.body.lower()
    # Over: nothing changes any more.
    with pytest.raises(ServiceError):
        services.pilot_update(by=who, pilot=done, version=done.version, adaptation="", starts_on=TODAY, ends_on=TODAY)
    with pytest.raises(ServiceError):
        services.indicator_add(by=who, pilot=done, **SAFER)
    with pytest.raises(ServiceError):
        services.pilot_abandon(by=who, pilot=done, reason="Too late.")


def test_a_pilot_without_indicators_cannot_be_completed_and_no_mail_to_oneself(network, django_capture_on_commit_callbacks):
    owner = network["caseworker"]
    practice = published_practice(network)
    pilot = start(network, practice, by=owner, organisation=network.home, indicators=[])
    pilot = services.pilot_set_running(by=owner, pilot=pilot)
    with pytest.raises(ServiceError, match="at least one indicator"):
        services.pilot_complete(by=owner, pilot=pilot, version=pilot.version, result_summary="x", conclusion="partly")
    services.indicator_add(by=owner, pilot=pilot, **{**SAFER, "post_value": 3, "post_n": 20})
    pilot.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.pilot_complete(by=owner, pilot=pilot, version=pilot.version, result_summary="x", conclusion="partly")
    assert mail.outbox == []


def test_a_pilot_is_abandoned_with_a_reason_kept_out_of_the_audit(network):
    pilot = start(network, published_practice(network))
    who = network["other_caseworker"]
    with pytest.raises(ServiceError) as refused:
        services.pilot_abandon(by=who, pilot=pilot, reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(Exception) as denied:
        services.pilot_abandon(by=network["caseworker"], pilot=pilot, reason="Not mine.")
    assert denied.typename == "Http404"
    done = services.pilot_abandon(by=who, pilot=pilot, reason="The funding ended.")
    assert done.status == PilotStatus.ABANDONED and done.result_summary == "The funding ended."
    event = AuditEvent.objects.filter(action="learning.pilot.abandoned").get()
    assert event.detail == {"pilot": pilot.pk, "practice": pilot.practice_id, "from_status": "planned"}
