"""Demo mutual learning (issue 7): the practices the STEP4GBV partners exchanged, reviewed on the
EIGE grid and piloted; the four transnational workshops of 2018–2019 with their participants,
attendance, knowledge tests, questionnaires and certificates; a webinar open for registration
next month and a training still in draft.

Everything goes through the services as people would do it (submit, check, review, conclude,
select, publish; pilots; sessions, test items, attendance, tests, questionnaires, follow-up,
certificates). The services date their rows today, so the demo moves the timestamps of what
happened in 2018–2019 back afterwards. Registrations for the past workshops are made through
the models: registration closed years ago, and the registration services (rightly) refuse it.

Every person named here, every participant, e-mail address and figure is INVENTED; the
organisations are the real partners (rete.core.demo). Needs the demo network first.
Idempotent: the trainers are added once, the practices and pilots only when Salvamamme has no
practice, the events only when the Nicosia workshop does not exist."""
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rete.core import audit
from rete.core.models import Membership, Organisation, Role, User
from rete.learning import calendar, demo_texts, tokens
from rete.learning.models import (
    EventKind,
    EventStatus,
    Facet,
    FollowUpResponse,
    Invitation,
    MeasuredAmong,
    Pillar,
    PilotConclusion,
    Practice,
    PracticeAttachment,
    PracticeCheck,
    PracticeReview,
    PracticeStateChange,
    PracticeStatus,
    Registration,
    RegistrationStatus,
    SatisfactionResponse,
    SessionAttendance,
    TargetGroup,
    TestAttempt,
    TestPhase,
    TrainingEvent,
    ViolenceForm,
)

# Trainers at the partners that host a workshop and had none in the demo network (names invented).
DEMO_TRAINERS = [
    ("aphvf", "Irene", "Stylianou", "el", "Asia/Nicosia"),
    ("diaconia", "Kateřina", "Malá", "cs", "Europe/Prague"),
    ("demetra", "Tsvetana", "Yordanova", "bg", "Europe/Sofia"),
    ("salvamamme", "Alessia", "Conti", "it", "Europe/Rome"),
]

# A fixed token for the webinar's invitation link, so that the demo can print a link that works
# (a real invitation's token is random and shown once). The demo never runs in production.
DEMO_INVITATION_TOKEN = "demo-webinar-safety-luggage"
# The person checking and deciding on every practice: the network coordinator at Enoros, which
# has no practice of its own (nobody takes a step on her own organisation's practice).
DECIDER = ("enoros", Role.NETWORK_COORDINATOR)
MALE_NAMES = {"Marios", "Nikos", "Petros", "Luca", "Paolo", "Andrea", "Christos", "Andreas", "Martin", "Tomáš",
              "Marco", "Georgi", "Nikolay", "Ivan", "Stoyan", "Davide", "Petar"}
PROFESSION_OF_ROLE = {
    Role.CASEWORKER: "social_worker", Role.SUPERVISOR: "psychologist", Role.POLICE_OFFICER: "police",
    Role.FACILITATOR: "facilitator", Role.PARTNER_SUPPORT_WORKER: "social_worker",
    Role.PROGRAMME_COORDINATOR: "facilitator", Role.NETWORK_COORDINATOR: "other", Role.TRAINER: "other",
}


def _user(slug, role) -> User:
    from rete.core.demo import demo_email

    return User.objects.get(email=demo_email(slug, role))


def _org(slug) -> Organisation:
    return Organisation.objects.get(slug=slug)


def _at(day: datetime.date, hour=10, minute=0, zone="Europe/Rome") -> datetime.datetime:
    return calendar.local_datetime(zone, day, datetime.time(hour, minute))


def _trainers(password) -> list[tuple]:
    from rete.core.demo import demo_email

    logins = []
    for slug, first, last, language, tz in DEMO_TRAINERS:
        organisation = _org(slug)
        email = demo_email(slug, Role.TRAINER)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last,
                                            language=language, time_zone=tz)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.TRAINER, ended_at=None)
        logins.append((email, password, str(Role.TRAINER.label), organisation.short_name))
    return logins


# ---- practices ---------------------------------------------------------------------------------

