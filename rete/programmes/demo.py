"""Demo perpetrator programmes: CIPM Milan (Italian, court-referred men under art. 165 c.p. and
282-quater c.p.p.) and Demetra Burgas (Bulgarian), each with a published pathway, a running group
with weeks of attendance, men at every state, legal mandates, compliance findings, partner
contact with their partner-support workers (separate staff), court reports and outcome
questionnaires.

Every man, partner, court case number and staff member named here is INVENTED. Needs the demo
network (rete.core.demo.load_demo_network) first. Idempotent: nothing is added when CIPM already
has enrolments."""
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from rete.core import audit
from rete.core.models import Membership, Organisation, Role, User
from rete.programmes import pathways
from rete.programmes.models import (
    Attendance,
    Enrolment,
    EnrolmentState,
    Group,
    GroupFacilitator,
    GroupMember,
    LegalMandate,
    MandateBasis,
    Pathway,
    PathwayStatus,
    PathwayVersion,
    RecipientKind,
    ReportKind,
    ReportRecipient,
    Session,
    SessionKind,
    SessionStatus,
    StateChange,
)

# A second facilitator at each programme: groups are run by two.
SECOND_FACILITATORS = [
    ("cipm", "facilitator-2@cipm.example", "Davide", "Ricci", "it", "Europe/Rome"),
    ("demetra", "facilitator-2@demetra.example", "Petar", "Nikolov", "bg", "Europe/Sofia"),
]

STAGES = {
    "it": [
        {"code": "assessment", "kind": "assessment", "name": "Valutazione", "min_sessions": 3, "min_hours": 0},
        {"code": "motivational", "kind": "motivational", "name": "Fase motivazionale", "min_sessions": 4, "min_hours": 0},
        {"code": "group", "kind": "group", "name": "Gruppo psicoeducativo", "min_sessions": 44, "min_hours": 88},
        {"code": "follow_up", "kind": "follow_up", "name": "Follow-up", "min_sessions": 2, "min_hours": 0},
    ],
    "bg": [
        {"code": "assessment", "kind": "assessment", "name": "Оценка", "min_sessions": 3, "min_hours": 0},
        {"code": "group", "kind": "group", "name": "Групова програма", "min_sessions": 24, "min_hours": 48},
        {"code": "follow_up", "kind": "follow_up", "name": "Проследяване", "min_sessions": 2, "min_hours": 0},
    ],
}

# Attendance codes per session, oldest first: P present, L late, E excused (illness), A absent,
# O present with an oppositional attitude.


@dataclass
class Man:
    given: str
    family: str
    born: int
    source: str
    state: str
    pattern: str = ""  # attendance in the group, one letter per session from the group's start
    mandate: bool = False
    basis: str = MandateBasis.ART_165_CP
    partner: str = ""  # "" no link; "shared:<status>" or "private:<status>"
    note: str = ""
    extra: dict = field(default_factory=dict)


CIPM_MEN = [
    Man("Alessandro", "Brivio", 1978, "court_165", EnrolmentState.ACTIVE, "PPPPLPPPPPPPPPPPPP", True,
        partner="shared:engaged"),
    Man("Stefano", "Cattaneo", 1985, "court_165", EnrolmentState.ACTIVE, "PPPPPPPPPPPPPAPPAP", True,
        partner="private:engaged"),
    Man("Matteo", "Galli", 1990, "court_282", EnrolmentState.ACTIVE, "PPPLPPPPPPPPPPPAAA", True,
        basis=MandateBasis.ART_282_QUATER, partner="shared:attempted"),
    Man("Fabio", "Longoni", 1982, "self", EnrolmentState.ACTIVE, "PPPPPEPPPPEPPPPPPP", partner="shared:declined"),
    Man("Davide", "Mauri", 1987, "police_warning", EnrolmentState.DROPPED_OUT, "PPPPAAA", partner="private:unreachable"),
    Man("Riccardo", "Pozzi", 1975, "social_services", EnrolmentState.ASSESSING),
    Man("Simone", "Radaelli", 1993, "victim_centre", EnrolmentState.ENQUIRY),
    Man("Giorgio", "Sironi", 1969, "lawyer", EnrolmentState.INFORMATION),
    Man("Enrico", "Vergani", 1980, "court_165", EnrolmentState.WAITING, mandate=True, partner="shared:engaged"),
]

