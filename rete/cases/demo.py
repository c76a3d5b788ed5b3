"""Invented cases for the demo network's victim-support partners and the police, at every stage
from first contact to closure, written in the partners' languages. Every name and story is made
up; phone numbers use a numbering plan that does not exist."""
import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rete.cases import services
from rete.cases.models import (
    Case, CaseActivity, ContactRoute, GbvType, OrderKind, OrderStatus, PlaceType, ProceedingKind, RelatedKind, Relationship,
    SafeToContact, ServiceKind, ServiceStatus,
)
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
CHILDREN = {"CY": ["Andreas", "Eleni", "Nikolas"], "IT": ["Matteo", "Giulia", "Leonardo"], "CZ": ["Jakub", "Tereza", "Matyáš"],
            "BG": ["Georgi", "Maria", "Aleksandar"]}
LANGUAGE = {"CY": "el", "IT": "it", "CZ": "cs", "BG": "bg"}
COURT = {"CY": "Eparchiako Dikastirio Lefkosias (demo)", "IT": "Tribunale ordinario (demo)", "CZ": "Okresní soud (demo)",
         "BG": "Rayonen sad (demo)"}
ORGANISATIONS = ["aphvf", "cy-police", "demetra", "diaconia", "salvamamme"]
CASES_PER_ORGANISATION = 30
# How far each case has come: 0 = first contact only … 8 = the whole case file; then a status.
STAGES = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8]
ENDINGS = {16: "on_hold", 17: "on_hold", 18: "closure_pending", 19: "closure_pending", 20: "closed", 21: "closed",
           22: "closed", 23: "reopened"}