# Each practice: its owner and author, texts, where it ends up, who reviews it (trainers or network
# coordinators of other organisations), how well (share of each criterion's highest score) and
# when its steps happened (days after `start`).
PRACTICES = [
    {
        "key": "salvamamme", "org": "salvamamme", "author": Role.SUPERVISOR, "language": "it",
        "texts": demo_texts.SALVAMAMME_IT, "en": demo_texts.SALVAMAMME_EN, "pillar": Pillar.PROTECTION,
        "targets": [TargetGroup.SURVIVORS, TargetGroup.CHILDREN],
        "forms": [ViolenceForm.INTIMATE_PARTNER, ViolenceForm.DOMESTIC], "started_on": datetime.date(2015, 10, 1),
        "public": True, "contact": "Valentina De Santis, coordinatrice (demo) – valentina.desantis@salvamamme.example",
        "target": PracticeStatus.PUBLISHED, "start": datetime.date(2019, 3, 4),
        "reviewers": [(("enoros", Role.TRAINER), 0.86), (("diaconia", Role.NETWORK_COORDINATOR), 0.8)],
        "attachment": ("Contenuto della valigia di salvataggio", "contenuto-valigia.txt", (
            "Valigia di salvataggio – contenuto di base (demo)\n\n"
            "- cambi di abiti per la donna e per i bambini (taglie concordate al colloquio)\n"
            "- prodotti per l'igiene personale\n- telefono di riserva con caricabatterie e credito\n"
            "- busta impermeabile per le copie dei documenti\n- piccola somma per i trasporti\n"
            "- scheda con i numeri utili: 1522, 112, centro antiviolenza più vicino\n")),
    },
    {
        "key": "demetra", "org": "demetra", "author": Role.SUPERVISOR, "language": "bg",
        "texts": demo_texts.DEMETRA_BG, "en": demo_texts.DEMETRA_EN, "pillar": Pillar.PROVISION,
        "targets": [TargetGroup.SURVIVORS, TargetGroup.PERPETRATORS, TargetGroup.CHILDREN],
        "forms": [ViolenceForm.DOMESTIC, ViolenceForm.INTIMATE_PARTNER, ViolenceForm.PSYCHOLOGICAL],
        "started_on": datetime.date(2017, 1, 9), "public": False,
        "contact": "Desislava Ivanova, супервизор (demo) – supervisor@demetra.example",
        "target": PracticeStatus.PUBLISHED, "start": datetime.date(2019, 4, 1),
        "reviewers": [(("cipm", Role.TRAINER), 0.78), (("aphvf", Role.TRAINER), 0.74)],
    },
    {
        "key": "aphvf", "org": "aphvf", "author": Role.SUPERVISOR, "language": "el",
        "texts": demo_texts.APHVF_EL, "en": demo_texts.APHVF_EN, "pillar": Pillar.PROTECTION,
        "targets": [TargetGroup.SURVIVORS],
        "forms": [ViolenceForm.INTIMATE_PARTNER, ViolenceForm.DOMESTIC, ViolenceForm.PSYCHOLOGICAL],
        "started_on": datetime.date(2016, 5, 2), "public": True,
        "contact": "Andri Georgiou, supervisor (demo) – supervisor@aphvf.example",
        "target": PracticeStatus.PROMISING, "start": -70,
        "reviewers": [(("cipm", Role.TRAINER), 0.82), (("demetra", Role.NETWORK_COORDINATOR), 0.72)],
    },
    {
        "key": "diaconia", "org": "diaconia", "author": Role.SUPERVISOR, "language": "cs",
        "texts": demo_texts.DIACONIA_CS, "en": demo_texts.DIACONIA_EN, "update": demo_texts.DIACONIA_CS_UPDATE,
        "pillar": Pillar.PROTECTION, "targets": [TargetGroup.SURVIVORS, TargetGroup.CHILDREN, TargetGroup.PROFESSIONALS],
        "forms": [ViolenceForm.DOMESTIC, ViolenceForm.INTIMATE_PARTNER], "started_on": datetime.date(2014, 9, 1),
        "public": False, "contact": "Jana Dvořáková, vedoucí služby (demo) – supervisor@diaconia.example",
        "target": PracticeStatus.IN_REVIEW, "start": -30,
        "reviewers": [(("enoros", Role.TRAINER), 0.76)],
    },
    {
        "key": "cipm", "org": "cipm", "author": Role.PROGRAMME_COORDINATOR, "language": "it",
        "texts": demo_texts.CIPM_IT, "en": demo_texts.CIPM_EN, "pillar": Pillar.PREVENTION,
        "targets": [TargetGroup.PERPETRATORS], "forms": [ViolenceForm.INTIMATE_PARTNER, ViolenceForm.DOMESTIC],
        "started_on": datetime.date(2013, 2, 1), "public": True,
        "contact": "Paolo Invernizzi, coordinatore del programma (demo) – programme-coordinator@cipm.example",
        "target": PracticeStatus.SUBMITTED, "start": -6, "reviewers": [],
    },
    {
        "key": "police", "org": "cy-police", "author": Role.SUPERVISOR, "language": "el",
        "texts": demo_texts.POLICE_EL, "en": demo_texts.POLICE_EN, "pillar": Pillar.PROSECUTION,
        "targets": [TargetGroup.SURVIVORS, TargetGroup.PROFESSIONALS],
        "forms": [ViolenceForm.INTIMATE_PARTNER, ViolenceForm.DOMESTIC], "started_on": datetime.date(2018, 1, 15),
        "public": False, "contact": "Georgia Demetriou, supervisor (demo) – supervisor@cy-police.example",
        "target": PracticeStatus.RETURNED, "start": -25, "reviewers": [],
    },
    {
        "key": "salvamamme-draft", "org": "salvamamme", "author": Role.CASEWORKER, "language": "it",
        "texts": demo_texts.SALVAMAMME_DRAFT_IT, "en": demo_texts.SALVAMAMME_DRAFT_EN, "pillar": Pillar.PROVISION,
        "targets": [TargetGroup.SURVIVORS], "forms": [ViolenceForm.INTIMATE_PARTNER, ViolenceForm.DOMESTIC],
        "started_on": datetime.date(2017, 6, 1), "public": False, "contact": "",
        "target": PracticeStatus.DRAFT, "start": -3, "reviewers": [],
    },
]

