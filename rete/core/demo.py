"""The demo network: the seven STEP4GBV partners with invented staff in every role.

Every person here is fictional. The organisations are the real partners of the project the
platform implements; their staff, cases and data in Rete's demo are made up.
"""
from django.db import transaction

from rete.core import audit
from rete.core.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "rete-demo-2026"

ORGANISATIONS = [
    {
        "slug": "aphvf", "short_name": "APHVF", "country": "CY", "region": "Nicosia", "city": "Nicosia",
        "name": "Association for the Prevention and Handling of Violence in the Family",
        "kinds": ["victim_support", "helpline"], "languages": ["el", "en"],
    },
    {
        "slug": "enoros", "short_name": "Enoros", "country": "CY", "region": "Nicosia", "city": "Nicosia",
        "name": "Enoros Consulting Ltd", "kinds": ["coordination"], "languages": ["el", "en"],
    },
    {
        "slug": "cipm", "short_name": "CIPM", "country": "IT", "region": "Lombardia", "city": "Milano",
        "name": "Centro Italiano per la Promozione della Mediazione", "kinds": ["perpetrator_programme"],
        "languages": ["it"],
    },
    {
        "slug": "cy-police", "short_name": "Cyprus Police", "country": "CY", "region": "Nicosia", "city": "Nicosia",
        "name": "Cyprus Police", "kinds": ["police"], "languages": ["el", "en"],
    },
    {
        "slug": "diaconia", "short_name": "Diaconia ECCB", "country": "CZ", "region": "Praha", "city": "Praha",
        "name": "Diaconia of the ECCB – Centre of Christian Help in Prague",
        "kinds": ["victim_support", "social_service"], "languages": ["cs"],
    },
    {
        "slug": "salvamamme", "short_name": "Salvamamme", "country": "IT", "region": "Lazio", "city": "Roma",
        "name": "I Diritti Civili nel 2000 – Salvamamme", "kinds": ["victim_support"], "languages": ["it"],
    },
    {
        "slug": "demetra", "short_name": "Demetra", "country": "BG", "region": "Burgas", "city": "Burgas",
        "name": "Demetra Association", "kinds": ["victim_support", "perpetrator_programme"], "languages": ["bg"],
    },
]

