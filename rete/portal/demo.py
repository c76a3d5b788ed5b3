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


# ---------------------------------------------------------------------------------------------
# Campaigns, social media posts and reach (part "campaigns-reach"). Everything here is invented:
# the campaigns, their posts and the counts.

def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, made with zlib and struct (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width  # filter byte "none", then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height, 9))
            + chunk(b"IEND", b""))


# (country, organisation of the editor who writes, author's role, approver's organisation and role,
# local language, national helpline, colour of the placeholder image)
DEMO_CAMPAIGN_TEAMS = [
    ("IT", "salvamamme", "content_editor", "cipm", "network_coordinator", "it", "1522", (91, 42, 134)),
    ("CY", "aphvf", "content_editor", "enoros", "network_coordinator", "el", "1440", (164, 22, 26)),
    ("CZ", "diaconia", "content_editor", "diaconia", "network_coordinator", "cs", "116 006", (30, 107, 52)),
    ("BG", "demetra", "content_editor", "demetra", "network_coordinator", "bg", "0800 1 8676", (31, 78, 121)),
]

DEMO_CAMPAIGN_NAMES = {
    "it": "16 giorni di attivismo contro la violenza di genere",
    "el": "16 ημέρες ακτιβισμού κατά της έμφυλης βίας",
    "cs": "16 dní aktivismu proti násilí na ženách",
    "bg": "16 дни активизъм срещу насилието, основано на пола",
}

# Short texts (every channel's limit holds with the link added). {line} is the helpline.
DEMO_POST_TEXTS = {
    "it": [
        "Il 25 novembre è la Giornata internazionale per l'eliminazione della violenza contro le donne. Non sei sola: chiama il {line}, gratuito, giorno e notte.",
        "La violenza non è solo fisica: controllo, minacce, umiliazioni. Se ti riconosci, parlane con qualcuno. {line}, anche in chat.",
        "Conosci qualcuna che ha bisogno di aiuto? Ascoltala senza giudicare e dalle il numero {line}.",
        "16 giorni di attivismo: ogni giorno un passo per uscire dalla violenza. Trova il servizio più vicino a te.",
    ],
    "el": [
        "Στις 25 Νοεμβρίου τιμούμε τη Διεθνή Ημέρα για την Εξάλειψη της Βίας κατά των Γυναικών. Δεν είσαι μόνη: κάλεσε το {line}.",
        "Η βία δεν είναι μόνο σωματική: έλεγχος, απειλές, ταπείνωση. Μίλησε με κάποιον. {line}, μέρα και νύχτα.",
        "Γνωρίζεις κάποια που χρειάζεται βοήθεια; Άκουσέ την χωρίς να την κρίνεις και δώσ' της το {line}.",
        "16 ημέρες ακτιβισμού: βρες την υπηρεσία υποστήριξης κοντά σου.",
    ],
    "cs": [
        "25. listopadu je Mezinárodní den za odstranění násilí na ženách. Nejste na to sama: volejte {line}, nonstop a zdarma.",
        "Násilí není jen fyzické: kontrola, výhrůžky, ponižování. Promluvte si s někým. Linka {line}.",
        "Znáte někoho, kdo potřebuje pomoc? Vyslechněte ji bez odsuzování a dejte jí číslo {line}.",
        "16 dní aktivismu: najděte pomoc ve svém okolí.",
    ],
    "bg": [
        "25 ноември е Международният ден за премахване на насилието над жените. Не си сама: обади се на {line}.",
        "Насилието не е само физическо: контрол, заплахи, унижение. Говори с някого. {line}.",
        "Познаваш жена, която има нужда от помощ? Изслушай я, без да я съдиш, и ѝ дай номера {line}.",
        "16 дни активизъм: намери услуга за подкрепа близо до теб.",
    ],
    "en": [
        "25 November is the International Day for the Elimination of Violence against Women. You are not alone: call {line}, free, day and night.",
        "Violence is not only physical: control, threats, humiliation. If this sounds familiar, talk to someone. {line}.",
        "Do you know someone who needs help? Listen without judging, and give her the number {line}.",
        "16 days of activism: find a support service near you.",
    ],
}