# The order of the review, with the day (after the practice's start) each step was taken.
STEP_DAYS = {PracticeStatus.SUBMITTED: 0, PracticeStatus.RETURNED: 7, PracticeStatus.IN_REVIEW: 9,
             PracticeStatus.PROMISING: 40, PracticeStatus.SELECTED: 55, PracticeStatus.PUBLISHED: 70}
REVIEW_DAYS = (20, 27)
ORDER = [PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.IN_REVIEW, PracticeStatus.PROMISING,
         PracticeStatus.SELECTED, PracticeStatus.PUBLISHED]


def _reaches(spec, status) -> bool:
    target = spec["target"]
    if target == PracticeStatus.RETURNED:
        return status in (PracticeStatus.DRAFT, PracticeStatus.SUBMITTED)
    return ORDER.index(target) >= ORDER.index(status)


def _scores(grid, share, rng) -> dict:
    """A reviewer's scores on every scored criterion of the grid, around `share` of the highest."""
    from rete.learning import scoring

    result = {}
    for criterion in scoring.scored_criteria(list(grid.criteria.all())):
        top = int(criterion.max_score)
        value = round(top * (share + rng.uniform(-0.22, 0.22)))
        result[criterion.key] = max(0, min(top, value))
    return result


def _basic_answers(grid, *, passed: bool, failing=("documented",)) -> dict:
    from rete.learning import scoring

    keys = [c.key for c in scoring.basic_criteria(list(grid.criteria.all()))]
    answers = {key: True for key in keys}
    if not passed:
        missing = [key for key in keys if key in failing] or keys[-1:]
        for key in missing:
            answers[key] = False
    return answers


REVIEW_COMMENTS = [
    "Clear steps and modest resources; the evidence would be stronger with a comparison group.",
    "Well described and easy to adapt. It would help to say more about women with disabilities and migrant women.",
    "Convincing practice with good sustainability; transferability depends on volunteers being available.",
]
CONCLUSION_REASONS = {
    PracticeStatus.PROMISING: "Both reviewers scored it above the threshold.",
    PracticeStatus.SELECTED: "Selected at the partners' meeting for the piloting phase.",
}


def _practice(spec, today, grid):
    from rete.learning.services import practice_records
    from rete.learning.services import practices as services
    from rete.learning.services import review

    organisation = _org(spec["org"])
    author = _user(spec["org"], spec["author"])
    decider = _user(*DECIDER)
    practice = services.practice_create(
        by=author, organisation=organisation, source_language=spec["language"], country=organisation.country,
        pillar=spec["pillar"], texts_by_field=spec["texts"],
        facets={Facet.TARGET_GROUP: spec["targets"], Facet.VIOLENCE_FORM: spec["forms"]},
        contact=spec["contact"], started_on=spec["started_on"], public=spec["public"])
    # The English translation, made by the owner while the practice is a draft.
    practice = services.practice_translate(by=author, practice=practice, version=practice.version, language="en",
                                           texts_by_field=spec["en"])
    if spec.get("update"):
        # The source changed after the translation: the English text of these fields is out of date.
        texts = {**spec["texts"], **spec["update"]}
        practice = services.practice_update(
            by=author, practice=practice, version=practice.version, country=practice.country, pillar=practice.pillar,
            texts_by_field=texts, facets={Facet.TARGET_GROUP: spec["targets"], Facet.VIOLENCE_FORM: spec["forms"]},
            contact=spec["contact"], started_on=spec["started_on"], public=spec["public"])
    if spec.get("attachment"):
        title, filename, text = spec["attachment"]
        practice_records.practice_attachment_add(by=author, practice=practice, filename=filename,
                                                 data=text.encode("utf-8"), title=title)
    if not _reaches(spec, PracticeStatus.SUBMITTED):
        return practice
    practice = services.practice_submit(by=author, practice=practice)
    if spec["target"] == PracticeStatus.SUBMITTED:
        return practice
    if spec["target"] == PracticeStatus.RETURNED:
        review.practice_check(by=decider, practice=practice, answers=_basic_answers(grid, passed=False),
                              note=demo_texts.RETURN_REASON_POLICE)
        return practice
    review.practice_check(by=decider, practice=practice, answers=_basic_answers(grid, passed=True))
    rng = random.Random(spec["key"])
    for index, ((slug, role), share) in enumerate(spec["reviewers"]):
        review.practice_review_submit(by=_user(slug, role), practice=practice, scores=_scores(grid, share, rng),
                                      comment=REVIEW_COMMENTS[index % len(REVIEW_COMMENTS)])
    if not _reaches(spec, PracticeStatus.PROMISING):
        return practice
    review.practice_conclude(by=decider, practice=practice, decision=PracticeStatus.PROMISING,
                             reason=CONCLUSION_REASONS[PracticeStatus.PROMISING])
    if not _reaches(spec, PracticeStatus.SELECTED):
        return practice
    review.practice_select(by=decider, practice=practice, reason=CONCLUSION_REASONS[PracticeStatus.SELECTED])
    review.practice_publish(by=decider, practice=practice)
    return practice