TEXTS = {
    "en": {
        "notes": ["First call from a friend's phone; agreed to call back on Thursday morning.",
                  "Accompanied her to the GP for the medical certificate.",
                  "She asked about schooling for her son after moving to the shelter.",
                  "Spoke with the legal adviser about the separation hearing."],
        "narrative": "He shouted at her in the kitchen, pushed her against the door and took her phone.",
        "need": ["Safe accommodation for her and the children", "Legal advice on separation and custody",
                 "Counselling sessions", "Help with a job search"],
        "plan": {"safe_contacts": "Her sister (code word 'blue umbrella'); 112; the national helpline.",
                 "leaving_plan": "Leave through the back door; the neighbour at no. 4 keeps a spare key.",
                 "documents_bag": "Passports, birth certificates, bank card, medicines, charger — bag kept at her sister's.",
                 "children": "The children know to go to the neighbour's and call 112.",
                 "technology": "Location sharing switched off; new e-mail address; passwords changed.",
                 "work": "Her manager knows; reception screens calls for her.",
                 "after_separation": "Locks changed; different route to school."},
    },
    "it": {
        "notes": ["Primo contatto telefonico da un'utenza sicura; richiamare giovedì mattina.",
                  "Accompagnata dal medico di base per il certificato.",
                  "Chiede informazioni sull'iscrizione scolastica del figlio dopo l'ingresso in casa rifugio.",
                  "Colloquio con l'avvocata sull'udienza di separazione."],
        "narrative": "Lui le ha urlato contro in cucina, l'ha spinta contro la porta e le ha preso il telefono.",
        "need": ["Accoglienza in struttura protetta per lei e i figli", "Consulenza legale su separazione e affidamento",
                 "Percorso di sostegno psicologico", "Supporto nella ricerca di lavoro"],
        "plan": {"safe_contacts": "La sorella (parola in codice 'ombrello blu'); 112; 1522.",
                 "leaving_plan": "Uscire dalla porta sul retro; la vicina del civico 4 ha una copia delle chiavi.",
                 "documents_bag": "Documenti d'identità, certificati di nascita, bancomat, farmaci, caricatore — borsa dalla sorella.",
                 "children": "I bambini sanno di andare dalla vicina e chiamare il 112.",
                 "technology": "Condivisione della posizione disattivata; nuovo indirizzo e-mail; password cambiate.",
                 "work": "La responsabile è informata; la reception filtra le chiamate.",
                 "after_separation": "Serrature cambiate; percorso diverso per la scuola."},
    },
    "el": {
        "notes": ["Πρώτη κλήση από το τηλέφωνο φίλης· συμφωνήσαμε να την καλέσουμε την Πέμπτη το πρωί.",
                  "Τη συνοδεύσαμε στον γιατρό για την ιατρική βεβαίωση.",
                  "Ρώτησε για την εγγραφή του γιου της στο σχολείο μετά τη μετάβαση στον ξενώνα.",
                  "Συζήτηση με τη δικηγόρο για τη δικάσιμο της διάστασης."],
        "narrative": "Της φώναξε στην κουζίνα, την έσπρωξε στην πόρτα και της πήρε το τηλέφωνο.",
        "need": ["Ασφαλής διαμονή για την ίδια και τα παιδιά", "Νομική συμβουλή για διάσταση και επιμέλεια",
                 "Ψυχολογική υποστήριξη", "Βοήθεια στην αναζήτηση εργασίας"],
        "plan": {"safe_contacts": "Η αδελφή της (κωδική λέξη «μπλε ομπρέλα»)· 112· η γραμμή βοήθειας 1440.",
                 "leaving_plan": "Έξοδος από την πίσω πόρτα· η γειτόνισσα στο αρ. 4 έχει εφεδρικό κλειδί.",
                 "documents_bag": "Διαβατήρια, πιστοποιητικά γέννησης, κάρτα τράπεζας, φάρμακα, φορτιστής — η τσάντα στην αδελφή της.",
                 "children": "Τα παιδιά ξέρουν να πάνε στη γειτόνισσα και να καλέσουν το 112.",
                 "technology": "Κοινοποίηση τοποθεσίας απενεργοποιημένη· νέο e-mail· αλλαγμένοι κωδικοί.",
                 "work": "Η προϊσταμένη της γνωρίζει· η υποδοχή φιλτράρει τις κλήσεις.",
                 "after_separation": "Άλλαξαν οι κλειδαριές· διαφορετική διαδρομή προς το σχολείο."},
    },
    "cs": {
        "notes": ["První hovor z telefonu kamarádky; domluveno zavolat ve čtvrtek dopoledne.",
                  "Doprovod k praktické lékařce kvůli lékařské zprávě.",
                  "Ptala se na školní docházku syna po nástupu do azylového domu.",
                  "Konzultace s právničkou k jednání o rozvodu."],
        "narrative": "Křičel na ni v kuchyni, strčil ji proti dveřím a vzal jí telefon.",
        "need": ["Bezpečné ubytování pro ni a děti", "Právní poradenství k rozvodu a péči o děti",
                 "Psychologická podpora", "Pomoc s hledáním práce"],
        "plan": {"safe_contacts": "Sestra (heslo „modrý deštník“); 112; linka pomoci.",
                 "leaving_plan": "Odejít zadními dveřmi; sousedka z čísla 4 má náhradní klíč.",
                 "documents_bag": "Pasy, rodné listy, platební karta, léky, nabíječka — taška je u sestry.",
                 "children": "Děti vědí, že mají jít k sousedce a zavolat 112.",
                 "technology": "Sdílení polohy vypnuto; nový e-mail; změněná hesla.",
                 "work": "Vedoucí o situaci ví; recepce jí filtruje hovory.",
                 "after_separation": "Vyměněné zámky; jiná cesta do školy."},
    },
    "bg": {
        "notes": ["Първо обаждане от телефона на приятелка; уговорихме да ѝ се обадим в четвъртък сутринта.",
                  "Придружихме я до личния лекар за медицинско удостоверение.",
                  "Пита за записването на сина си в училище след настаняването в кризисния център.",
                  "Разговор с адвокатката за делото за развод."],
        "narrative": "Той ѝ крещя в кухнята, блъсна я във вратата и ѝ взе телефона.",
        "need": ["Безопасно настаняване за нея и децата", "Правна консултация за развод и родителски права",
                 "Психологическа подкрепа", "Помощ при търсене на работа"],
        "plan": {"safe_contacts": "Сестра ѝ (кодова дума „син чадър“); 112; националната гореща линия.",
                 "leaving_plan": "Излиза през задната врата; съседката от № 4 има резервен ключ.",
                 "documents_bag": "Паспорти, удостоверения за раждане, банкова карта, лекарства, зарядно — чантата е при сестра ѝ.",
                 "children": "Децата знаят да отидат при съседката и да се обадят на 112.",
                 "technology": "Споделянето на местоположение е изключено; нов имейл; сменени пароли.",
                 "work": "Началничката ѝ знае; рецепцията филтрира обажданията.",
                 "after_separation": "Сменени ключалки; различен маршрут до училище."},
    },
}