DEMO_POST_PLAN = [
    # (days from 25 November, hour, channel, language is local (True) or English, text index, image, status)
    (-7, 10, "facebook", True, 3, True, "published"),
    (-3, 12, "instagram", True, 1, True, "published"),
    (0, 9, "facebook", True, 0, True, "approved"),
    (0, 9, "x", False, 0, False, "approved"),
    (0, 11, "instagram", True, 0, True, "submitted"),
    (2, 18, "linkedin", False, 2, True, "returned"),
    (5, 17, "mastodon", True, 2, False, "draft"),
    (9, 12, "bluesky", False, 1, True, "draft"),
    (15, 10, "tiktok", True, 3, True, "draft"),
]


def _demo_anchor(today):
    """The 25 November nearest today when it is within two months, else a date a week ahead, so
    the demo campaigns always run around the present."""
    import datetime

    for year in (today.year - 1, today.year):
        anchor = datetime.date(year, 11, 25)
        if -60 <= (today - anchor).days <= 60:
            return anchor
    return today + datetime.timedelta(days=7)


def load_demo_campaigns() -> int:
    """One campaign per country around 25 November and the "16 days of activism", 9 posts each
    (local language and English, various channels and statuses, placeholder images with their
    descriptions), and 60 days of daily reach counters. Idempotent: an existing campaign (by its
    code) is left as it is, and existing counters keep their numbers. Returns the number of
    campaigns created. Needs the demo network (rete.core.demo)."""

    from django.utils import timezone

    from rete.core.demo import demo_email
    from rete.core.models import User

    today = timezone.localdate()
    anchor = _demo_anchor(today)
    created = 0
    for country, org_slug, author_role, approver_org, approver_role, local, line, colour in DEMO_CAMPAIGN_TEAMS:
        author = User.objects.filter(email=demo_email(org_slug, author_role)).first()
        approver = User.objects.filter(email=demo_email(approver_org, approver_role)).first()
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if author is None or approver is None or organisation is None:
            continue
        if _demo_campaign(country, organisation, author, approver, local, line, colour, anchor):
            created += 1
    _demo_reach(today)
    return created


@transaction.atomic
def _demo_campaign(country, organisation, author, approver, local, line, colour, anchor) -> bool:
    import datetime
    import zoneinfo

    from rete.portal.models import Campaign, InfoPage
    from rete.portal.services import campaigns as services

    slug = f"16days-{country.lower()}"
    if Campaign.objects.filter(slug=slug).exists():
        return False
    campaign = services.campaign_create(
        by=author, country=country, organisation_id=organisation.pk, name=DEMO_CAMPAIGN_NAMES[local], slug=slug,
        aim="Demo: make the national helpline and the local services known around 25 November, the International Day "
            "for the Elimination of Violence against Women, to women who may need them and to the people close to them.",
        starts_on=anchor - datetime.timedelta(days=14), ends_on=anchor + datetime.timedelta(days=15))
    page = InfoPage.objects.filter(country=country).order_by("position", "slug").first()
    zone = zoneinfo.ZoneInfo(author.time_zone or "Europe/Rome")
    image = services.Image(filename=f"16days-{country.lower()}.png", data=solid_png(240, 240, colour))
    for offset, hour, channel, is_local, text_index, with_image, status in DEMO_POST_PLAN:
        language = local if is_local else "en"
        when = datetime.datetime.combine(anchor + datetime.timedelta(days=offset), datetime.time(hour), tzinfo=zone)
        alt = {
            "it": f"Quadrato a tinta unita con il numero {line}: segnaposto per la grafica della campagna.",
            "el": f"Μονόχρωμο τετράγωνο με τον αριθμό {line}: προσωρινή εικόνα της καμπάνιας.",
            "cs": f"Jednobarevný čtverec s číslem {line}: zástupný obrázek kampaně.",
            "bg": f"Едноцветен квадрат с номера {line}: временно изображение на кампанията.",
        }.get(language, f"A plain square with the number {line}: placeholder for the campaign's visual.")
        post = services.post_create(
            by=author, campaign=campaign, channel=channel, language=language,
            text=DEMO_POST_TEXTS[language][text_index].format(line=line), link_page_id=page.pk if page else None,
            image=image if with_image else None, image_alt=alt if with_image else "", scheduled_for=when)
        if status == "draft":
            continue
        post = services.post_submit(by=author, post=post, version=post.version)
        if status == "returned":
            services.post_return(by=approver, post=post, version=post.version,
                                 comment="Demo: shorter please, and say that the line is free.")
        elif status in ("approved", "published"):
            post = services.post_approve(by=approver, post=post, version=post.version)
            if status == "published":
                services.post_mark_published(by=author, post=post, version=post.version)
    return True