def _backdate_practice(practice, spec, today):
    """The steps on the days they were taken (the services dated them today)."""
    practice.refresh_from_db()
    start = spec["start"] if isinstance(spec["start"], datetime.date) else today + datetime.timedelta(days=spec["start"])
    zone = "Europe/Rome"

    def at(days, hour=10):
        return _at(start + datetime.timedelta(days=days), hour, zone=zone)

    created = at(-21)
    last = created
    for change in PracticeStateChange.objects.filter(practice=practice).order_by("pk"):
        when = at(STEP_DAYS.get(change.to_status, 0), 11)
        PracticeStateChange.objects.filter(pk=change.pk).update(at=when)
        last = max(last, when)
    checked = at(STEP_DAYS[PracticeStatus.RETURNED if spec["target"] == PracticeStatus.RETURNED
                           else PracticeStatus.IN_REVIEW], 11)
    PracticeCheck.objects.filter(practice=practice).update(at=checked)
    for review, days in zip(PracticeReview.objects.filter(practice=practice).order_by("pk"), REVIEW_DAYS):
        when = at(days, 15)
        PracticeReview.objects.filter(pk=review.pk).update(submitted_at=when)
        last = max(last, when)
    PracticeAttachment.objects.filter(practice=practice).update(uploaded_at=created + datetime.timedelta(days=2))
    values = {"created_at": created, "updated_at": last}
    if practice.submitted_at:
        values["submitted_at"] = at(STEP_DAYS[PracticeStatus.SUBMITTED], 11)
    if practice.published_at:
        values["published_at"] = at(STEP_DAYS[PracticeStatus.PUBLISHED], 11)
    Practice.objects.filter(pk=practice.pk).update(**values)


def _practices(today) -> dict:
    from rete.learning.selectors import review as review_selectors
    from rete.learning.services import review

    review.install_default_grid()  # normally installed at migrate; never a second one
    grid = review_selectors.active_grid()
    made = {}
    for spec in PRACTICES:
        practice = _practice(spec, today, grid)
        _backdate_practice(practice, spec, today)
        made[spec["key"]] = practice
    return made


# ---- pilots ------------------------------------------------------------------------------------

SAFETY_LUGGAGE_PILOT = {
    "adaptation": (
        "Demetra adapted the kit to Burgas and the villages around it: the bags are kept at the association and at "
        "two partner pharmacies, the card of useful numbers carries the national helplines and the crisis centre, "
        "and the first meeting uses the assessment module of Demetra's own template. Volunteers from a local "
        "women's club pack the bags."),
    "starts_on": datetime.date(2019, 9, 2), "ends_on": datetime.date(2020, 2, 28),
    "indicators": [
        {"name": "Professionals confident in planning an emergency departure with a client", "measured_among":
         MeasuredAmong.PROFESSIONALS, "unit": "%", "higher_is_better": True,
         "pre_value": Decimal("38.00"), "pre_n": 16, "post_value": Decimal("81.00"), "post_n": 16},
        {"name": "Knowledge of safety planning (mean, 1–5)", "measured_among": MeasuredAmong.PROFESSIONALS,
         "unit": "1–5", "higher_is_better": True,
         "pre_value": Decimal("2.90"), "pre_n": 16, "post_value": Decimal("4.10"), "post_n": 15},
        {"name": "Clients with copies of their essential documents ready", "measured_among": MeasuredAmong.CLIENTS,
         "unit": "%", "higher_is_better": True,
         "pre_value": Decimal("22.00"), "pre_n": 27, "post_value": Decimal("67.00"), "post_n": 24},
        {"name": "Clients who feel prepared to leave in an emergency (mean, 1–5)",
         "measured_among": MeasuredAmong.CLIENTS, "unit": "1–5", "higher_is_better": True,
         "pre_value": Decimal("2.10"), "pre_n": 27, "post_value": Decimal("3.80"), "post_n": 24},
        {"name": "Clients who did not know where to turn in a crisis", "measured_among": MeasuredAmong.CLIENTS,
         "unit": "%", "higher_is_better": False,
         "pre_value": Decimal("41.00"), "pre_n": 27, "post_value": Decimal("12.00"), "post_n": 24},
    ],
    "result_summary": (
        "Between September 2019 and February 2020 Demetra handed over 27 bags. Questionnaires before and after, "
        "answered by the 16 professionals involved and by the women who received a bag, show a clear rise in the "
        "professionals' confidence and in the women's preparedness; two in three women had their documents ready "
        "at the end of the pilot, against one in five at the start. Storage at the pharmacies worked well in the "
        "villages. Demetra keeps the kit as part of its service."),
    "conclusion": PilotConclusion.CONFIRMED,
}

TEMPLATE_PILOT = {
    "adaptation": (
        "Diaconia translated the three modules into Czech and aligned the protection module with the police "
        "eviction procedure and the intervention centre's contact after an eviction. The pilot covers new clients "
        "of the Prague counselling service; the support module is used in individual counselling only."),
    "indicators": [
        {"name": "Case files with an up-to-date risk assessment", "measured_among": MeasuredAmong.PROFESSIONALS,
         "unit": "%", "higher_is_better": True, "pre_value": Decimal("54.00"), "pre_n": 48},
        {"name": "Counsellors who find case hand-overs easy (mean, 1–5)", "measured_among":
         MeasuredAmong.PROFESSIONALS, "unit": "1–5", "higher_is_better": True,
         "pre_value": Decimal("2.60"), "pre_n": 9},
        {"name": "Clients who know their safety plan (mean, 1–5)", "measured_among": MeasuredAmong.CLIENTS,
         "unit": "1–5", "higher_is_better": True, "pre_value": Decimal("3.10"), "pre_n": 22},
    ],
}


