"""Objects of mutual learning for the access-policy walk: each part appends a provider returning
the URL keyword values its URLs need (keyword names unique across the project)."""
from rete.cases.tests.policy_values import provider  # noqa: F401 (the providers below register with it)

# Each part appends its own providers below.


# Part "practice-records": THE practice (`practice_id`) of every part's rows: a DRAFT of the home
# organisation shared by its caseworker in English, with one file (`practice_attachment_id`);
# `practice_language` is a language to translate it into.
@provider
def _practice_records(network, case):
    from rete.learning.services import practice_records as record_services
    from rete.learning.tests.factories import make_practice

    practice = make_practice(network["caseworker"], network.home)
    attachment = record_services.practice_attachment_add(by=network["caseworker"], practice=practice,
                                                         filename="kit.pdf", data=b"%PDF-1.4 kit", title="The kit")
    return {"practice_id": practice.pk, "practice_language": "it", "practice_attachment_id": attachment.pk}


# Part "pilots": a practice of the home organisation taken to PUBLISHED step by step, and a
# RUNNING pilot of it by the home organisation (`pilot_id`) with one indicator measured before
# (`pilot_indicator_id`). `published_practice` is also used by the tests of this part.
def published_practice(network, organisation=None, *, by=None, public=False, texts=None):
    from django.db import transaction

    from rete.learning.models import PracticeStatus
    from rete.learning.services import practices as practice_services
    from rete.learning.tests.factories import make_practice

    organisation = organisation or network.home
    owner = by or (network["caseworker"] if organisation == network.home else network["other_caseworker"])
    coordinator = network["network_coordinator"] if organisation == network.home else network["other_network_coordinator"]
    practice = make_practice(owner, organisation, public=public, texts=texts)
    practice_services.practice_submit(by=owner, practice=practice)
    with transaction.atomic():
        row = practice_services.locked(coordinator, practice)
        for step in (PracticeStatus.IN_REVIEW, PracticeStatus.PROMISING, PracticeStatus.SELECTED,
                     PracticeStatus.PUBLISHED):
            row = practice_services.practice_transition(by=coordinator, row=row, to_status=step)
    return row


@provider
def _pilots(network, case):
    import datetime

    from rete.learning.services import pilots as pilot_services

    practice = published_practice(network)
    today = datetime.date.today()
    pilot = pilot_services.pilot_start(
        by=network["caseworker"], practice=practice, organisation=network.home, adaptation="Smaller bags.",
        starts_on=today, ends_on=today + datetime.timedelta(days=90),
        indicators=[{"name": "Clients who feel safer (mean, 1–5)", "measured_among": "clients", "unit": "score",
                     "higher_is_better": True, "pre_value": "2.8", "pre_n": 24}])
    pilot = pilot_services.pilot_set_running(by=network["caseworker"], pilot=pilot)
    return {"pilot_id": pilot.pk, "pilot_indicator_id": pilot.indicators.get().pk}


# Part "events": THE event (`training_event_id`) of every part's rows: OPEN for registration,
# hosted by the home organisation and made by its trainer, with two sessions (the first is
# `event_session_id`), one material (`event_material_id`) and one invitation link
# (`invitation_id`). Nobody is registered.
def walked_event(network):
    import datetime

    from rete.learning.models import EventStatus
    from rete.learning.services import events as event_services
    from rete.learning.tests.factories import make_event

    trainer = network["trainer"]
    event = make_event(trainer, network.home, title="Risk assessment across agencies")
    first = event_services.session_add(by=trainer, event=event, title="Opening", day=event.starts_on,
                                       start_time=datetime.time(9, 30), end_time=datetime.time(12, 30),
                                       room="Room A", speakers="Anna Rossi; Eleni Georgiou")
    event_services.session_add(by=trainer, event=event, title="Case studies", day=event.ends_on,
                               start_time=datetime.time(14, 0), end_time=datetime.time(17, 0))
    material = event_services.material_add(by=trainer, event=event, title="Slides", filename="slides.pdf",
                                           data=b"%PDF-1.4 slides")
    invitation, _token = event_services.invitation_create(by=trainer, event=event, label="Regional police academy",
                                                          expires_on=event.starts_on)
    event = event_services.event_change_status(by=trainer, event=event, status=EventStatus.OPEN)
    return event, first, material, invitation


@provider
def _events(network, case):
    event, session, material, invitation = walked_event(network)
    return {"training_event_id": event.pk, "event_session_id": session.pk, "event_material_id": material.pk,
            "invitation_id": invitation.pk}