@transaction.atomic
def _demo_reach(today, days=60) -> int:
    """Plausible daily counters for the last `days` days; the same numbers however often it runs
    (each is derived from its own day and key), and existing counters are left alone."""
    import datetime
    import random

    from rete.portal.models import Campaign, InfoPage, Material, PublicEvent, ReachCount, ReachKind

    rows = []
    portal_pages = {"portal:home": 60, "portal:directory": 25, "portal:self_check": 12, "portal:self_check_me": 8,
                    "portal:quick_exit_info": 3, "portal:browsing_safely": 4, "portal:safe_contact": 6}
    local_language = {"IT": "it", "CY": "el", "CZ": "cs", "BG": "bg"}
    info_pages = list(InfoPage.objects.all())
    campaigns = list(Campaign.objects.filter(slug__startswith="16days-"))
    materials = list(Material.objects.all())
    events = list(PublicEvent.objects.all())
    heard = ["friend", "search", "social", "leaflet", "professional", "other", "unanswered"]

    def n(seed, mean):
        return max(0, int(random.Random(seed).gauss(mean, mean / 3)))

    def add(day, kind, key, country, language, campaign_ref, value):
        if value > 0:
            rows.append(ReachCount(day=day, kind=kind, key=key, country=country, language=language,
                                   campaign_ref=campaign_ref, count=value))

    for offset in range(days):
        day = today - datetime.timedelta(days=offset)
        weekend = 0.7 if day.weekday() >= 5 else 1.0
        for key, mean in portal_pages.items():
            for language, share in (("it", 0.35), ("el", 0.15), ("cs", 0.2), ("bg", 0.15), ("en", 0.15)):
                add(day, ReachKind.PAGE_VIEW, key, "", language, 0, n(f"{key}{day}{language}", mean * share * weekend))
        for page in info_pages:
            key = f"portal:info_page/{page.country}/{page.slug}"
            for language in (local_language.get(page.country, "en"), "en"):
                share = 6 if language != "en" else 2
                add(day, ReachKind.PAGE_VIEW, key, page.country, language, 0, n(f"{key}{day}{language}", share * weekend))
        for campaign in campaigns:
            if not (campaign.starts_on <= day <= (campaign.ends_on or today)):
                continue
            boost = 3 if abs((day - (campaign.starts_on + datetime.timedelta(days=14))).days) <= 1 else 1
            language = local_language.get(campaign.country, "en")
            for key in ["portal:home"] + [f"portal:info_page/{p.country}/{p.slug}" for p in info_pages
                                          if p.country == campaign.country][:2]:
                add(day, ReachKind.CAMPAIGN_VISIT, key, campaign.country, language, campaign.pk,
                    n(f"visit{campaign.pk}{key}{day}", 9 * boost))
                add(day, ReachKind.CAMPAIGN_VISIT, key, campaign.country, "en", campaign.pk,
                    n(f"visit-en{campaign.pk}{key}{day}", 2 * boost))
        for material in materials:
            language = local_language.get(material.country, "en")
            add(day, ReachKind.MATERIAL_DOWNLOAD, f"material/{material.pk}", material.country, language,
                material.campaign_id or 0, n(f"material{material.pk}{day}", 2))
        for event in events:
            if event.starts_at.date() >= day:
                add(day, ReachKind.CALENDAR_DOWNLOAD, f"event/{event.pk}", event.country, event.language,
                    event.campaign_id or 0, n(f"event{event.pk}{day}", 1.5))
        for country, language in local_language.items():
            for answer in heard:
                if random.Random(f"heard{country}{answer}{day}").random() < 0.15:
                    add(day, ReachKind.HEARD_ABOUT, answer, country, language, 0, 1)
    ReachCount.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Info days and events, information materials (part "events-materials"). Everything here is
# invented: the events, their venues and times.