def _pilots(practices, today):
    from rete.learning.models import Pilot
    from rete.learning.services import pilots

    # Demetra piloted Salvamamme's safety luggage from September 2019: completed, with its measures.
    spec = SAFETY_LUGGAGE_PILOT
    by = _user("demetra", Role.SUPERVISOR)
    pilot = pilots.pilot_start(by=by, practice=practices["salvamamme"], organisation=_org("demetra"),
                               adaptation=spec["adaptation"], starts_on=spec["starts_on"], ends_on=spec["ends_on"],
                               indicators=spec["indicators"])
    pilot = pilots.pilot_set_running(by=by, pilot=pilot)
    pilot = pilots.pilot_complete(by=by, pilot=pilot, version=pilot.version, result_summary=spec["result_summary"],
                                  conclusion=spec["conclusion"])
    Pilot.objects.filter(pk=pilot.pk).update(created_at=_at(datetime.date(2019, 8, 19), zone="Europe/Sofia"),
                                             completed_at=_at(datetime.date(2020, 3, 16), zone="Europe/Sofia"))
    # Diaconia pilots Demetra's template now: running, measured before, not yet after.
    spec = TEMPLATE_PILOT
    by = _user("diaconia", Role.SUPERVISOR)
    pilot = pilots.pilot_start(by=by, practice=practices["demetra"], organisation=_org("diaconia"),
                               adaptation=spec["adaptation"], starts_on=today - datetime.timedelta(days=70),
                               ends_on=today + datetime.timedelta(days=110), indicators=spec["indicators"])
    pilots.pilot_set_running(by=by, pilot=pilot)
    Pilot.objects.filter(pk=pilot.pk).update(created_at=_at(today - datetime.timedelta(days=84), zone="Europe/Prague"))


# ---- the workshops -----------------------------------------------------------------------------


def _time(text) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


def _member_profile(user, organisation, role) -> dict:
    return {"organisation_name": organisation.name, "organisation_kind": (organisation.kinds or ["victim_support"])[0],
            "country": organisation.country, "profession": PROFESSION_OF_ROLE.get(role, "other"),
            "sex": "male" if user.first_name in MALE_NAMES else "female", "language": user.language or "en"}


def _create_event(spec, runner, host):
    from rete.learning.services import evaluation
    from rete.learning.services import events as event_services

    starts_on = datetime.date(*spec["starts_on"])
    ends_on = starts_on + datetime.timedelta(days=spec["days"] - 1)
    event = event_services.event_create(
        by=runner, host=host, kind=EventKind.WORKSHOP, title=spec["title"], description=spec["description"],
        agenda=spec["agenda"], country=host.country, venue=spec["venue"], city=spec["city"], online=False,
        online_link="", time_zone=spec["time_zone"], starts_on=starts_on, ends_on=ends_on, capacity=spec["capacity"],
        languages=spec["languages"], interpretation=spec["interpretation"],
        registration_closes_on=starts_on - datetime.timedelta(days=7), certificate_min_attendance=75,
        follow_up_after_days=90)
    for day, start, end, title, room, speakers in spec["sessions"]:
        event_services.session_add(by=runner, event=event, title=title, day=starts_on + datetime.timedelta(days=day),
                                   start_time=_time(start), end_time=_time(end), room=room, speakers=speakers)
    for question, options, correct in spec["items"]:
        evaluation.test_item_add(by=runner, event=event, question=question, options=options, correct=correct)
    return event_services.event_set_status(by=runner, event=event, status=EventStatus.OPEN)


def _register_past(event, spec, runner):
    """The participants of a workshop held years ago, through the models (registration closed
    long before today, so the registration services refuse it): members of the network with their
    accounts, outside professionals through the invitation their network sent them (only a hash
    of the personal link kept, as the services leave it), one cancelled place."""
    invitation = Invitation.objects.create(
        event=event, label="Partner networks of the STEP4GBV countries", token_hash=tokens.new_token()[1],
        expires_on=event.registration_closes_on, created_by=runner, max_uses=30)
    rows = []
    for slug, role in spec["members"]:
        user = _user(slug, role)
        organisation = _org(slug)
        rows.append(Registration(event=event, user=user, full_name=user.get_full_name(), email=user.email,
                                 email_index=tokens.email_index(user.email), status=RegistrationStatus.REGISTERED,
                                 **_member_profile(user, organisation, role)))
    for name, email, organisation_name, kind, country, profession, sex, language in spec["outsiders"]:
        rows.append(Registration(event=event, invitation=invitation, full_name=name, email=email,
                                 email_index=tokens.email_index(email), organisation_name=organisation_name,
                                 organisation_kind=kind, country=country, profession=profession, sex=sex,
                                 language=language, status=RegistrationStatus.REGISTERED,
                                 access_token_hash=tokens.new_token()[1]))
    for row in rows:
        row.save()
    Invitation.objects.filter(pk=invitation.pk).update(uses=len(spec["outsiders"]))
    # Registered over the five weeks before registration closed; the last outsider cancelled.
    first = _at(event.starts_on - datetime.timedelta(days=45), 9, zone=event.time_zone)
    step = datetime.timedelta(days=38) / max(len(rows), 1)
    for index, row in enumerate(rows):
        Registration.objects.filter(pk=row.pk).update(registered_at=first + step * index)
    cancelled = rows[-1]
    Registration.objects.filter(pk=cancelled.pk).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=_at(event.starts_on - datetime.timedelta(days=3), 12,
                                                              zone=event.time_zone))
    return [row for row in rows if row.pk != cancelled.pk]