@transaction.atomic
def load_demo_cases(*, seed=2018):
    """Open the demo cases once per organisation (a second run adds nothing)."""
    rng = random.Random(seed)
    created = 0
    for organisation in Organisation.objects.filter(slug__in=ORGANISATIONS).order_by("slug"):
        if Case.objects.filter(organisation=organisation).exists():
            continue
        members = Membership.objects.filter(organisation=organisation, ended_at__isnull=True).select_related("user")
        workers = [m.user for m in members if m.role in (Role.CASEWORKER, Role.POLICE_OFFICER)]
        supervisors = [m.user for m in members if m.role == Role.SUPERVISOR]
        if not workers:
            continue
        for i in range(CASES_PER_ORGANISATION):
            _demo_case(rng, organisation, i, rng.choice(workers), supervisors[0] if supervisors else None)
            created += 1
    return created


def _demo_case(rng, organisation, i, worker, supervisor):
    country = organisation.country
    given, family = NAMES[country]
    # Most women speak the organisation's language; some are helped in English.
    language = "en" if i % 6 == 5 else LANGUAGE[country]
    words = TEXTS[language]
    anonymous = i % 9 == 1
    safe = rng.choice([SafeToContact.YES, SafeToContact.YES, SafeToContact.NO, SafeToContact.UNKNOWN])
    person = {
        "is_anonymous": anonymous,
        "given_name": "" if anonymous else rng.choice(given),
        "family_name": "" if anonymous else rng.choice(family),
        "birth_year": None if anonymous else rng.randint(1960, 2005),
        "phone": "" if anonymous else f"+00 555 {rng.randint(100000, 999999)}",
        "language": language,
        "interpreter_needed": language == "en",
        "safe_to_contact": safe,
        "safe_phone": f"+00 555 {rng.randint(100000, 999999)}" if safe == SafeToContact.YES else "",
        "safe_times": "09:00–12:00" if safe == SafeToContact.YES else "",
        "code_word": rng.choice(["", "", "girasole", "lavender", "aurora"]),
    }
    stage = STAGES[i]
    # Later stages began longer ago; a first contact may be from tonight.
    days_ago = 0 if stage == 0 else rng.randint(20 + stage * 15, 60 + stage * 30)
    first_contact = timezone.now() - timedelta(days=days_ago, hours=rng.randint(0, 10))
    case = services.intake_open_case(by=worker, organisation=organisation, contact_route=rng.choice(ContactRoute.values),
                                     first_contact_at=first_contact, person=person)
    if supervisor is not None:
        services.case_set_supervisor(by=worker, case=case, supervisor=supervisor)
    today = timezone.localdate()
    start = first_contact.date()

    def on(fraction):
        """A date between her first contact and today."""
        return min(today, start + timedelta(days=int((today - start).days * fraction)))

    services.note_add(by=worker, case=case, body=words["notes"][0])
    if stage >= 1:
        incident_date = start - timedelta(days=rng.choice([1, 2, 5, 10, 40]))
        services.incident_record(by=worker, case=case, incident_date=incident_date, reported_on=start,
                                 place_type=rng.choice([PlaceType.HOME, PlaceType.HOME, PlaceType.PERPETRATOR_HOME, PlaceType.ONLINE]),
                                 gbv_type=rng.choice([GbvType.PHYSICAL_ASSAULT, GbvType.PHYSICAL_ASSAULT, GbvType.PSYCHOLOGICAL,
                                                      GbvType.SEXUAL_ASSAULT, GbvType.DENIAL]),
                                 context_flags=["ipv"], narrative=words["narrative"], reported_to_police=rng.random() < 0.5,
                                 injuries=rng.random() < 0.4, medical_care=rng.random() < 0.3)
        services.consent_record(by=worker, case=case, kind="services", given_on=start, method="verbal")
    if stage >= 2:
        services.needs_assessment_record(
            by=worker, case=case, based_on=0, trigger="first", assessed_on=on(0.1),
            personal_characteristics=rng.sample(["economic", "isolated", "language", "pregnancy", "residence"], 2),
            crime_type=["ipv", "repeated"], circumstances=rng.sample(["cohabits", "children", "threats", "dependent"], 2),
            protection_needs=["intimidation", "repeat"], special_measures=["same_sex", "no_visual_contact"],
            specific_protection_needs=True, summary=words["notes"][3])
    if stage >= 3:
        services.information_record(by=worker, case=case, items=list("abcdfi"), given_on=on(0.1), language=language, in_writing=True)
        if stage >= 6:
            services.information_record(by=worker, case=case, items=list("ehjk"), given_on=on(0.4), language=language)
    if stage >= 4:
        services.safety_plan_save(by=worker, case=case, version=None, language=language, next_review_on=today + timedelta(days=rng.randint(-10, 40)),
                                  **words["plan"])
    if stage >= 5:
        needs = words["need"]
        services.service_add(by=worker, case=case, need=needs[0], kind=ServiceKind.SHELTER, provider=organisation.short_name,
                             status=ServiceStatus.DELIVERED, due_on=on(0.15), outcome=words["notes"][2])
        services.service_add(by=worker, case=case, need=needs[1], kind=ServiceKind.LEGAL, provider="Legal aid office (demo)",
                             status=ServiceStatus.IN_PROGRESS, due_on=today + timedelta(days=rng.randint(-12, 10)))
        services.service_add(by=worker, case=case, need=needs[2], kind=ServiceKind.PSYCHOLOGICAL, provider=organisation.short_name,
                             status=ServiceStatus.REQUESTED, due_on=today + timedelta(days=rng.randint(2, 30)))
        if stage >= 7:
            services.service_add(by=worker, case=case, need=needs[3], kind=ServiceKind.ECONOMIC, provider="Employment centre (demo)",
                                 status=ServiceStatus.PLANNED, due_on=today + timedelta(days=rng.randint(-5, 45)))
    if stage >= 6:
        first_names = CHILDREN[country]
        for n in range(rng.randint(1, 2)):
            services.related_person_add(by=worker, case=case, kind=RelatedKind.CHILD, name=first_names[n], birth_year=today.year - rng.randint(2, 15),
                                        sex=rng.choice(["female", "male"]), relationship=Relationship.CHILD, cohabiting="yes",
                                        needs=words["notes"][2], notes="")
        services.related_person_add(by=worker, case=case, kind=RelatedKind.PERPETRATOR, name=rng.choice(["M. R.", "P. K.", "D. S."]),
                                    birth_year=rng.randint(1960, 2000), sex="male",
                                    relationship=rng.choice([Relationship.PARTNER, Relationship.FORMER_PARTNER]),
                                    cohabiting=rng.choice(["yes", "no"]), weapons_access=rng.choice(["yes", "no", "unknown", "no"]),
                                    known_to_police=rng.choice(["yes", "no", "unknown"]), notes="")
    if stage >= 7:
        services.complaint_add(by=worker, case=case, filed_on=on(0.2), authority="Police station (demo)", authority_reference=f"D-{rng.randint(1000, 9999)}",
                               status="investigation", notes="")
        issued = on(0.25)
        services.order_add(by=worker, case=case, kind=OrderKind.PROTECTION, court=COURT[country], court_reference=f"{rng.randint(100, 999)}/{today.year}",
                           status=OrderStatus.GRANTED, applied_on=on(0.2), issued_on=issued,
                           expires_on=today + timedelta(days=rng.randint(3, 120)), conditions="")
        proceeding = services.proceeding_add(by=worker, case=case, kind=rng.choice([ProceedingKind.CRIMINAL, ProceedingKind.FAMILY]),
                                             court=COURT[country], court_reference=f"{rng.randint(1000, 9999)}/{today.year}", status="pending", outcome="")
        hearing_day = timezone.make_aware(datetime.combine(today + timedelta(days=rng.randint(1, 40)), time(9, 30)))
        services.hearing_add(by=worker, case=case, proceeding_id=proceeding.pk, at=hearing_day, place="Aula 2 / Room 2", purpose="",
                             accompanied=rng.random() < 0.5)
    if stage >= 3:
        _demo_risk(rng, case, worker, supervisor, stage, first_contact)
    if stage >= 8:
        services.note_add(by=worker, case=case, body=words["notes"][1])
    ending = ENDINGS.get(i)
    fresh = Case.objects.get(pk=case.pk)
    if ending == "on_hold":
        services.case_put_on_hold(by=worker, case=fresh, version=fresh.version, reason=words["notes"][0])
    elif ending in ("closure_pending", "closed", "reopened") and supervisor is not None:
        services.closure_request(by=worker, case=fresh, version=fresh.version, reason="goals_met", safety_plan_reviewed=True,
                                 knows_how_to_return=True, services_ended=True, summary=words["notes"][3], supervisor=supervisor)
        if ending in ("closed", "reopened"):
            services.closure_decide(by=supervisor, case=fresh, approve=True, note="")
        if ending == "reopened":
            closed = Case.objects.get(pk=case.pk)
            services.case_reopen(by=worker, case=closed, version=closed.version, reason=words["notes"][0])
    _spread_timeline(case, first_contact)