DEMETRA_MEN = [
    Man("Иван", "Петков", 1981, "probation", EnrolmentState.ACTIVE, "PPPPPPPPLPPP", True,
        basis=MandateBasis.PROBATION, partner="shared:engaged"),
    Man("Димитър", "Колев", 1988, "police_warning", EnrolmentState.ACTIVE, "PPOPPOPPPPPP", partner="private:engaged"),
    Man("Стефан", "Атанасов", 1979, "social_services", EnrolmentState.SUSPENDED, "PPPPPPEE", partner="shared:attempted"),
    Man("Пламен", "Георгиев", 1991, "self", EnrolmentState.ASSESSING),
    Man("Христо", "Николов", 1984, "victim_centre", EnrolmentState.ENQUIRY),
    Man("Васил", "Янев", 1977, "self", EnrolmentState.WAITING, partner="shared:engaged"),
]

PROGRAMMES = {
    "cipm": {"pathway": "Percorso standard per autori di violenza (demo)", "language": "it", "men": CIPM_MEN,
             "group": "Gruppo del martedì e giovedì", "weekdays": [2, 4], "time": datetime.time(18, 30),
             "weeks": 9, "place": "Sala gruppi, sede CIPM (demo)",
             "court": "Tribunale di Milano – Sezione esempio (demo)", "probation": "UEPE di Milano – ufficio esempio (demo)",
             "topics": ["Regole del gruppo e patto di partecipazione", "Che cos'è la violenza", "Il controllo nella coppia",
                        "Riconoscere i segnali d'allarme", "Le emozioni e la rabbia", "La responsabilità",
                        "Gli effetti sui figli", "Comunicare senza violenza", "Gelosia e possesso"]},
    "demetra": {"pathway": "Стандартна програма за извършители (демо)", "language": "bg", "men": DEMETRA_MEN,
                "group": "Група в сряда", "weekdays": [3], "time": datetime.time(18, 0), "weeks": 12,
                "place": "Зала за групи, Деметра (демо)",
                "court": "Районен съд – Бургас, примерен състав (демо)",
                "probation": "Пробационна служба – Бургас, примерен отдел (демо)",
                "topics": ["Правила на групата", "Какво е насилие", "Контрол и власт", "Гняв и емоции",
                           "Отговорност", "Въздействие върху децата"]},
}


def _user(email):
    return User.objects.get(email=email)


def _second_facilitators(password):
    logins = []
    for slug, email, first, last, language, tz in SECOND_FACILITATORS:
        organisation = Organisation.objects.get(slug=slug)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last,
                                            language=language, time_zone=tz)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.FACILITATOR, ended_at=None)
        logins.append((email, password, str(Role.FACILITATOR.label), organisation.short_name))
    return logins


def _pathway(organisation, coordinator, name, language):
    pathway = Pathway.objects.create(organisation=organisation, name=name, created_by=coordinator)
    return PathwayVersion.objects.create(
        pathway=pathway, number=1, status=PathwayStatus.PUBLISHED, stages=STAGES[language],
        rules={**pathways.DEFAULT_RULES, "sessions_per_week": 0}, notifications=pathways.DEFAULT_NOTIFICATIONS,
        description="", created_by=coordinator, published_by=coordinator,
        published_at=timezone.now() - datetime.timedelta(days=200))


def _group(organisation, spec, coordinator, facilitators, today):
    weeks = spec["weeks"]
    starts_on = today - datetime.timedelta(weeks=weeks)
    group = Group.objects.create(organisation=organisation, name=spec["group"], language=spec["language"],
                                 weekdays=spec["weekdays"], start_time=spec["time"], duration_minutes=120,
                                 starts_on=starts_on, ends_on=starts_on + datetime.timedelta(weeks=26), capacity=12,
                                 place=spec["place"], status="running", created_by=coordinator)
    for user in facilitators:
        GroupFacilitator.objects.create(group=group, user=user)
    sessions, day, number = [], starts_on, 0
    while day <= today + datetime.timedelta(days=14):
        if day.isoweekday() in spec["weekdays"]:
            number += 1
            at = timezone.make_aware(datetime.datetime.combine(day, spec["time"]))
            held = day < today
            session = Session.objects.create(
                organisation=organisation, kind=SessionKind.GROUP, group=group, number=number, starts_at=at,
                duration_minutes=120, topic=spec["topics"][(number - 1) % len(spec["topics"])] if held else "",
                status=SessionStatus.HELD if held else SessionStatus.PLANNED, recorded_by=facilitators[0] if held else None,
                recorded_at=at + datetime.timedelta(hours=2) if held else None)
            if held:
                session.facilitators.set(facilitators)
                sessions.append(session)
        day += datetime.timedelta(days=1)
    return group, sessions


def _backdate(enrolment, *, enquiry_at, started_on=None):
    """The services date everything today; the demo's men came weeks or months ago."""
    values = {"enquiry_at": enquiry_at, "last_activity_at": timezone.now()}
    if started_on:
        values["started_on"] = started_on
    Enrolment.objects.filter(pk=enrolment.pk).update(**values)
    changes = list(StateChange.objects.filter(enrolment=enrolment).order_by("pk"))
    step = (timezone.now() - enquiry_at) / max(len(changes), 1)
    for index, change in enumerate(changes):
        StateChange.objects.filter(pk=change.pk).update(at=enquiry_at + step * index)
    enrolment.refresh_from_db()