# (organisation, role, first name, last name, language, time zone). Names are invented.
STAFF = [
    ("aphvf", Role.CASEWORKER, "Eleni", "Charalambous", "el", "Asia/Nicosia"),
    ("aphvf", Role.SUPERVISOR, "Andri", "Georgiou", "el", "Asia/Nicosia"),
    ("aphvf", Role.ORG_ADMIN, "Marios", "Kyriakou", "el", "Asia/Nicosia"),
    ("aphvf", Role.DPO, "Stella", "Pavlou", "en", "Asia/Nicosia"),
    ("aphvf", Role.CONTENT_EDITOR, "Chloe", "Ioannou", "el", "Asia/Nicosia"),
    ("enoros", Role.NETWORK_COORDINATOR, "Nikos", "Antoniou", "en", "Asia/Nicosia"),
    ("enoros", Role.TRAINER, "Despina", "Loizou", "el", "Asia/Nicosia"),
    ("enoros", Role.ORG_ADMIN, "Petros", "Savva", "en", "Asia/Nicosia"),
    ("enoros", Role.DPO, "Maria", "Christodoulou", "en", "Asia/Nicosia"),
    ("cipm", Role.FACILITATOR, "Luca", "Bernasconi", "it", "Europe/Rome"),
    ("cipm", Role.PARTNER_SUPPORT_WORKER, "Giulia", "Ferraresi", "it", "Europe/Rome"),
    ("cipm", Role.PROGRAMME_COORDINATOR, "Paolo", "Invernizzi", "it", "Europe/Rome"),
    ("cipm", Role.TRAINER, "Silvia", "Colombo", "it", "Europe/Rome"),
    ("cipm", Role.ORG_ADMIN, "Andrea", "Brambilla", "it", "Europe/Rome"),
    ("cipm", Role.DPO, "Francesca", "Rota", "it", "Europe/Rome"),
    ("cipm", Role.NETWORK_COORDINATOR, "Elisa", "Mariani", "it", "Europe/Rome"),
    ("cy-police", Role.POLICE_OFFICER, "Christos", "Nicolaou", "el", "Asia/Nicosia"),
    ("cy-police", Role.SUPERVISOR, "Georgia", "Demetriou", "el", "Asia/Nicosia"),
    ("cy-police", Role.ORG_ADMIN, "Andreas", "Constantinou", "el", "Asia/Nicosia"),
    ("cy-police", Role.DPO, "Sofia", "Michael", "en", "Asia/Nicosia"),
    ("diaconia", Role.CASEWORKER, "Tereza", "Novotná", "cs", "Europe/Prague"),
    ("diaconia", Role.SUPERVISOR, "Jana", "Dvořáková", "cs", "Europe/Prague"),
    ("diaconia", Role.ORG_ADMIN, "Martin", "Procházka", "cs", "Europe/Prague"),
    ("diaconia", Role.DPO, "Lucie", "Krejčí", "cs", "Europe/Prague"),
    ("diaconia", Role.CONTENT_EDITOR, "Petra", "Horáková", "cs", "Europe/Prague"),
    ("diaconia", Role.NETWORK_COORDINATOR, "Tomáš", "Veselý", "cs", "Europe/Prague"),
    ("salvamamme", Role.CASEWORKER, "Chiara", "Marchetti", "it", "Europe/Rome"),
    ("salvamamme", Role.SUPERVISOR, "Valentina", "De Santis", "it", "Europe/Rome"),
    ("salvamamme", Role.ORG_ADMIN, "Roberta", "Galli", "it", "Europe/Rome"),
    ("salvamamme", Role.DPO, "Marco", "Fabbri", "it", "Europe/Rome"),
    ("salvamamme", Role.CONTENT_EDITOR, "Federica", "Rinaldi", "it", "Europe/Rome"),
    ("demetra", Role.CASEWORKER, "Mariya", "Petrova", "bg", "Europe/Sofia"),
    ("demetra", Role.SUPERVISOR, "Desislava", "Ivanova", "bg", "Europe/Sofia"),
    ("demetra", Role.FACILITATOR, "Georgi", "Dimitrov", "bg", "Europe/Sofia"),
    ("demetra", Role.PARTNER_SUPPORT_WORKER, "Elena", "Todorova", "bg", "Europe/Sofia"),
    ("demetra", Role.PROGRAMME_COORDINATOR, "Nikolay", "Stoyanov", "bg", "Europe/Sofia"),
    ("demetra", Role.ORG_ADMIN, "Kalina", "Georgieva", "bg", "Europe/Sofia"),
    ("demetra", Role.DPO, "Ivan", "Kolev", "bg", "Europe/Sofia"),
    ("demetra", Role.CONTENT_EDITOR, "Radostina", "Angelova", "bg", "Europe/Sofia"),
    ("demetra", Role.NETWORK_COORDINATOR, "Stoyan", "Marinov", "bg", "Europe/Sofia"),
]


def demo_email(org_slug, role):
    return f"{role.replace('_', '-')}@{org_slug}.example"


@transaction.atomic
def load_demo_network(*, password=DEMO_PASSWORD):
    """Idempotent: running it twice leaves one copy of everything."""
    organisations = {}
    for data in ORGANISATIONS:
        values = {k: v for k, v in data.items() if k != "slug"}
        organisations[data["slug"]], _ = Organisation.objects.update_or_create(slug=data["slug"], defaults=values)
    logins = []
    for org_slug, role, first, last, language, tz in STAFF:
        email = demo_email(org_slug, role)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last, language=language, time_zone=tz)
        Membership.objects.get_or_create(user=user, organisation=organisations[org_slug], role=role, ended_at=None)
        logins.append((email, password, str(Role(role).label), organisations[org_slug].short_name))
    admin = User.objects.filter(email="platform-admin@rete.example").first()
    if admin is None:
        User.objects.create_superuser(email="platform-admin@rete.example", password=password, first_name="Platform", last_name="Administrator")
    logins.append(("platform-admin@rete.example", password, "Platform administrator (Django admin)", "—"))
    audit.record(action="demo.loaded", detail={"organisations": len(organisations), "staff": len(STAFF)})
    return logins