ATTENDANCE_PATTERNS = ["present"] * 88 + ["late"] * 6 + ["excused"] * 4 + ["absent"] * 2


def _attendance(event, sessions, registrations, runner, rng) -> dict:
    """Mostly present, some late, excused or absent; one participant leaves after the first day
    (no certificate), one is excused for a whole day. Recorded through the service, session by
    session, then dated when it was taken."""
    from rete.learning.services import registrations as registration_services

    first_day = sessions[0].starts_at.astimezone(calendar.zone(event.time_zone)).date()
    statuses = {}
    left, excused_day = registrations[-2], registrations[8]
    for registration in registrations:
        row = []
        for session in sessions:
            day = session.starts_at.astimezone(calendar.zone(event.time_zone)).date()
            if registration is left and day != first_day:
                status = "absent"
            elif registration is excused_day and day == first_day:
                status = "excused"
            else:
                status = rng.choice(ATTENDANCE_PATTERNS)
            row.append(status)
        statuses[registration.pk] = row
    for index, session in enumerate(sessions):
        registration_services.attendance_record(by=runner, session=session,
                                                rows={pk: row[index] for pk, row in statuses.items()})
        SessionAttendance.objects.filter(session=session).update(recorded_at=session.ends_at + datetime.timedelta(minutes=10))
    return statuses


def _answers(items, knowledge, rng) -> dict:
    answers = {}
    for item in items:
        if rng.random() < knowledge:
            answers[str(item.pk)] = item.correct
        else:
            answers[str(item.pk)] = rng.choice([i for i in range(len(item.options)) if i != item.correct])
    return answers


def _satisfaction_answers(event, rng) -> dict:
    from rete.learning import evaluation

    answers = {}
    for item in evaluation.items_for(evaluation.SATISFACTION_ITEMS, interpretation=bool(event.interpretation)):
        answers[item.key] = rng.choice([3, 4, 4, 4, 5, 5, 5, 5, 5] if item.key != "organisation" else [3, 4, 4, 5, 5])
    return answers


def _follow_up_answers(rng) -> dict:
    return {"used": rng.choice(["sometimes", "often", "often", "very_often"]),
            "changed_work": rng.choice(["yes", "yes", "no", "not_applicable"]),
            "shared": rng.choice(["yes", "yes", "yes", "no"]),
            "organisation_changed": rng.choice(["yes", "no", "dont_know", "no"])}


def _evaluation(event, sessions, registrations, statuses, rng):
    """The tests before and after, the satisfaction questionnaire and the follow-up, each answered
    through the services at the time it was answered (`now`), then dated then."""
    from rete.learning.selectors import evaluation as evaluation_selectors
    from rete.learning.services import evaluation

    items = evaluation_selectors.test_items(event=event)
    pre_at = sessions[0].starts_at - datetime.timedelta(hours=20)
    post_at = sessions[-1].starts_at + datetime.timedelta(minutes=40)
    satisfaction_at = sessions[-1].ends_at + datetime.timedelta(minutes=5)
    for registration in registrations:
        row = statuses[registration.pk]
        by = registration.user
        before = rng.uniform(0.3, 0.65)
        after = min(0.97, before + rng.uniform(0.15, 0.45))
        if row[0] in ("present", "late") and rng.random() < 0.95:
            attempt = evaluation.test_submit(registration=registration, phase=TestPhase.PRE, by=by, now=pre_at,
                                             answers=_answers(items, before, rng))
            TestAttempt.objects.filter(pk=attempt.pk).update(submitted_at=pre_at)
        if row[-1] in ("present", "late"):
            attempt = evaluation.test_submit(registration=registration, phase=TestPhase.POST, by=by, now=post_at,
                                             answers=_answers(items, after, rng))
            TestAttempt.objects.filter(pk=attempt.pk).update(submitted_at=post_at)
            if rng.random() < 0.85:
                comment = demo_texts.SATISFACTION_COMMENTS.get(registration.language, "") if rng.random() < 0.3 else ""
                response = evaluation.satisfaction_submit(registration=registration, by=by, now=satisfaction_at,
                                                          answers=_satisfaction_answers(event, rng), comment=comment)
                SatisfactionResponse.objects.filter(pk=response.pk).update(submitted_at=satisfaction_at)