def _mandate(enrolment, man, spec, by, today):
    mandate = LegalMandate.objects.create(
        enrolment=enrolment, basis=man.basis, court=spec["court"],
        case_number=f"RG {1000 + enrolment.pk * 7}/2026 (demo)", order_on=today - datetime.timedelta(weeks=14),
        start_by=today - datetime.timedelta(weeks=8), sessions_per_week=len(spec["weekdays"]), duration_weeks=26,
        favourable_outcome_condition=("Frequenza regolare, almeno due incontri a settimana, e partecipazione attiva "
                                      "(demo)." if spec["language"] == "it" else
                                      "Редовно присъствие и активно участие (демо)."),
        consent_recorded=True, report_every_weeks=12, created_by=by)
    ReportRecipient.objects.create(mandate=mandate, kind=RecipientKind.COURT, name=spec["court"],
                                   contact="cancelleria.esempio@example.org",
                                   reports=[ReportKind.START, ReportKind.COMPLIANCE, ReportKind.INTERRUPTION, ReportKind.FINAL])
    ReportRecipient.objects.create(mandate=mandate, kind=RecipientKind.PROBATION, name=spec["probation"],
                                   contact="uepe.esempio@example.org", reports=list(ReportKind.values))
    return mandate


def _attend(man, enrolment, sessions, facilitator):
    codes = {"P": "present", "L": "late", "E": "excused", "A": "absent", "O": "present"}
    for code, session in zip(man.pattern, sessions):
        Attendance.objects.create(
            session=session, enrolment=enrolment, status=codes[code], excuse="illness" if code == "E" else "",
            participation="oppositional" if code == "O" else ("adequate" if code in "PL" else ""),
            recorded_by=facilitator, recorded_at=session.starts_at + datetime.timedelta(hours=2))


def _enrol(man, organisation, spec, version, group, sessions, staff, today):
    from rete.network.services import partner_contact
    from rete.programmes.services import compliance
    from rete.programmes.services import enrolments as services

    facilitator, cofacilitator, coordinator = staff
    weeks_ago = 16 if man.pattern else 3
    enquiry_at = timezone.now() - datetime.timedelta(weeks=weeks_ago)
    state = man.state
    asked = state != EnrolmentState.ENQUIRY
    enrolment = services.enquiry_record(
        by=facilitator, organisation=organisation, source=man.source, enquiry_at=enquiry_at,
        participant={"given_name": man.given, "family_name": man.family, "birth_year": man.born,
                     "language": spec["language"], "phone": f"+00 555 01{organisation.pk:02d} {man.born % 100:02d}"},
        referrer_body=spec["court"] if man.source.startswith("court") or man.source == "probation" else "",
        own_request_on=(enquiry_at + datetime.timedelta(days=3)).date() if asked else None,
        own_request_note="Chiedo di partecipare al programma (demo)." if spec["language"] == "it" and asked else "")
    if man.mandate:
        _mandate(enrolment, man, spec, facilitator, today)
    if man.partner:
        partner_contact.partner_link_request(by=facilitator, programme_organisation=organisation, enrolment_id=enrolment.pk,
                                             enrolment_reference=enrolment.reference, support_organisation=organisation)
    if state == EnrolmentState.ENQUIRY:
        _backdate(enrolment, enquiry_at=enquiry_at)
        return enrolment
    services.information_contact_record(by=facilitator, enrolment=enrolment, on=(enquiry_at + datetime.timedelta(days=5)).date())
    if state == EnrolmentState.INFORMATION:
        _backdate(enrolment, enquiry_at=enquiry_at)
        return enrolment
    services.enrolment_transition(by=facilitator, enrolment=enrolment, to_state=EnrolmentState.ASSESSING,
                                  reason="Colloqui di valutazione fissati (demo)." if spec["language"] == "it" else "Насрочени разговори за оценка (демо).")
    if state == EnrolmentState.ASSESSING:
        _backdate(enrolment, enquiry_at=enquiry_at)
        return enrolment
    start = EnrolmentState.WAITING if state == EnrolmentState.WAITING else EnrolmentState.ACTIVE
    services.suitability_decide(by=coordinator, enrolment=enrolment, decision="accepted", pathway_version=version,
                                start_state=start, reason=("Riconosce in parte i fatti, accetta le regole del gruppo (demo)."
                                                           if spec["language"] == "it" else
                                                           "Признава отчасти фактите, приема правилата (демо)."))
    if state == EnrolmentState.WAITING:
        _backdate(enrolment, enquiry_at=enquiry_at)
        return enrolment
    GroupMember.objects.create(group=group, enrolment=enrolment, joined_on=group.starts_on)
    _backdate(enrolment, enquiry_at=enquiry_at, started_on=group.starts_on)
    _attend(man, enrolment, sessions, facilitator)
    compliance.compliance_evaluate(by=facilitator, enrolment=enrolment)
    enrolment.refresh_from_db()
    if state == EnrolmentState.DROPPED_OUT:
        services.enrolment_transition(by=facilitator, enrolment=enrolment, to_state=EnrolmentState.DROPPED_OUT,
                                      reason="Non risponde più alle chiamate dopo tre assenze (demo).")
        GroupMember.objects.filter(enrolment=enrolment).update(left_on=today - datetime.timedelta(days=10))
    elif state == EnrolmentState.SUSPENDED:
        services.enrolment_transition(by=coordinator, enrolment=enrolment, to_state=EnrolmentState.SUSPENDED,
                                      reason="Ricoverato in ospedale: partecipazione sospesa (demo)." if spec["language"] == "it"
                                      else "Приет в болница: участието е временно спряно (демо).")
    enrolment.refresh_from_db()
    return enrolment