# (country, organiser, the editor's organisation and role, local language, time zone, events)
# Each event: (days from today, start hour, hours, kind, title, venue, city, state) where state is
# "" (published), "past" or "cancelled"; an empty venue means online.
DEMO_EVENTS = [
    ("IT", "salvamamme", "salvamamme", "content_editor", "it", "Europe/Rome", [
        (6, 10, 3, "info_day", "Giornata informativa: i tuoi diritti e dove trovare aiuto", "Casa del Municipio I", "Roma", ""),
        (20, 17, 2, "talk", "Incontro aperto: riconoscere la violenza psicologica", "Biblioteca di quartiere", "Roma", ""),
        (41, 18, 1, "webinar", "Webinar: come sostenere un'amica che subisce violenza", "", "", ""),
        (13, 9, 4, "stand", "Punto informativo al mercato rionale", "Mercato coperto", "Roma", "cancelled"),
        (-25, 10, 3, "info_day", "Giornata informativa di primavera", "Casa del Municipio I", "Roma", "past"),
    ]),
    ("IT", "cipm", "cipm", "network_coordinator", "it", "Europe/Rome", [
        (27, 18, 2, "talk", "Serata pubblica: uscire dalla violenza è possibile, anche per gli uomini", "Sala civica", "Milano", ""),
    ]),
    ("CY", "aphvf", "aphvf", "content_editor", "el", "Asia/Nicosia", [
        (8, 10, 3, "info_day", "Ημέρα ενημέρωσης: η βία στην οικογένεια και πού θα βρεις βοήθεια", "Δημοτικό Πολιτιστικό Κέντρο", "Λευκωσία", ""),
        (22, 18, 2, "workshop", "Εργαστήριο για γονείς: μιλώντας στα παιδιά για τις υγιείς σχέσεις", "Κοινοτικό Κέντρο", "Λεμεσός", ""),
        (36, 19, 1, "webinar", "Διαδικτυακή ενημέρωση: τα δικαιώματά σου ως θύμα", "", "", ""),
        (15, 10, 5, "stand", "Περίπτερο ενημέρωσης στην πλατεία", "Πλατεία Ελευθερίας", "Λευκωσία", "cancelled"),
        (-18, 10, 3, "info_day", "Ημέρα ενημέρωσης στο πανεπιστήμιο", "Πανεπιστημιούπολη", "Λευκωσία", "past"),
    ]),
    ("CZ", "diaconia", "diaconia", "content_editor", "cs", "Europe/Prague", [
        (7, 10, 3, "info_day", "Informační den: domácí násilí a kde hledat pomoc", "Komunitní centrum", "Praha", ""),
        (19, 17, 2, "talk", "Beseda: jak pomoci kamarádce, která zažívá násilí", "Městská knihovna", "Brno", ""),
        (33, 18, 1, "webinar", "Webinář: vaše práva jako oběti trestného činu", "", "", ""),
        (12, 9, 4, "stand", "Informační stánek na farmářském trhu", "Náplavka", "Praha", "cancelled"),
        (-21, 10, 3, "info_day", "Jarní informační den", "Komunitní centrum", "Praha", "past"),
    ]),
    ("BG", "demetra", "demetra", "content_editor", "bg", "Europe/Sofia", [
        (9, 10, 3, "info_day", "Информационен ден: домашното насилие и къде да потърсиш помощ", "Културен център", "Бургас", ""),
        (23, 17, 2, "workshop", "Работилница за млади хора: здравословни взаимоотношения", "Младежки дом", "Варна", ""),
        (38, 18, 1, "webinar", "Уебинар: правата ти като пострадала", "", "", ""),
        (16, 10, 4, "stand", "Информационен щанд в парка", "Морската градина", "Бургас", "cancelled"),
        (-17, 10, 3, "info_day", "Пролетен информационен ден", "Културен център", "Бургас", "past"),
    ]),
]

DEMO_EVENT_TEXT = {
    "it": "Un incontro aperto a tutte e tutti, gratuito. Le operatrici rispondono alle domande e danno materiale "
          "informativo. Non serve prenotare.\n\n- Numero antiviolenza 1522, gratuito, giorno e notte\n- In pericolo: 112",
    "el": "Ανοιχτή και δωρεάν εκδήλωση. Οι σύμβουλοι απαντούν σε ερωτήσεις και μοιράζουν ενημερωτικό υλικό. "
          "Δεν χρειάζεται κράτηση.\n\n- Γραμμή 1440, μέρα και νύχτα\n- Σε κίνδυνο: 112",
    "cs": "Setkání je otevřené všem a zdarma. Poradkyně odpovídají na otázky a rozdávají informační materiály. "
          "Není třeba se přihlašovat.\n\n- Linka 116 006, nonstop a zdarma\n- V ohrožení: 112",
    "bg": "Откритата среща е безплатна за всички. Консултантките отговарят на въпроси и раздават информационни "
          "материали. Не е нужно записване.\n\n- Национална линия 0800 1 8676, безплатно\n- При опасност: 112",
}

