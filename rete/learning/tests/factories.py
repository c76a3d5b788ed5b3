"""Practices and events for tests, through the services (as a person would make them)."""
import datetime

from rete.learning.models import EventKind, Facet, Pillar, TargetGroup, ViolenceForm
from rete.learning.services import events as event_services
from rete.learning.services import practices as practice_services

PRACTICE_TEXTS = {
    "title": "Safety luggage for women leaving home",
    "summary": "An emergency kit handed over at the first meeting.",
    "description": "Caseworkers prepare a bag with documents copies, phone charger and essentials.",
    "how_it_works": "1. Assess. 2. Prepare the bag. 3. Agree where it is kept.",
    "evidence": "Pre and post questionnaires with 40 clients.",
    "resources": "Two caseworkers, a small budget for the kits.",
    "sustainability": "Funded by donations.",
    "transferability": "Any support centre can adopt it.",
}


def make_practice(by, organisation, *, language="en", texts=None, pillar=Pillar.PROTECTION, country=None, public=False,
                  target_groups=(TargetGroup.SURVIVORS,), violence_forms=(ViolenceForm.INTIMATE_PARTNER,)):
    return practice_services.practice_create(
        by=by, organisation=organisation, source_language=language, country=country or organisation.country,
        pillar=pillar, texts_by_field=dict(PRACTICE_TEXTS if texts is None else texts),
        facets={Facet.TARGET_GROUP: list(target_groups), Facet.VIOLENCE_FORM: list(violence_forms)},
        contact="Anna Example, anna@example.org", public=public)


def make_event(by, host, *, title="Transnational workshop", starts_on=None, days=2, capacity=30, kind=EventKind.SEMINAR,
               status=None, **extra):
    starts_on = starts_on or (datetime.date.today() + datetime.timedelta(days=30))
    values = dict(kind=kind, title=title, description="Two days of exchange.", agenda="Day 1 …", country=host.country,
                  venue="Conference centre", city="Milan", online=False, online_link="", time_zone="Europe/Rome",
                  starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=days - 1), capacity=capacity,
                  languages=["en", "it"], interpretation="EN ↔ IT", registration_closes_on=None,
                  certificate_min_attendance=75, follow_up_after_days=90)
    values.update(extra)
    event = event_services.event_create(by=by, host=host, **values)
    if status:
        event = event_services.event_set_status(by=by, event=event, status=status)
    return event


def make_registration(event, *, user=None, full_name="Ada Participant", email=None, status="registered",
                      country="IT", profession="social_worker", organisation_kind="victim_support", sex="female",
                      language="en", organisation_name="Example Centre"):
    """A registration as the registration services leave it (for parts that need participants)."""
    from rete.learning.models import Registration
    from rete.learning.tokens import email_index

    email = email or (user.email if user else f"{full_name.split()[0].lower()}@outside.example")
    return Registration.objects.create(
        event=event, user=user, full_name=full_name if not user else (user.get_full_name() or full_name), email=email,
        email_index=email_index(email), organisation_name=organisation_name,
        organisation_kind=organisation_kind, country=country, profession=profession, sex=sex, language=language,
        status=status)