def _follow_up(event, registrations, rng):
    """The follow-up questionnaire goes out when it is due (the tick, run at that time); about
    half answer within days; one reminder two weeks later to the others, and a few more answer
    after it."""
    from rete.learning.services import evaluation

    due = _at(event.ends_on + datetime.timedelta(days=event.follow_up_after_days), 8, zone=event.time_zone)
    reminded = due + datetime.timedelta(days=15)
    evaluation.follow_up_tick(now=due)
    early, late = [], []
    for registration in registrations:
        roll = rng.random()
        if roll < 0.5:
            early.append((registration, due + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 9))))
        elif roll < 0.65:
            late.append((registration, reminded + datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(1, 9))))

    def answer(registration, when):
        examples = demo_texts.FOLLOW_UP_EXAMPLES.get(registration.language, "") if rng.random() < 0.5 else ""
        response = evaluation.follow_up_submit(registration=registration, by=registration.user,
                                               answers=_follow_up_answers(rng), examples=examples)
        FollowUpResponse.objects.filter(pk=response.pk).update(submitted_at=when)

    for registration, when in early:
        answer(registration, when)
    evaluation.follow_up_tick(now=reminded)
    for registration, when in late:
        answer(registration, when)


def _workshop(spec):
    from rete.learning.services import certificates
    from rete.learning.services import events as event_services

    host = _org(spec["host"])
    runner = _user(spec["runner"], Role.TRAINER)
    event = _create_event(spec, runner, host)
    registrations = _register_past(event, spec, runner)
    event = event_services.event_set_status(by=runner, event=event, status=EventStatus.HELD)
    sessions = list(event.sessions.order_by("starts_at", "pk"))
    rng = random.Random(spec["key"])
    statuses = _attendance(event, sessions, registrations, runner, rng)
    _evaluation(event, sessions, registrations, statuses, rng)
    _follow_up(event, registrations, rng)
    issued = certificates.certificates_issue(by=runner, event=event)
    Registration.objects.filter(event=event).exclude(certificate_code=None).update(
        certificate_issued_at=_at(event.ends_on + datetime.timedelta(days=4), 11, zone=event.time_zone))
    TrainingEvent.objects.filter(pk=event.pk).update(
        created_at=_at(event.starts_on - datetime.timedelta(days=90), 10, zone=event.time_zone))
    return event, issued


# ---- the webinar open for registration, and a training in draft ---------------------------------

WEBINAR = {
    "title": "Webinar: the safety luggage in practice – lessons from Rome and Burgas",
    "description": (
        "Salvamamme and Demetra present the safety-luggage emergency kit and what Demetra's pilot in Burgas "
        "measured among professionals and clients. For caseworkers, shelter staff and social workers who are "
        "thinking of adopting it. The link to join is sent to registered participants."),
    "agenda": "Presentation of the practice; results of the pilot; questions and answers.",
    "sessions": [
        ("10:00", "11:15", "The safety luggage: how it works in Rome", "Alessia Conti (Salvamamme)"),
        ("11:30", "12:30", "The pilot in Burgas: adaptation and results; questions",
         "Desislava Ivanova (Demetra), Despina Loizou (Enoros)"),
    ],
    "items": [
        ("When is the safety luggage handed over?",
         ["By post, to the woman's home", "Within a meeting with the caseworker, with a safety plan",
          "Only at the police station", "When the court decides"], 1),
        ("Where may the bag be kept?",
         ["Only at the woman's home", "At the association, with someone she trusts or at home if it is safe",
          "At the police station", "Nowhere: it is used at once"], 1),
        ("Which measure did the Burgas pilot take among clients?",
         ["Their income", "Their preparedness to leave in an emergency", "Their number of children",
          "Their age"], 1),
        ("What does Hake's normalised gain measure?",
         ["The share of what could still be learned that was learned", "The number of questions",
          "The satisfaction of participants", "The attendance"], 0),
    ],
    "members": [("aphvf", Role.CASEWORKER), ("diaconia", Role.CASEWORKER), ("salvamamme", Role.SUPERVISOR),
                ("cy-police", Role.POLICE_OFFICER)],
    "outsiders": [
        {"full_name": "Sofia Marchi", "email": "s.marchi@cav-latina.example",
         "organisation_name": "Anti-violence centre – Latina (demo)", "organisation_kind": "victim_support",
         "country": "IT", "profession": "social_worker", "sex": "female", "language": "it"},
        {"full_name": "Αναστασία Κλεάνθους", "email": "a.kleanthous@shelter-paphos.example",
         "organisation_name": "Women's shelter – Paphos (demo)", "organisation_kind": "shelter", "country": "CY",
         "profession": "social_worker", "sex": "female", "language": "el"},
        {"full_name": "Petra Vacková", "email": "p.vackova@ic-brno.example",
         "organisation_name": "Intervention centre – Brno (demo)", "organisation_kind": "victim_support",
         "country": "CZ", "profession": "psychologist", "sex": "female", "language": "cs"},
    ],
}


def _next_weekday(day, weekday=2):
    """The first such weekday from `day`, outside the winter holidays (20 December to 7 January)."""
    found = day + datetime.timedelta(days=(weekday - day.weekday()) % 7)
    if (found.month == 12 and found.day >= 20) or (found.month == 1 and found.day <= 7):
        return _next_weekday(datetime.date(found.year + (1 if found.month == 12 else 0), 1, 8), weekday)
    return found