DEMO_ACCESSIBILITY = {
    "it": "Accesso senza gradini; servizio di interpretariato su richiesta.",
    "el": "Πρόσβαση χωρίς σκαλοπάτια· διερμηνεία κατόπιν αιτήματος.",
    "cs": "Bezbariérový přístup; tlumočení na požádání.",
    "bg": "Достъп без стъпала; превод при поискване.",
}

# (country, organisation, the editor's organisation and role, [(name, format, page slug)])
DEMO_MATERIALS = [
    ("IT", "salvamamme", "salvamamme", "content_editor", [("Pieghevole per sale d'attesa", "leaflet", "support-centres"),
                                                           ("Manifesto per farmacie", "poster", "support-centres")]),
    ("CY", "aphvf", "aphvf", "content_editor", [("Φυλλάδιο για αίθουσες αναμονής", "leaflet", "support-centres"),
                                                ("Αφίσα για φαρμακεία", "poster", "support-centres")]),
    ("CZ", "diaconia", "diaconia", "content_editor", [("Leták do čekáren", "leaflet", "support-centres"),
                                                      ("Plakát do lékáren", "poster", "support-centres")]),
    ("BG", "demetra", "demetra", "content_editor", [("Листовка за чакални", "leaflet", "support-centres"),
                                                    ("Плакат за аптеки", "poster", "support-centres")]),
]


def load_demo_events_and_materials() -> dict:
    """About three coming info days per country in its language (one online), one past, one
    cancelled, all published; and a leaflet and a poster per country, published, composed from the
    shipped "support-centres" page (skipped where that page is missing). Idempotent: an event or a
    material that exists (same country and title or name) is left as it is. Needs the demo network
    (rete.core.demo); returns how many events and materials it created."""
    from rete.core.demo import demo_email
    from rete.core.models import User
    from rete.portal.models import Campaign, InfoPage, Material, PublicEvent

    created = {"events": 0, "materials": 0}
    for country, org_slug, editor_org, editor_role, language, zone, events in DEMO_EVENTS:
        editor = User.objects.filter(email=demo_email(editor_org, editor_role)).first()
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if editor is None or organisation is None:
            continue
        campaign = Campaign.objects.filter(slug=f"16days-{country.lower()}").first()
        for number, event in enumerate(events):
            if PublicEvent.objects.filter(country=country, title=event[4]).exists():
                continue
            _demo_event(editor, organisation, campaign if number == 0 else None, language, zone, event)
            created["events"] += 1
    for country, org_slug, editor_org, editor_role, materials in DEMO_MATERIALS:
        editor = User.objects.filter(email=demo_email(editor_org, editor_role)).first()
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if editor is None or organisation is None:
            continue
        for name, kind, slug in materials:
            page = InfoPage.objects.filter(country=country, slug=slug).first()
            if page is None or Material.objects.filter(country=country, name=name).exists():
                continue
            _demo_material(editor, organisation, page, name, kind)
            created["materials"] += 1
    return created


@transaction.atomic
def _demo_event(editor, organisation, campaign, language, zone, event):
    import datetime
    import zoneinfo

    from django.utils import timezone

    from rete.portal.services import events as services

    days, hour, hours, kind, title, venue, city, state = event
    day = timezone.localdate() + datetime.timedelta(days=days)
    starts_at = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(zone))
    created = services.event_create(
        by=editor, country=organisation.country, organisation=organisation, campaign=campaign, kind=kind, title=title,
        description=DEMO_EVENT_TEXT[language], language=language, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours), venue=venue, address="", city=city,
        online_url="" if venue else f"https://meet.example.org/rete-{organisation.slug}-{days}",
        accessibility=DEMO_ACCESSIBILITY[language] if venue else "")
    created = services.event_publish(by=editor, event=created, version=created.version, publish=True)
    if state == "cancelled":
        services.event_cancel(by=editor, event=created, version=created.version)


