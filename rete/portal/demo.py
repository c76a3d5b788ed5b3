"""The demo directory: the real national helplines (public facts, see
shared/reference/public-learning-protocols.md), 112 in each country, and the STEP4GBV partners with
invented hours and postal-code prefixes (no street addresses, no invented phone numbers)."""
from django.db import transaction

from rete.core.models import Organisation
from rete.portal.models import DirectoryEntry, EntryKind, Need

N = Need
EMERGENCY = ("European emergency number", "112", "Police, ambulance and fire brigade. Free, from any phone.")

ENTRIES = [
    # National helplines (real, public numbers).
    dict(name="1522 – Anti-violence and stalking helpline", kind=EntryKind.HELPLINE, country="IT", phone="1522",
         open_24_7=True, hours="Day and night, every day", languages=["it", "en", "fr", "es", "ar", "fa", "sq", "ru", "uk", "pt", "pl"],
         needs=[N.TALK, N.LEGAL, N.ACCOMMODATION, N.SOMEONE_I_KNOW], region="Italia",
         description="Free and anonymous, in many languages; also by chat."),
    dict(name="1440 – Helpline against domestic violence", kind=EntryKind.HELPLINE, country="CY", phone="1440",
         open_24_7=True, hours="Day and night, every day", languages=["el", "en"], org="aphvf",
         needs=[N.TALK, N.ACCOMMODATION, N.CHILDREN, N.SOMEONE_I_KNOW], region="Κύπρος Cyprus",
         description="Run by the Association for the Prevention and Handling of Violence in the Family; also by chat and text message."),
    dict(name="116 006 – Bílý kruh bezpečí helpline", kind=EntryKind.HELPLINE, country="CZ", phone="116 006",
         open_24_7=True, hours="Non-stop", languages=["cs"], region="Česko",
         needs=[N.TALK, N.LEGAL, N.SOMEONE_I_KNOW], description="Free helpline for victims of crime and domestic violence."),
    dict(name="0800 1 8676 – Animus Association helpline", kind=EntryKind.HELPLINE, country="BG", phone="0800 1 8676",
         languages=["bg"], region="България", needs=[N.TALK, N.SOMEONE_I_KNOW],
         description="Free national helpline for victims of domestic violence."),
    dict(name="0800 11 977 – Alliance for Protection against Gender-Based Violence", kind=EntryKind.HELPLINE, country="BG",
         phone="0800 11 977", open_24_7=True, hours="Day and night, every day", languages=["bg"], region="България",
         needs=[N.TALK, N.SOMEONE_I_KNOW], description="Helpline for women facing violence."),
    # The demo partners: invented hours and postal prefixes; contact through the helplines.
    dict(name="APHVF – Family violence support centre", kind=EntryKind.VICTIM_SUPPORT, country="CY", region="Nicosia",
         city="Nicosia", postal_codes="1010 1011 1015 1016 1020 1025", hours="Monday to Friday 8:00–20:00",
         languages=["el", "en"], accessibility="Step-free access", org="aphvf",
         needs=[N.TALK, N.ACCOMMODATION, N.LEGAL, N.CHILDREN, N.SOMEONE_I_KNOW],
         description="Counselling, support and information. Demo entry: call 1440 to be put in touch."),
    dict(name="Cyprus Police – Domestic violence office", kind=EntryKind.POLICE, country="CY", region="Nicosia",
         city="Nicosia", postal_codes="10 11 20", phone="112", open_24_7=True, hours="Day and night",
         languages=["el", "en"], org="cy-police", needs=[N.POLICE],
         description="Report violence, ask for protection. In an emergency call 112."),
    dict(name="Diaconia ECCB – Support for people facing violence", kind=EntryKind.VICTIM_SUPPORT, country="CZ",
         region="Praha", city="Praha", postal_codes="110 120 130 140 150 160 170 180 190", hours="Po–Pá 9:00–17:00",
         languages=["cs", "en"], accessibility="Step-free access", org="diaconia",
         needs=[N.TALK, N.ACCOMMODATION, N.SOMEONE_I_KNOW, N.CHILDREN],
         description="Counselling and safe accommodation. Demo entry: contact through 116 006."),
    dict(name="Salvamamme – Support for mothers and children", kind=EntryKind.SOCIAL_SERVICES, country="IT",
         region="Lazio", city="Roma", postal_codes="001", hours="Lunedì–venerdì 9:30–18:00",
         languages=["it", "en"], org="salvamamme", needs=[N.TALK, N.CHILDREN, N.LEGAL],
         description="Practical help, legal guidance and support for children. Demo entry: contact through 1522."),
    dict(name="CIPM – Programme for men who want to stop using violence", kind=EntryKind.PERPETRATOR_PROGRAMME,
         country="IT", region="Lombardia", city="Milano", postal_codes="201", hours="Martedì e giovedì 14:00–19:00",
         languages=["it"], org="cipm", needs=[N.MEN_STOP],
         description="Treatment for men who use violence, in touch with the services that support women."),
    dict(name="Demetra – Support centre", kind=EntryKind.VICTIM_SUPPORT, country="BG", region="Burgas", city="Burgas",
         postal_codes="8000 8001 8008", hours="Понеделник–петък 9:00–17:00", languages=["bg", "en"], org="demetra",
         needs=[N.TALK, N.LEGAL, N.CHILDREN, N.SOMEONE_I_KNOW],
         description="Counselling and legal information. Demo entry: contact through the national helplines."),
]


@transaction.atomic
def load_demo_directory() -> int:
    """Creates or refreshes the demo entries; returns how many there are."""
    organisations = {org.slug: org for org in Organisation.objects.all()}
    rows = [dict(row) for row in ENTRIES]
    for country in ("IT", "CY", "CZ", "BG"):
        rows.append(dict(name=f"{EMERGENCY[0]} {EMERGENCY[1]}", kind=EntryKind.OTHER, country=country,
                         phone=EMERGENCY[1], open_24_7=True, hours="Day and night", languages=["en"],
                         needs=[N.POLICE, N.MEDICAL], description=EMERGENCY[2]))
    for data in rows:
        slug = data.pop("org", None)
        data["organisation"] = organisations.get(slug)
        data["published"] = True
        entry = DirectoryEntry.objects.filter(name=data["name"], country=data["country"]).first() or DirectoryEntry()
        for field, value in data.items():
            setattr(entry, field, value)
        entry.full_clean()
        entry.save()
    return len(rows)