def _webinar(today):
    from rete.learning.services import evaluation
    from rete.learning.services import events as event_services
    from rete.learning.services import registrations as registration_services

    host = _org("enoros")
    runner = _user("enoros", Role.TRAINER)
    day = _next_weekday(today + datetime.timedelta(days=30))
    event = event_services.event_create(
        by=runner, host=host, kind=EventKind.WEBINAR, title=WEBINAR["title"], description=WEBINAR["description"],
        agenda=WEBINAR["agenda"], country="CY", venue="", city="", online=True,
        online_link="https://meet.example.org/rete-demo-safety-luggage", time_zone="Asia/Nicosia", starts_on=day,
        ends_on=day, capacity=60, languages=["en"], interpretation="",
        registration_closes_on=day - datetime.timedelta(days=2), certificate_min_attendance=100,
        follow_up_after_days=90)
    for start, end, title, speakers in WEBINAR["sessions"]:
        event_services.session_add(by=runner, event=event, title=title, day=day, start_time=_time(start),
                                   end_time=_time(end), room="", speakers=speakers)
    for question, options, correct in WEBINAR["items"]:
        evaluation.test_item_add(by=runner, event=event, question=question, options=options, correct=correct)
    event = event_services.event_change_status(by=runner, event=event, status=EventStatus.OPEN)
    invitation, _token = event_services.invitation_create(
        by=runner, event=event, label="Services of the partner networks in the four countries",
        expires_on=event.registration_closes_on, max_uses=40)
    # The demo's link carries a known token (see DEMO_INVITATION_TOKEN).
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=tokens.token_hash(DEMO_INVITATION_TOKEN))
    rng = random.Random("webinar")
    registered = []
    for slug, role in WEBINAR["members"]:
        user = _user(slug, role)
        registered.append(registration_services.register_member(
            by=user, event=event, profile=_member_profile(user, _org(slug), role)))
    for profile in WEBINAR["outsiders"]:
        registered.append(registration_services.register_outside(invitation_token=DEMO_INVITATION_TOKEN,
                                                                  profile=profile).registration)
    items = list(event.test_items.order_by("order", "pk"))
    for registration in registered[:2]:
        evaluation.test_submit(registration=registration, phase=TestPhase.PRE, by=registration.user,
                               answers=_answers(items, 0.5, rng))
    return event


DRAFT_TRAINING = {
    "title": "Обучение за нови служители: структурираният модел за терапевтични програми",
    "description": (
        "Двудневно въвеждащо обучение за новите консултанти на Деметра и на партньорските служби в Бургас: "
        "модулите „Оценка“, „Подкрепа“ и „Защита“, работа по случаи и супервизия."),
    "agenda": "Ден 1: оценка и подкрепа. Ден 2: защита, работа по случаи, обратна връзка.",
    "sessions": [
        (0, "09:30", "13:00", "Модулите „Оценка“ и „Подкрепа“", "Tsvetana Yordanova (Demetra)"),
        (1, "09:30", "13:00", "Модулът „Защита“ и работа по случаи", "Desislava Ivanova (Demetra)"),
    ],
}


def _draft_training(today):
    from rete.learning.services import events as event_services

    host = _org("demetra")
    runner = _user("demetra", Role.TRAINER)
    day = _next_weekday(today + datetime.timedelta(days=75), weekday=1)
    event = event_services.event_create(
        by=runner, host=host, kind=EventKind.TRAINING, title=DRAFT_TRAINING["title"],
        description=DRAFT_TRAINING["description"], agenda=DRAFT_TRAINING["agenda"], country="BG",
        venue="Seminar room, Demetra Association (demo)", city="Burgas", online=False, online_link="",
        time_zone="Europe/Sofia", starts_on=day, ends_on=day + datetime.timedelta(days=1), capacity=16,
        languages=["bg"], interpretation="", registration_closes_on=day - datetime.timedelta(days=7),
        certificate_min_attendance=100, follow_up_after_days=120)
    for offset, start, end, title, speakers in DRAFT_TRAINING["sessions"]:
        event_services.session_add(by=runner, event=event, title=title, day=day + datetime.timedelta(days=offset),
                                   start_time=_time(start), end_time=_time(end), room="Seminar room",
                                   speakers=speakers)
    return event


def _events(today) -> dict:
    made = {}
    for spec in demo_texts.WORKSHOPS:
        made[spec["key"]] = _workshop(spec)[0]
    made["webinar"] = _webinar(today)
    made["draft"] = _draft_training(today)
    return made


def invitation_path(language="en") -> str:
    """The demo webinar's invitation link (a path), for the demo command to print."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    with translation.override(language):
        try:
            return reverse("learning_public:join", kwargs={"invitation_token": DEMO_INVITATION_TOKEN})
        except NoReverseMatch:
            return ""


def load_demo_learning(*, password=None) -> list[tuple]:
    """Idempotent: the demo trainers (their logins returned), then the practices and pilots unless
    Salvamamme already has a practice, then the events unless the Nicosia workshop exists."""
    from rete.core.demo import DEMO_PASSWORD
    from rete.network.demo import _quiet

    with _quiet(), transaction.atomic():
        logins = _trainers(password or DEMO_PASSWORD)
        today = timezone.localdate()
        loaded = {}
        if not Practice.objects.filter(organisation__slug="salvamamme").exists():
            practices = _practices(today)
            _pilots(practices, today)
            loaded["practices"] = len(practices)
        if not TrainingEvent.objects.filter(host__slug="aphvf", starts_on=datetime.date(2018, 3, 13)).exists():
            loaded["events"] = len(_events(today))
        if loaded:
            audit.record(action="demo.learning_loaded", detail=loaded)
    return logins
