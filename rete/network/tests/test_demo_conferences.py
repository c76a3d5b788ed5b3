"""The demo referrals and risk conferences (issue 5): loaded through the services on the demo
network, with referrals in every status, the Milan MARAC with two meetings minuted and one
planned with its agenda, figures that show referrals, a repeat and actions done on time; loading
twice adds nothing."""
import datetime

import pytest
from django.utils import timezone

from rete.cases import demo as cases_demo
from rete.cases.models import Case, Consent
from rete.core.demo import load_demo_network
from rete.core.models import User
from rete.network.demo import load_demo_conferences, load_demo_protocols, load_demo_referrals
from rete.network.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceMeeting,
    ConferenceReferral,
    ConferenceSeries,
    MeetingStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from rete.network.selectors.conferences import series_figures

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (User, Case, Consent, Referral, ReferralEvent, ConferenceSeries,
                                                ConferenceMeeting, ConferenceReferral, AgendaItem, ConferenceAction)]


@pytest.fixture
def demo(monkeypatch):
    # Only the organisations the referrals and conferences use, and fewer cases each: faster.
    monkeypatch.setattr(cases_demo, "ORGANISATIONS", ["aphvf", "cy-police"])
    monkeypatch.setattr(cases_demo, "CASES_PER_ORGANISATION", 12)
    load_demo_network()
    load_demo_protocols()
    cases_demo.load_demo_cases()
    logins = load_demo_referrals()
    added = load_demo_conferences()
    return logins, added


def test_the_demo_referrals_are_in_every_status(demo):
    logins, _added = demo
    assert {email for email, *_rest in logins} == {"caseworker@milano-cav.example", "caseworker@milano-sociali.example",
                                                   "police-officer@milano-police.example"}
    now = timezone.now()
    nicosia = Referral.objects.filter(from_organisation__slug="aphvf", to_organisation__slug="cy-police")
    (answered,) = nicosia.filter(status=ReferralStatus.CLOSED)
    assert answered.feedback.startswith("Service given") and answered.answered_at < answered.feedback_at
    assert nicosia.filter(status=ReferralStatus.DECLINED).exclude(decline_reason="").count() == 1
    assert nicosia.filter(status=ReferralStatus.SENT, due_at__gt=now, sent_at__gte=now - datetime.timedelta(days=1)).count() == 1
    assert nicosia.filter(status=ReferralStatus.SENT, due_at__lt=now).count() == 1
    assert not nicosia.filter(consent__isnull=True).exists()
    milan = Referral.objects.filter(from_organisation__slug="milano-cav")
    assert {r.to_organisation.slug for r in milan} == {"milano-sociali", "milano-police", "milano-ospedale"}
    assert milan.filter(status=ReferralStatus.CLOSED).exists()
    emergency = milan.get(emergency=True)
    assert emergency.consent is None and len(emergency.emergency_reason) > 10


def test_the_milan_marac_has_two_meetings_minuted_and_one_planned(demo):
    series = ConferenceSeries.objects.get(name="Milan MARAC", organisation__slug="cipm")
    assert series.every_days == 14
    assert {m.organisation.slug for m in series.members.all()} == {"cipm", "milano-cav", "milano-police", "milano-sociali",
                                                                    "milano-ospedale"}
    first, second, planned = series.meetings.order_by("number")
    assert first.status == second.status == MeetingStatus.MINUTES_SENT
    assert first.starts_at < second.starts_at < timezone.now() < planned.starts_at
    assert 3 <= first.items.count() <= 4 and 3 <= second.items.count() <= 4
    assert planned.status == MeetingStatus.PLANNED and planned.agenda_built_at
    assert planned.items.filter(carried_over=False).exists() and planned.items.filter(carried_over=True).exists()
    assert second.items.filter(referral__repeat=True).exists()
    today = timezone.localdate()
    actions = ConferenceAction.objects.filter(referral__series=series)
    assert actions.filter(status=ConferenceActionStatus.OPEN, due_on__lt=today).exists()

    figures = series_figures(series=series, start=today - datetime.timedelta(days=90), end=today)
    assert figures["referrals"] >= 6 and figures["repeats"] == 1
    assert figures["actions"]["on_time"] >= 3 and figures["actions"]["late"] == 1 and figures["actions"]["open"] >= 1

    nicosia = ConferenceSeries.objects.get(name="Nicosia MARAC", organisation__slug="enoros")
    (meeting,) = nicosia.meetings.all()
    assert meeting.status == MeetingStatus.PLANNED and meeting.items.count() == 2


def test_loading_twice_adds_nothing(demo):
    _logins, added = demo
    assert added == 2
    before = counts()
    load_demo_referrals()
    assert load_demo_conferences() == 0
    assert counts() == before