@transaction.atomic
def _demo_material(editor, organisation, page, name, kind):
    from rete.portal.models import Campaign
    from rete.portal.services import materials as services

    campaign = Campaign.objects.filter(slug=f"16days-{page.country.lower()}").first() if kind == "poster" else None
    services.material_create(by=editor, name=name, kind=kind, page=page, organisation=organisation, campaign=campaign,
                             show_directory=True, published=True)


# ---- information pages (part "pages") --------------------------------------------------------

# (country, page, language, author org, author role, reviewer org, reviewer role, what happens,
#  the paragraph the editor adds, what changed, the reviewer's comment)
DEMO_PAGE_WORK = [
    ("IT", "reporting", "it", "salvamamme", "content_editor", "cipm", "network_coordinator", "in_review",
     "A Roma puoi farti accompagnare da un'operatrice del centro antiviolenza quando vai a denunciare.",
     "Accompagnamento a Roma", ""),
    ("CZ", "legal-aid", "cs", "diaconia", "content_editor", "diaconia", "network_coordinator", "returned",
     "V Praze poskytuje bezplatnou právní poradnu také naše organizace, každé úterý odpoledne.",
     "Právní poradna v Praze", "Uveďte prosím, že je potřeba se předem objednat."),
    ("BG", "protection-orders", "bg", "demetra", "content_editor", "demetra", "network_coordinator", "draft",
     "В Бургас можем да ви придружим до районния съд, когато подавате молба за защита.",
     "Придружаване в Бургас", ""),
    ("CY", "support-centres", "el", "aphvf", "content_editor", "enoros", "network_coordinator", "published",
     "Στη Λευκωσία το κέντρο υποστήριξης δέχεται και χωρίς ραντεβού, τις εργάσιμες ημέρες.",
     "Χωρίς ραντεβού στη Λευκωσία", ""),
]


def load_demo_pages() -> int:
    """The shipped information pages (installed after `migrate`; installed again here in case),
    and some editors' work in each country: a version waiting for review (Italy), one returned
    with comments (Czechia), a draft (Bulgaria) and a second published version (Cyprus), each a
    fictional local paragraph added to the shipped text. Idempotent: a page and language that
    already has an editor's version is left as it is. Needs the demo network (rete.core.demo);
    returns how many pages got editors' work."""
    from rete.core.demo import demo_email
    from rete.core.models import User
    from rete.portal.models import InfoPage, PageVersion
    from rete.portal.services.pages import pages_install_shipped

    pages_install_shipped()
    done = 0
    for country, slug, language, author_org, author_role, reviewer_org, reviewer_role, outcome, line, note, comment \
            in DEMO_PAGE_WORK:
        author = User.objects.filter(email=demo_email(author_org, author_role)).first()
        reviewer = User.objects.filter(email=demo_email(reviewer_org, reviewer_role)).first()
        page = InfoPage.objects.filter(country=country, slug=slug).first()
        if author is None or reviewer is None or page is None:
            continue
        versions = PageVersion.objects.filter(page=page, language=language)
        if versions.filter(created_by__isnull=False).exists():
            continue
        base = versions.filter(status="published").first()
        if base is None:  # the shipped text in this language is not there (yet)
            continue
        _demo_page_work(author, reviewer, page, language, base, outcome, line, note, comment)
        done += 1
    return done


@transaction.atomic
def _demo_page_work(author, reviewer, page, language, base, outcome, line, note, comment):
    from rete.portal.services import pages as services

    draft = services.page_draft_save(by=author, page=page, language=language, title=base.title, summary=base.summary,
                                     body=f"{base.body}\n\n{line}", change_note=note)
    if outcome == "draft":
        return
    draft = services.page_submit(by=author, draft=draft, version=draft.version)
    if outcome == "returned":
        services.page_return(by=reviewer, version=draft, comment=comment, notify=False)
    elif outcome == "published":
        services.page_publish(by=reviewer, version=draft, notify=False)


def load_demo_reach() -> int:
    """The demo's reach counters once everything they count exists (pages, campaigns, events,
    materials); existing counters keep their numbers."""
    from django.utils import timezone

    return _demo_reach(timezone.localdate())