def _partner_side(man, enrolment, organisation):
    """Her service's record of the contact: the status, shared with the programme or not."""
    from rete.core.demo import demo_email
    from rete.network.models import PartnerContactLink
    from rete.network.services import partner_contact

    if not man.partner:
        return
    shared, status = man.partner.split(":")
    worker = _user(demo_email(organisation.slug, Role.PARTNER_SUPPORT_WORKER))
    link = PartnerContactLink.objects.get(enrolment_id=enrolment.pk, ended_at__isnull=True)
    partner_contact.partner_status_set(by=worker, link=link, status=status, share=shared == "shared", version=link.version)


def _start_notice(enrolment, coordinator, language):
    """The start notice drafted, signed off and sent to the court (when he has a mandate)."""
    from rete.programmes.models import CourtReport
    from rete.programmes.services import court_reports

    report = CourtReport.objects.filter(enrolment=enrolment, kind=ReportKind.START).first()
    if report is None:
        return
    report = court_reports.report_draft(by=coordinator, report=report)
    report = court_reports.report_edit(by=coordinator, report=report, version=report.version, language=language,
                                       assessment=("Ha iniziato il percorso di gruppo come previsto dal provvedimento (demo)."
                                                   if language == "it" else
                                                   "Започна груповата програма, както е предвидено в акта (демо)."))
    report = court_reports.report_sign(by=coordinator, report=report, version=report.version)
    recipients = list(ReportRecipient.objects.filter(mandate__enrolment=enrolment).values_list("pk", flat=True))
    court_reports.report_send(by=coordinator, report=report, version=report.version, recipient_ids=recipients, method="pec",
                              sent_on=timezone.localdate())


def _programme(slug, today, logins):
    spec = PROGRAMMES[slug]
    organisation = Organisation.objects.get(slug=slug)
    from rete.core.demo import demo_email

    facilitator = _user(demo_email(slug, Role.FACILITATOR))
    cofacilitator = _user(f"facilitator-2@{slug}.example")
    coordinator = _user(demo_email(slug, Role.PROGRAMME_COORDINATOR))
    version = _pathway(organisation, coordinator, spec["pathway"], spec["language"])
    group, sessions = _group(organisation, spec, coordinator, [facilitator, cofacilitator], today)
    enrolments = [_enrol(man, organisation, spec, version, group, sessions, (facilitator, cofacilitator, coordinator), today)
                  for man in spec["men"]]
    for man, enrolment in zip(spec["men"], enrolments):
        _partner_side(man, enrolment, organisation)
        if man.mandate and man.state == EnrolmentState.ACTIVE and man.pattern:
            _start_notice(enrolment, coordinator, spec["language"])
    return organisation, enrolments


def load_demo_programmes(*, password=None) -> list[tuple]:
    """Idempotent: the second facilitators (their logins returned), then CIPM's and Demetra's
    programmes unless CIPM already has enrolments."""
    from rete.core.demo import DEMO_PASSWORD
    from rete.network.demo import _quiet

    with _quiet(), transaction.atomic():
        logins = _second_facilitators(password or DEMO_PASSWORD)
        if Enrolment.objects.filter(organisation__slug="cipm").exists():
            return logins
        today = timezone.localdate()
        loaded = [_programme(slug, today, logins) for slug in PROGRAMMES]
        audit.record(action="demo.programmes_loaded", detail={"enrolments": sum(len(e) for _o, e in loaded)})
    return logins