def _demo_risk(rng, case, worker, supervisor, stage, first_contact):
    """One or more signed assessments with Rete's own victim screen, dated over the months of
    the case, so bands, mandated actions, overdue reassessments and a history chart show."""
    from rete.risk import instruments as risk_instruments
    from rete.risk import scoring as risk_scoring
    from rete.risk import selectors as risk_selectors
    from rete.risk import services as risk_services
    from rete.risk.models import RiskAction, RiskAssessment, RiskStatus

    available = risk_selectors.instruments_available(organisation=case.organisation, assesses="victim")
    instrument = next((i for i in available if i.code == "rete-victim-screen"), None)
    if instrument is None:
        return
    items = [item["code"] for item in risk_instruments.items(instrument.definition)]
    rounds = 1 if stage < 6 else (2 if stage < 8 else 3)
    span = timezone.now() - first_contact
    likelihood = rng.choice([0.05, 0.1, 0.2, 0.3, 0.45])
    for n in range(rounds):
        answers = {code: ("yes" if rng.random() < likelihood else rng.choice(["no", "no", "unknown"])) for code in items}
        draft = risk_services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=instrument.pk)
        version = risk_services.assessment_save_answers(by=worker, assessment_id=draft.pk, version=draft.version, answers=answers)
        preview = risk_scoring.score(instrument.definition, answers)
        above = [band["code"] for band in risk_instruments.bands_above(instrument.definition, preview.band)]
        raise_it = bool(above) and rng.random() < 0.15
        risk_services.assessment_sign(
            by=worker, assessment_id=draft.pk, version=version, override_band=above[0] if raise_it else "",
            override_reason="She says he has bought a gun since the last assessment." if raise_it else "")
        likelihood = max(0.05, likelihood + rng.choice([-0.15, 0.1]))
        # Dated within the case, the last one in the past ten days: some reassessments are due
        # soon, some overdue.
        last = timezone.now() - timedelta(hours=rng.uniform(2, 240))
        signed_at = last if n == rounds - 1 else first_contact + (last - first_contact) * ((n + 1) / rounds)
        shift = signed_at - RiskAssessment.objects.get(pk=draft.pk).signed_at
        RiskAssessment.objects.filter(pk=draft.pk).update(signed_at=signed_at, next_due_at=F("next_due_at") + shift)
        for action in RiskAction.objects.filter(assessment_id=draft.pk):
            done = n < rounds - 1 or rng.random() < 0.5
            RiskAction.objects.filter(pk=action.pk).update(
                due_at=action.due_at + shift, status="done" if done else "open",
                completed_by=worker if done else None, completed_at=(action.due_at + shift) if done else None)
        RiskStatus.objects.filter(subject_type="case", subject_id=case.pk, assessment_id=draft.pk).update(next_due_at=F("next_due_at") + shift)


def _spread_timeline(case, first_contact):
    """Services stamp the timeline with the time they run; spread a demo case's events between
    her first contact and now, in their order, so the timeline reads like months of work."""
    activities = list(CaseActivity.objects.filter(case=case).order_by("at", "pk").values_list("pk", flat=True))
    span = timezone.now() - first_contact
    for n, pk in enumerate(activities):
        CaseActivity.objects.filter(pk=pk).update(at=first_contact + span * (n / max(len(activities), 1)))
    last = first_contact + span * ((len(activities) - 1) / max(len(activities), 1))
    Case.objects.filter(pk=case.pk).update(opened_at=first_contact, last_activity_at=last)
    Case.objects.filter(pk=case.pk, closed_at__isnull=False).update(closed_at=last)
