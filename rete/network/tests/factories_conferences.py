"""Risk conferences for tests: a series coordinated by the home organisation with the other
organisation (police) as a member, a representative for each, and cases at home referred on
professional judgement with her consent to the conference."""
import datetime

from django.utils import timezone

from rete.cases import services as case_services
from rete.cases.tests.helpers import open_case
from rete.core.models import OrganisationKind
from rete.network.services import conferences as services

JUDGEMENT = "He threatened to kill her last week and has a hunting licence."


def make_series(network, *, name="Milan MARAC", every_days=14, escalation_callouts=3, members=("other",),
                representatives=True):
    """A series of the home organisation; `members`: "other" adds the other organisation (as
    police); representatives: the home caseworker and supervisor for home, the other police
    officer for other."""
    coordinator = network["network_coordinator"]
    series = services.series_create(by=coordinator, organisation=network.home, name=name, country="IT",
                                    territory="Milano", every_days=every_days, escalation_callouts=escalation_callouts)
    if "other" in members:
        network.other.kinds = [OrganisationKind.POLICE]
        network.other.save(update_fields=["kinds"])
        services.member_add(by=coordinator, series=series, organisation=network.other)
    if representatives:
        home = series.members.get(organisation=network.home)
        for role in ("caseworker", "supervisor", "network_coordinator"):
            services.representative_add(by=coordinator, member=home, email=network[role].email)
        if "other" in members:
            other = series.members.get(organisation=network.other)
            services.representative_add(by=coordinator, member=other, email=network["other_police_officer"].email)
    return series


def consent_to_conference(network, case):
    return case_services.consent_record(by=network["caseworker"], case=case, kind="share_sector", sector="risk_conference",
                                        given_on=timezone.localdate() - datetime.timedelta(days=1), method="verbal")


def refer_case(network, series, case=None, *, criterion="judgement", reasons=JUDGEMENT, consent=True, **values):
    case = case or open_case(network["caseworker"], network.home)
    if consent:
        consent_to_conference(network, case)
    return services.conference_refer(by=network["caseworker"], case=case, series=series, criterion=criterion,
                                     reasons=reasons, **values)


def make_meeting(network, series, *, days=1):
    starts_at = timezone.now() + datetime.timedelta(days=days)
    return services.meeting_schedule(by=network["network_coordinator"], series=series, starts_at=starts_at, place="Sala 2")


def held_meeting_with_actions(network, series, cases=2):
    """A meeting with `cases` new cases on its agenda, each minuted with one action for the
    other organisation due in a week; marked held."""
    coordinator = network["network_coordinator"]
    referrals = [refer_case(network, series) for _ in range(cases)]
    meeting = make_meeting(network, series, days=0)
    services.agenda_build(by=coordinator, meeting=meeting)
    for item in meeting.items.order_by("position"):
        services.item_record(by=coordinator, item=item, notes="Discussed the risk.", decisions="Police to visit.")
        services.action_add(by=coordinator, item=item, agency=network.other, owner=network["other_police_officer"],
                            description="Home visit and weapons check.", due_on=timezone.localdate() + datetime.timedelta(days=7))
    services.meeting_held(by=coordinator, meeting=meeting)
    return meeting, referrals