# Part "registration": on THE walked event (OPEN, hosted by the home organisation: the lowest open
# event of the home organisation, made by part "events"' provider above; one is made here only if
# there is none), a registration of the home caseworker (`registration_id`), the first of its
# sessions (`attendance_session_id`), a new invitation link (`invitation_token`, its raw token) and
# an outside professional registered through it (`participant_token`, her personal link's token).
@provider
def _registration(network, case):
    import datetime

    from rete.learning.models import EventStatus, Registration, TrainingEvent
    from rete.learning.services import events as event_services
    from rete.learning.services import registrations as registration_services

    event = TrainingEvent.objects.filter(host=network.home, status=EventStatus.OPEN).order_by("pk").first()
    if event is None:
        event = walked_event(network)[0]
    session = event.sessions.order_by("starts_at", "pk").first()
    if session is None:
        session = event_services.session_add(by=network["trainer"], event=event, title="Opening", day=event.starts_on,
                                             start_time=datetime.time(9, 0), end_time=datetime.time(12, 0))
    caseworker = network["caseworker"]
    registration = Registration.objects.filter(event=event, user=caseworker).first()
    if registration is None:
        registration = registration_services.register_member(by=caseworker, event=event, profile={
            "organisation_name": network.home.name, "organisation_kind": "victim_support", "country": "IT",
            "profession": "social_worker", "sex": "female", "language": "en"})
    _invitation, invitation_token = event_services.invitation_create(
        by=network["trainer"], event=event, label="Local health authority", expires_on=event.starts_on)
    outside = registration_services.register_outside(invitation_token=invitation_token, profile={
        "full_name": "Olga Outside", "email": "olga@outside.example", "organisation_name": "District hospital",
        "organisation_kind": "health", "country": "IT", "profession": "health", "sex": "female", "language": "it"})
    return {"registration_id": registration.pk, "attendance_session_id": session.pk,
            "invitation_token": invitation_token, "participant_token": outside.token}


# Part "evaluation": a question of THE walked event's knowledge test (`test_item_id`; the lowest
# open event of the home organisation, made by part "events"' provider above) and the test phase
# walked (`test_phase`: before the training). `registration_id` and `participant_token` come from
# part "registration".
@provider
def _evaluation(network, case):
    from rete.learning.models import EventStatus, TrainingEvent
    from rete.learning.services import evaluation as evaluation_services

    event = TrainingEvent.objects.filter(host=network.home, status=EventStatus.OPEN).order_by("pk").first()
    if event is None:
        event = walked_event(network)[0]
    item = evaluation_services.test_item_add(by=network["trainer"], event=event, question="Which factor raises the risk most?",
                                             options=["Separation", "Weather"], correct=0)
    return {"test_item_id": item.pk, "test_phase": "pre"}


# Part "practice-review": a practice of the home organisation whose owner chose the public portal,
# taken to PUBLISHED through the real review by the OTHER organisation's network coordinator (check,
# review, conclusion, selection, publication) and trainer (review): `public_practice_id`. And an
# inactive copy of the grid in use, on which nothing was checked: `grid_id`.
@provider
def _practice_review(network, case):
    from rete.learning.models import CriterionKind
    from rete.learning.selectors import review as review_selectors
    from rete.learning.services import practices as practice_services
    from rete.learning.services import review as review_services
    from rete.learning.tests.factories import make_practice

    owner, coordinator = network["caseworker"], network["other_network_coordinator"]
    grid = review_selectors.active_grid()
    practice = make_practice(owner, network.home, public=True)
    practice_services.practice_submit(by=owner, practice=practice)
    review_services.practice_check(by=coordinator, practice=practice,
                                   answers={c.key: True for c in grid.criteria.all() if c.kind == CriterionKind.BASIC})
    scores = {c.key: c.max_score for c in grid.criteria.all() if c.kind == CriterionKind.SCORED}
    for reviewer in (network["other_trainer"], coordinator):
        review_services.practice_review_submit(by=reviewer, practice=practice, scores=scores)
    review_services.practice_conclude(by=coordinator, practice=practice, decision="promising")
    review_services.practice_select(by=coordinator, practice=practice, reason="Milan workshop")
    review_services.practice_publish(by=coordinator, practice=practice)
    copy = review_services.grid_copy(by=coordinator, grid=grid)
    return {"public_practice_id": practice.pk, "grid_id": copy.pk}


# Part "certificates": certificates on THE walked event (the lowest open event of the home
# organisation, made by part "events"' provider above). A certificate is issued only once an event
# is held, and the walked event is open, so the codes are set here directly (as the services would
# leave them) on every registration the walk holds on it: the home caseworker's (part
# "registration"'s `registration_id`, made here the same way if there is none yet:
# `certificate_registration_id`, and its code `certificate_code`) and the outside professional's
# (reached through part "registration"'s `participant_token`).
@provider
def _certificates(network, case):
    from django.utils import timezone

    from rete.learning import certificates
    from rete.learning.models import EventStatus, Registration, TrainingEvent
    from rete.learning.services import registrations as registration_services

    event = TrainingEvent.objects.filter(host=network.home, status=EventStatus.OPEN).order_by("pk").first()
    if event is None:
        event = walked_event(network)[0]
    caseworker = network["caseworker"]
    registration = Registration.objects.filter(event=event, user=caseworker).first()
    if registration is None:
        registration = registration_services.register_member(by=caseworker, event=event, profile={
            "organisation_name": network.home.name, "organisation_kind": "victim_support", "country": "IT",
            "profession": "social_worker", "sex": "female", "language": "en"})
    for row in Registration.objects.filter(event=event, certificate_code=None):
        Registration.objects.filter(pk=row.pk).update(certificate_code=certificates.new_code(),
                                                      certificate_issued_at=timezone.now())
    registration.refresh_from_db()
    return {"certificate_registration_id": registration.pk, "certificate_code": registration.certificate_code}
