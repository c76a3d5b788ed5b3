"""Invented cases for the demo network's victim-support partners. Every name is made up."""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from rete.cases import services
from rete.cases.models import Case, ContactRoute, SafeToContact
from rete.core.models import Membership, Organisation, Role

NAMES = {
    "CY": (["Andria", "Christina", "Eleni", "Georgia", "Katerina", "Maria", "Nefeli", "Panayiota", "Sotiroula", "Xenia"],
           ["Antoniou", "Charalambous", "Christou", "Evangelou", "Hadjigeorgiou", "Ioannidou", "Kyprianou", "Nikolaidou", "Panayiotou", "Stylianou"]),
    "IT": (["Alessia", "Beatrice", "Chiara", "Daniela", "Elisa", "Federica", "Giorgia", "Ilaria", "Marta", "Sara"],
           ["Bianchi", "Colombo", "Conti", "Esposito", "Ferrari", "Galli", "Greco", "Marino", "Ricci", "Romano"]),
    "CZ": (["Adéla", "Barbora", "Eliška", "Hana", "Kateřina", "Klára", "Markéta", "Monika", "Veronika", "Zuzana"],
           ["Benešová", "Černá", "Doležalová", "Fialová", "Kolářová", "Marková", "Němcová", "Pokorná", "Svobodová", "Veselá"]),
    "BG": (["Aneliya", "Boryana", "Daniela", "Gergana", "Iva", "Milena", "Nadezhda", "Radostina", "Teodora", "Vesela"],
           ["Angelova", "Borisova", "Georgieva", "Hristova", "Ivanova", "Kostadinova", "Nikolova", "Petkova", "Stoyanova", "Yordanova"]),
}
LANGUAGE = {"CY": "el", "IT": "it", "CZ": "cs", "BG": "bg"}
CASES_PER_ORGANISATION = 12


@transaction.atomic
def load_demo_cases(*, seed=2018):
    rng = random.Random(seed)
    created = 0
    for organisation in Organisation.objects.filter(slug__in=["aphvf", "diaconia", "salvamamme", "demetra", "cy-police"]).order_by("slug"):
        if Case.objects.filter(organisation=organisation).exists():
            continue
        workers = [m.user for m in Membership.objects.filter(organisation=organisation, role__in=[Role.CASEWORKER, Role.POLICE_OFFICER], ended_at__isnull=True).select_related("user")]
        if not workers:
            continue
        given, family = NAMES[organisation.country]
        for i in range(CASES_PER_ORGANISATION):
            anonymous = i % 5 == 4
            safe = rng.choice([SafeToContact.YES, SafeToContact.YES, SafeToContact.NO, SafeToContact.UNKNOWN])
            person = {
                "is_anonymous": anonymous,
                "given_name": "" if anonymous else rng.choice(given),
                "family_name": "" if anonymous else rng.choice(family),
                "birth_year": None if anonymous else rng.randint(1960, 2005),
                "phone": "" if anonymous else f"+00 555 {rng.randint(100000, 999999)}",  # not a real numbering plan
                "language": LANGUAGE[organisation.country] if i % 7 else "en",
                "interpreter_needed": i % 7 == 0,
                "safe_to_contact": safe,
                "safe_phone": f"+00 555 {rng.randint(100000, 999999)}" if safe == SafeToContact.YES else "",
                "safe_times": "09:00–12:00" if safe == SafeToContact.YES else "",
                "code_word": rng.choice(["", "", "girasole", "lavender", "aurora"]),
            }
            services.intake_open_case(
                by=rng.choice(workers), organisation=organisation,
                contact_route=rng.choice(ContactRoute.values),
                first_contact_at=timezone.now() - timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 23)),
                person=person,
            )
            created += 1
    return created
