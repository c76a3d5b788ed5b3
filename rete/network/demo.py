"""Demo cooperation protocols (part "protocol-lifecycle"): a Milan anti-violence network protocol
coordinated by CIPM, written in Italian with an English translation, adopted, and its version 2
circulating to the parties with two comments; and a Nicosia protocol coordinated by Enoros,
written in English with a Greek translation, adopted and due for review.

The Milan parties other than CIPM, the Nicosia social welfare office and every person named here
are FICTIONAL ("Esempio" / "Example" in their names); the organisations of the STEP4GBV
partnership come from rete.core.demo. Italian and Cypriot law is referred to only in general
terms. Needs the demo network (rete.core.demo.load_demo_network) first."""
import datetime

from django.db import transaction
from django.utils import timezone

from rete.core import audit
from rete.core.models import Membership, Organisation, Role, User
from rete.network import texts
from rete.network.models import (
    Pathway,
    PathwayStep,
    Protocol,
    ProtocolComment,
    ProtocolParty,
    ProtocolVersion,
    SharingRule,
    VersionStatus,
)

# Fictional organisations for the other parties, created like rete.core.demo creates the partners.
ORGANISATIONS = [
    {"slug": "milano-cav", "short_name": "CAV Esempio", "country": "IT", "region": "Lombardia", "city": "Milano",
     "name": "Centro antiviolenza Esempio Milano", "kinds": ["victim_support", "shelter"], "languages": ["it", "en"]},
    {"slug": "milano-sociali", "short_name": "Servizi sociali Esempio", "country": "IT", "region": "Lombardia",
     "city": "Milano", "name": "Servizio sociale professionale territoriale – Municipio Esempio, Comune di Milano (demo)",
     "kinds": ["social_service"], "languages": ["it"]},
    {"slug": "milano-police", "short_name": "Commissariato Esempio", "country": "IT", "region": "Lombardia",
     "city": "Milano", "name": "Commissariato di Polizia di Stato Esempio – Milano (demo)", "kinds": ["police"],
     "languages": ["it"]},
    {"slug": "milano-ospedale", "short_name": "PS Ospedale Esempio", "country": "IT", "region": "Lombardia",
     "city": "Milano", "name": "Pronto soccorso dell'Ospedale Esempio – Milano (demo)", "kinds": ["health"],
     "languages": ["it", "en"]},
    {"slug": "nicosia-welfare", "short_name": "Welfare Office Example", "country": "CY", "region": "Nicosia",
     "city": "Nicosia", "name": "Social Welfare Office Example – Nicosia District (demo)", "kinds": ["social_service"],
     "languages": ["el", "en"]},
]

# One person who signs and comments for each fictional organisation (invented names).
STAFF = [
    ("milano-cav", Role.ORG_ADMIN, "Laura", "Esposito", "it", "Europe/Rome"),
    ("milano-cav", Role.SUPERVISOR, "Marta", "Villa", "it", "Europe/Rome"),
    ("milano-sociali", Role.ORG_ADMIN, "Chiara", "Fumagalli", "it", "Europe/Rome"),
    ("milano-police", Role.ORG_ADMIN, "Roberto", "Galimberti", "it", "Europe/Rome"),
    ("milano-ospedale", Role.ORG_ADMIN, "Paola", "Sala", "it", "Europe/Rome"),
    ("nicosia-welfare", Role.ORG_ADMIN, "Andreas", "Panayides", "el", "Asia/Nicosia"),
]

MILAN_TITLE = {
    "it": "Protocollo d'intesa della rete territoriale antiviolenza di Milano (demo)",
    "en": "Memorandum of understanding of the Milan territorial anti-violence network (demo)",
}
NICOSIA_TITLE = {
    "en": "Nicosia protocol for the multi-agency handling of domestic violence (demo)",
    "el": "Πρωτόκολλο Λευκωσίας για τη διυπηρεσιακή διαχείριση της ενδοοικογενειακής βίας (demo)",
}


# ---- Milan: the text -------------------------------------------------------------------------

MILAN_SECTIONS = {
    "purpose": {
        "it": "Il presente protocollo definisce come gli enti firmatari collaborano per accogliere, proteggere e "
              "accompagnare le donne che subiscono violenza e i loro figli e figlie nel territorio del Comune di "
              "Milano, in attuazione della Convenzione di Istanbul (artt. 18 e 20) e della normativa nazionale e "
              "regionale sul contrasto alla violenza di genere.\n\n"
              "Esso stabilisce i punti di accesso alla rete, i percorsi di invio tra gli enti con i relativi tempi, "
              "le regole per lo scambio delle informazioni e le modalità di verifica del suo rispetto.",
        "en": "This protocol sets out how the signatory bodies work together to receive, protect and support women "
              "who experience violence, and their children, in the Municipality of Milan, implementing the Istanbul "
              "Convention (Articles 18 and 20) and national and regional law against gender-based violence.\n\n"
              "It sets the entry points to the network, the referral pathways between the bodies with their time "
              "limits, the rules for sharing information and how compliance is checked.",
    },
    "principles": {
        "it": "La sicurezza della donna e dei minori viene prima di ogni altra considerazione.\n\n"
              "Ogni intervento rispetta l'autodeterminazione della donna: il sostegno del centro antiviolenza non è "
              "subordinato alla presentazione di una denuncia.\n\n"
              "Gli enti si impegnano a non ricorrere a mediazione familiare o a incontri congiunti con l'autore "
              "della violenza (art. 48 della Convenzione di Istanbul).\n\n"
              "Ogni ente individua un referente per il protocollo e garantisce la formazione specifica del proprio "
              "personale.",
        "en": "The safety of the woman and of the children comes before any other consideration.\n\n"
              "Every intervention respects the woman's self-determination: the anti-violence centre's support does "
              "not depend on her making a complaint.\n\n"
              "The bodies undertake not to use family mediation or joint meetings with the perpetrator (Article 48 "
              "of the Istanbul Convention).\n\n"
              "Each body names a contact person for the protocol and makes sure its staff are specifically trained.",
    },
    "information_sharing": {
        "it": "Le informazioni sulla donna sono condivise solo con l'ente che deve intervenire, solo nelle categorie "
              "previste dalle regole di condivisione per quel tipo di ente e, di norma, con il suo consenso "
              "informato e registrato.\n\n"
              "Senza consenso le informazioni possono essere comunicate solo quando la legge lo impone o quando vi è "
              "un pericolo attuale per la vita o l'incolumità della donna o dei minori; in tal caso l'operatrice "
              "annota le ragioni e il responsabile della protezione dei dati del proprio ente ne è informato.\n\n"
              "L'indirizzo della casa rifugio non viene mai comunicato.",
        "en": "Information about the woman is shared only with the body that has to act, only in the categories the "
              "sharing rules allow for that kind of body and, as a rule, with her informed and recorded consent.\n\n"
              "Without consent, information may be passed on only where the law requires it or where there is a "
              "present danger to the life or safety of the woman or the children; the worker then writes down the "
              "reasons and her body's data-protection officer is informed.\n\n"
              "The address of the shelter is never disclosed.",
    },
    "consent_refused": {
        "it": "Se la donna rifiuta il consenso, l'ente che l'ha incontrata continua a offrirle sostegno e le fornisce "
              "i recapiti del centro antiviolenza e del numero 1522, senza inviare dati ad altri enti.\n\n"
              "Se la donna revoca il consenso, nessuna ulteriore informazione viene condivisa da quel momento; gli "
              "enti che hanno già ricevuto dati ne sono informati e li conservano solo per gli obblighi di legge.",
        "en": "If the woman refuses consent, the body that met her keeps offering support and gives her the contact "
              "details of the anti-violence centre and of the 1522 helpline, without sending data to other bodies.\n\n"
              "If she withdraws consent, no further information is shared from that moment; the bodies that already "
              "received data are told and keep it only for their legal obligations.",
    },
    "escalation": {
        "it": "Quando un termine del percorso non è rispettato, la referente dell'ente ricevente è contattata dalla "
              "referente dell'ente inviante entro il giorno lavorativo successivo.\n\n"
              "Se il ritardo persiste, la questione è portata ai responsabili dei due enti e, nei casi ad alto "
              "rischio, alla conferenza multi-agenzia del mese.",
        "en": "When a time limit of a pathway is missed, the sending body's contact person contacts the receiving "
              "body's contact person by the next working day.\n\n"
              "If the delay persists, the matter goes to the heads of both bodies and, in high-risk cases, to that "
              "month's multi-agency conference.",
    },
    "complaints": {
        "it": "Ogni ente può segnalare al coordinamento della rete una violazione del protocollo, in forma scritta e "
              "senza dati identificativi della donna.\n\n"
              "Il coordinamento risponde entro 30 giorni, sente gli enti coinvolti e propone le misure correttive. "
              "Una violazione dei dati personali è inoltre gestita da ciascun ente secondo le proprie procedure e "
              "gli obblighi di notifica previsti dal Regolamento (UE) 2016/679.",
        "en": "Any body may report a breach of the protocol to the network's coordination, in writing and without "
              "data identifying the woman.\n\n"
              "The coordination answers within 30 days, hears the bodies involved and proposes corrective measures. "
              "A personal-data breach is also handled by each body under its own procedures and the notification "
              "duties of Regulation (EU) 2016/679.",
    },
    "withdrawal": {
        "it": "Un ente può recedere dal protocollo con preavviso scritto di tre mesi al coordinamento. Le prese in "
              "carico in corso sono concluse o trasferite d'intesa con la donna, senza interruzioni del sostegno.",
        "en": "A body may withdraw from the protocol with three months' written notice to the coordination. Ongoing "
              "cases are completed or transferred in agreement with the woman, without gaps in support.",
    },
    "governance": {
        "it": "Il coordinamento della rete è affidato a CIPM, che convoca il tavolo dei referenti almeno ogni tre "
              "mesi, raccoglie i dati sul rispetto dei percorsi (senza dati personali) e redige una relazione "
              "annuale.\n\n"
              "Il protocollo ha durata di due anni dalla sottoscrizione ed è rivisto entro la data di revisione "
              "indicata; resta in vigore fino all'adozione della versione successiva.",
        "en": "The network's coordination lies with CIPM, which convenes the contact persons at least every three "
              "months, gathers figures on how the pathways are kept (without personal data) and writes a yearly "
              "report.\n\n"
              "The protocol runs for two years from signature and is reviewed by the review date given; it stays in "
              "force until the next version is adopted.",
    },
    "annexes": {
        "it": "Allegato A – Scheda di invio tra enti della rete.\n"
              "Allegato B – Accordo per lo scambio delle informazioni e informativa alla donna.\n"
              "Allegato C – Elenco dei reati per i quali vige l'obbligo di denuncia e dei reati procedibili d'ufficio "
              "(maltrattamenti contro familiari e conviventi, lesioni aggravate, atti persecutori aggravati, "
              "violazione dei provvedimenti di allontanamento).",
        "en": "Annex A – Referral form between the network's bodies.\n"
              "Annex B – Information-sharing agreement and information notice for the woman.\n"
              "Annex C – List of offences that must be reported and that are prosecuted ex officio (ill-treatment of "
              "family members and cohabitants, aggravated injury, aggravated stalking, breach of removal orders).",
    },
}

MILAN_PARTIES = [
    # (slug, role it, role en, signatory, position)
    ("cipm", "Coordina la rete e il protocollo; gestisce il programma per autori di violenza e, tramite il centro "
             "antiviolenza, il contatto con la partner.",
     "Coordinates the network and the protocol; runs the perpetrator programme and, through the anti-violence "
     "centre, the partner contact.", "Andrea Brambilla", "Presidente"),
    ("milano-cav", "Accoglie le donne, valuta il rischio con loro, attiva la casa rifugio e accompagna nei percorsi "
                   "legali e di autonomia.",
     "Receives women, assesses risk with them, opens the shelter and accompanies legal and independence pathways.",
     "Laura Esposito", "Presidente"),
    ("milano-sociali", "Tutela i minori, sostiene l'autonomia abitativa ed economica e attiva le misure di "
                       "protezione del Comune.",
     "Protects the children, supports housing and economic independence and activates the Municipality's "
     "protective measures.", "Chiara Fumagalli", "Direttrice Area Servizi Sociali"),
    ("milano-police", "Interviene sulle emergenze, riceve le denunce con personale formato e comunica le notizie di "
                      "reato all'autorità giudiziaria.",
     "Responds to emergencies, receives complaints through trained staff and reports offences to the judicial "
     "authority.", "Roberto Galimberti", "Dirigente del Commissariato"),
    ("milano-ospedale", "Accoglie in pronto soccorso con un percorso dedicato, cura, documenta le lesioni e "
                        "raccoglie le prove.",
     "Receives women in the emergency department on a dedicated pathway, treats, documents injuries and collects "
     "evidence.", "Paola Sala", "Direttrice sanitaria"),
]

H = 1  # hours
DAY = 24

MILAN_PATHWAYS = [
    {
        "name": {"it": "Dalla Polizia: allontanamento urgente da casa", "en": "From the police: urgent removal from home"},
        "entry_point": "police", "service": "shelter", "urgent": True,
        "criteria": {"it": "Pericolo attuale per la donna o i minori, impossibilità di rientrare a casa in sicurezza, "
                           "rischio elevato alla valutazione di primo intervento.",
                     "en": "Present danger to the woman or the children, no safe return home, high risk at the first "
                           "response assessment."},
        "steps": [
            ({"it": "Messa in sicurezza della donna e dei minori, valutazione del rischio di primo intervento e "
                    "telefonata al numero di reperibilità del centro antiviolenza.",
              "en": "Make the woman and children safe, first-response risk assessment and call to the anti-violence "
                    "centre's on-call number."}, "police", 2 * H),
            ({"it": "Colloquio di accoglienza in emergenza e inserimento in casa rifugio o in struttura di pronto "
                    "intervento, in giornata.",
              "en": "Emergency reception interview and placement in the shelter or an emergency facility, the same "
                    "day."}, "victim_support", 8 * H),
            ({"it": "Presa in carico dei minori e valutazione delle misure di tutela; segnalazione all'autorità "
                    "giudiziaria minorile se necessario.",
              "en": "Take on the children and assess protective measures; report to the juvenile court if needed."},
             "social_service", 1 * DAY),
        ],
    },
    {
        "name": {"it": "Dal pronto soccorso: percorso dedicato e invio al centro antiviolenza",
                 "en": "From the emergency department: dedicated pathway and referral to the anti-violence centre"},
        "entry_point": "health", "service": "psychological", "urgent": False,
        "criteria": {"it": "Donna che riferisce violenza o con lesioni compatibili, che acconsente all'invio.",
                     "en": "A woman who discloses violence or has consistent injuries and agrees to the referral."},
        "steps": [
            ({"it": "Triage con priorità non inferiore a urgente, visita in ambiente riservato, refertazione "
                    "accurata e raccolta delle prove.",
              "en": "Triage with at least urgent priority, examination in a private room, thorough medical report "
                    "and collection of evidence."}, "health", 1 * H),
            ({"it": "Con il consenso della donna, invio al centro antiviolenza con la scheda di invio (Allegato A).",
              "en": "With the woman's consent, referral to the anti-violence centre with the referral form "
                    "(Annex A)."}, "health", 1 * DAY),
            ({"it": "Primo contatto del centro antiviolenza con la donna (entro 3 giorni lavorativi).",
              "en": "The anti-violence centre's first contact with the woman (within 3 working days)."},
             "victim_support", 72 * H),
        ],
    },
    {
        "name": {"it": "Dai servizi sociali: invio ordinario al centro antiviolenza",
                 "en": "From social services: ordinary referral to the anti-violence centre"},
        "entry_point": "social_services", "service": "psychological", "urgent": False,
        "criteria": {"it": "Violenza emersa durante una presa in carico sociale, senza pericolo imminente.",
                     "en": "Violence disclosed during social-services work, without imminent danger."},
        "steps": [
            ({"it": "Invio con la scheda di invio (Allegato A), con il consenso della donna.",
              "en": "Referral with the referral form (Annex A), with the woman's consent."}, "social_service", 2 * DAY),
            ({"it": "Primo contatto del centro antiviolenza con la donna (entro 3 giorni lavorativi).",
              "en": "The anti-violence centre's first contact with the woman (within 3 working days)."},
             "victim_support", 72 * H),
            ({"it": "Colloquio di accoglienza e progetto personalizzato condiviso con la donna.",
              "en": "Reception interview and individual plan agreed with the woman."}, "victim_support", 10 * DAY),
            ({"it": "Riscontro al servizio inviante sull'esito dell'invio (senza contenuti dei colloqui).",
              "en": "Feedback to the referring service on the outcome (without the content of the interviews)."},
             "victim_support", 5 * DAY),
        ],
    },
    {
        "name": {"it": "Dal centro antiviolenza: protezione e denuncia",
                 "en": "From the anti-violence centre: protection and complaint"},
        "entry_point": "support_centre", "service": "police", "urgent": False,
        "criteria": {"it": "La donna chiede di sporgere denuncia o di ottenere misure di protezione.",
                     "en": "The woman asks to make a complaint or to obtain protective measures."},
        "steps": [
            ({"it": "Contatto con la referente del Commissariato e appuntamento per la denuncia, con "
                    "accompagnamento dell'operatrice.",
              "en": "Contact with the police station's contact person and an appointment for the complaint, with "
                    "the worker accompanying her."}, "victim_support", 2 * DAY),
            ({"it": "Ricezione della denuncia da parte di personale formato, in ambiente riservato, e valutazione "
                    "del rischio.",
              "en": "Complaint received by trained staff in a private room, with a risk assessment."}, "police", 3 * DAY),
            ({"it": "Comunicazione della notizia di reato al pubblico ministero senza ritardo; audizione della donna "
                    "nei termini previsti dalla legge.",
              "en": "The offence reported to the public prosecutor without delay; the woman heard within the time "
                    "limits set by law."}, "justice", 3 * DAY),
        ],
    },
    {
        "name": {"it": "Dal centro antiviolenza: conferenza multi-agenzia per i casi ad alto rischio",
                 "en": "From the anti-violence centre: multi-agency conference for high-risk cases"},
        "entry_point": "support_centre", "service": "risk_conference", "urgent": False,
        "criteria": {"it": "Rischio elevato alla valutazione, tre o più interventi delle forze dell'ordine in dodici "
                           "mesi, oppure giudizio professionale motivato.",
                     "en": "High risk at assessment, three or more police call-outs in twelve months, or reasoned "
                           "professional judgement."},
        "steps": [
            ({"it": "Invio del caso al coordinamento con la scheda della conferenza.",
              "en": "Case sent to the coordination with the conference form."}, "victim_support", 7 * DAY),
            ({"it": "Discussione del caso alla conferenza successiva e assegnazione delle azioni.",
              "en": "Case discussed at the next conference and actions assigned."}, "coordination", 14 * DAY),
        ],
    },
]

MILAN_RULES = [
    ("police", ["identity", "contact", "incidents", "risk", "perpetrator", "justice"], "consent",
     {"it": "Senza consenso solo in caso di pericolo attuale per la vita o l'incolumità o di reati procedibili "
            "d'ufficio.",
      "en": "Without consent only where there is a present danger to life or safety, or for offences prosecuted "
            "ex officio."}),
    ("victim_support", ["identity", "contact", "incidents", "risk", "needs", "safety_plan", "children", "justice",
                        "services"], "consent",
     {"it": "Il centro antiviolenza riceve ciò che serve ad accogliere la donna; non comunica il contenuto dei "
            "colloqui.",
      "en": "The anti-violence centre receives what it needs to receive the woman; it does not pass on what is said "
            "in the interviews."}),
    ("social_service", ["identity", "contact", "needs", "children", "services"], "consent", {"it": "", "en": ""}),
    ("health", ["identity", "contact", "risk", "needs"], "consent", {"it": "", "en": ""}),
    ("justice", ["identity", "incidents", "risk", "perpetrator", "justice"], "legal_obligation",
     {"it": "Su richiesta dell'autorità giudiziaria o in adempimento dell'obbligo di denuncia.",
      "en": "At the request of the judicial authority or to fulfil the duty to report."}),
    ("perpetrator_programme", ["risk"], "consent",
     {"it": "Mai l'indirizzo né i recapiti della donna: il contatto con la partner avviene solo tramite il centro "
            "antiviolenza.",
      "en": "Never the woman's address or contact details: the partner is contacted only through the anti-violence "
            "centre."}),
]

# Version 2: what changes after the first year (the other texts stay as in version 1).
MILAN_V2_CHANGES = {
    "purpose": {
        "it": MILAN_SECTIONS["purpose"]["it"] + "\n\nLa versione 2 aggiorna i percorsi dopo il primo anno di "
              "applicazione: reperibilità notturna del centro antiviolenza e tempi più brevi per l'accoglienza in "
              "emergenza.",
        "en": MILAN_SECTIONS["purpose"]["en"] + "\n\nVersion 2 updates the pathways after the first year: the "
              "anti-violence centre's night on-call service and shorter times for emergency reception.",
    },
}
MILAN_V2_COMMENTS = [
    ("milano-cav", Role.ORG_ADMIN, "pathways",
     "Nel percorso urgente dalla Polizia chiediamo di indicare il numero di reperibilità notturna del centro e di "
     "ridurre a 6 ore il tempo per l'inserimento in struttura: è quanto riusciamo a garantire oggi."),
    ("milano-sociali", Role.ORG_ADMIN, "information_sharing",
     "Proponiamo di precisare che i servizi sociali ricevono la valutazione del rischio quando sono coinvolti "
     "minori, anche se la donna non ha ancora firmato il consenso per le altre categorie."),
]


# ---- Nicosia: the text -----------------------------------------------------------------------

NICOSIA_SECTIONS = {
    "purpose": {
        "en": "This protocol sets out how the signatory bodies in the Nicosia district cooperate to protect and "
              "support victims of domestic violence, and their children, from the first contact to safety, in line "
              "with the Istanbul Convention, which the Republic of Cyprus has ratified, and with Cypriot law on "
              "violence in the family.",
        "el": "Το παρόν πρωτόκολλο καθορίζει τον τρόπο με τον οποίο οι υπογράφοντες φορείς της επαρχίας Λευκωσίας "
              "συνεργάζονται για την προστασία και στήριξη των θυμάτων ενδοοικογενειακής βίας και των παιδιών τους, "
              "από την πρώτη επαφή έως την ασφάλεια, σύμφωνα με τη Σύμβαση της Κωνσταντινούπολης, την οποία έχει "
              "κυρώσει η Κυπριακή Δημοκρατία, και με την κυπριακή νομοθεσία για τη βία στην οικογένεια.",
    },
    "principles": {
        "en": "The safety of the victim and of the children comes first.\n\n"
              "Support is free, confidential and does not depend on a complaint to the police.\n\n"
              "Each body names a liaison officer and trains its staff in the handling of domestic violence.",
        "el": "Η ασφάλεια του θύματος και των παιδιών προηγείται.\n\n"
              "Η στήριξη είναι δωρεάν, εμπιστευτική και δεν εξαρτάται από καταγγελία στην Αστυνομία.\n\n"
              "Κάθε φορέας ορίζει λειτουργό-σύνδεσμο και εκπαιδεύει το προσωπικό του στον χειρισμό της "
              "ενδοοικογενειακής βίας.",
    },
    "information_sharing": {
        "en": "Information is shared only with the body that has to act, in the categories the sharing rules allow "
              "for that kind of body, and with the victim's recorded consent, unless the law requires otherwise or "
              "there is a present danger to life.\n\n"
              "The location of the shelter is never disclosed.",
        "el": "Πληροφορίες κοινοποιούνται μόνο στον φορέα που πρέπει να ενεργήσει, στις κατηγορίες που επιτρέπουν "
              "οι κανόνες κοινοποίησης για το είδος του φορέα, και με την καταγεγραμμένη συγκατάθεση του θύματος, "
              "εκτός αν ο νόμος ορίζει διαφορετικά ή υπάρχει άμεσος κίνδυνος για τη ζωή.\n\n"
              "Η τοποθεσία του καταφυγίου δεν αποκαλύπτεται ποτέ.",
    },
    "consent_refused": {
        "en": "If the victim refuses or withdraws consent, no further information is shared; the body that met her "
              "keeps offering support and the 1440 helpline number.",
        "el": "Αν το θύμα αρνηθεί ή ανακαλέσει τη συγκατάθεσή του, δεν κοινοποιούνται άλλες πληροφορίες· ο φορέας "
              "που το συνάντησε συνεχίζει να προσφέρει στήριξη και τον αριθμό της γραμμής 1440.",
    },
    "escalation": {
        "en": "A missed time limit is raised by the sending body's liaison officer with the receiving body's liaison "
              "officer within one working day, then with their heads of service.",
        "el": "Η μη τήρηση προθεσμίας τίθεται από τον λειτουργό-σύνδεσμο του φορέα αποστολής στον λειτουργό-σύνδεσμο "
              "του φορέα παραλαβής εντός μίας εργάσιμης ημέρας και στη συνέχεια στους προϊσταμένους τους.",
    },
    "complaints": {
        "en": "Breaches of the protocol are reported in writing, without identifying data, to the coordinating body, "
              "which answers within 30 days. Personal-data breaches are also handled under each body's own "
              "procedures.",
        "el": "Παραβιάσεις του πρωτοκόλλου αναφέρονται γραπτώς, χωρίς στοιχεία ταυτότητας, στον συντονιστικό φορέα, "
              "ο οποίος απαντά εντός 30 ημερών. Οι παραβιάσεις δεδομένων προσωπικού χαρακτήρα χειρίζονται επίσης "
              "σύμφωνα με τις διαδικασίες κάθε φορέα.",
    },
    "withdrawal": {
        "en": "A body may withdraw with three months' written notice; ongoing cases are handed over without a gap "
              "in support.",
        "el": "Ένας φορέας μπορεί να αποχωρήσει με γραπτή ειδοποίηση τριών μηνών· οι υποθέσεις σε εξέλιξη "
              "παραδίδονται χωρίς διακοπή της στήριξης.",
    },
    "governance": {
        "en": "Enoros coordinates the protocol, convenes the liaison officers every quarter and reports yearly on "
              "how the pathways are kept. The protocol is reviewed every two years.",
        "el": "Η Enoros συντονίζει το πρωτόκολλο, συγκαλεί τους λειτουργούς-συνδέσμους κάθε τρίμηνο και υποβάλλει "
              "ετήσια έκθεση για την τήρηση των διαδρομών. Το πρωτόκολλο αναθεωρείται κάθε δύο χρόνια.",
    },
    "annexes": {
        "en": "Annex A – Referral form.\nAnnex B – Information-sharing agreement.\nAnnex C – List of offences "
              "reported to the police.",
        "el": "Παράρτημα Α – Έντυπο παραπομπής.\nΠαράρτημα Β – Συμφωνία ανταλλαγής πληροφοριών.\nΠαράρτημα Γ – "
              "Κατάλογος αδικημάτων που αναφέρονται στην Αστυνομία.",
    },
}

NICOSIA_PARTIES = [
    ("enoros", "Coordinates the protocol and the liaison officers' meetings.",
     "Συντονίζει το πρωτόκολλο και τις συναντήσεις των λειτουργών-συνδέσμων.", "Nikos Antoniou", "Director"),
    ("aphvf", "Runs the 1440 helpline, counselling and the shelter.",
     "Λειτουργεί τη γραμμή 1440, τη συμβουλευτική και το καταφύγιο.", "Marios Kyriakou", "President"),
    ("cy-police", "Responds to incidents, receives complaints and refers victims with their consent.",
     "Ανταποκρίνεται σε περιστατικά, δέχεται καταγγελίες και παραπέμπει θύματα με τη συγκατάθεσή τους.",
     "Andreas Constantinou", "Divisional Commander, Nicosia"),
    ("nicosia-welfare", "Protects the children and supports housing and income.",
     "Προστατεύει τα παιδιά και στηρίζει τη στέγαση και το εισόδημα.", "Andreas Panayides", "District Welfare Officer"),
]

NICOSIA_PATHWAYS = [
    {
        "name": {"en": "From the police: urgent placement in the shelter",
                 "el": "Από την Αστυνομία: επείγουσα φιλοξενία στο καταφύγιο"},
        "entry_point": "police", "service": "shelter", "urgent": True,
        "criteria": {"en": "Present danger; the victim cannot stay at home safely.",
                     "el": "Άμεσος κίνδυνος· το θύμα δεν μπορεί να παραμείνει με ασφάλεια στο σπίτι."},
        "steps": [
            ({"en": "Make the victim and children safe and call the APHVF on-call worker.",
              "el": "Εξασφάλιση της ασφάλειας θύματος και παιδιών και κλήση στην εφημερεύουσα λειτουργό του ΣΠΑΒΟ."},
             "police", 2 * H),
            ({"en": "Reception at the shelter, the same day.", "el": "Υποδοχή στο καταφύγιο, την ίδια ημέρα."},
             "shelter", 6 * H),
            ({"en": "Welfare officer assesses the children's needs.",
              "el": "Ο λειτουργός ευημερίας αξιολογεί τις ανάγκες των παιδιών."}, "social_service", 1 * DAY),
        ],
    },
    {
        "name": {"en": "From the police: ordinary referral for support",
                 "el": "Από την Αστυνομία: συνήθης παραπομπή για στήριξη"},
        "entry_point": "police", "service": "psychological", "urgent": False,
        "criteria": {"en": "Incident without present danger; the victim agrees to be contacted.",
                     "el": "Περιστατικό χωρίς άμεσο κίνδυνο· το θύμα συμφωνεί να επικοινωνήσουν μαζί του."},
        "steps": [
            ({"en": "Referral form sent to APHVF with the victim's consent.",
              "el": "Αποστολή εντύπου παραπομπής στον ΣΠΑΒΟ με τη συγκατάθεση του θύματος."}, "police", 1 * DAY),
            ({"en": "First contact with the victim (within 3 working days).",
              "el": "Πρώτη επαφή με το θύμα (εντός 3 εργάσιμων ημερών)."}, "victim_support", 72 * H),
        ],
    },
    {
        "name": {"en": "From social welfare: referral to counselling",
                 "el": "Από τις Υπηρεσίες Κοινωνικής Ευημερίας: παραπομπή για συμβουλευτική"},
        "entry_point": "social_services", "service": "psychological", "urgent": False,
        "criteria": {"en": "Violence disclosed during welfare work.",
                     "el": "Αποκάλυψη βίας κατά την εργασία των υπηρεσιών ευημερίας."},
        "steps": [
            ({"en": "Referral form sent with the victim's consent.",
              "el": "Αποστολή εντύπου παραπομπής με τη συγκατάθεση του θύματος."}, "social_service", 2 * DAY),
            ({"en": "First contact with the victim (within 3 working days).",
              "el": "Πρώτη επαφή με το θύμα (εντός 3 εργάσιμων ημερών)."}, "victim_support", 72 * H),
        ],
    },
    {
        "name": {"en": "From APHVF: report to the police", "el": "Από τον ΣΠΑΒΟ: καταγγελία στην Αστυνομία"},
        "entry_point": "support_centre", "service": "police", "urgent": False,
        "criteria": {"en": "The victim asks to report the violence.", "el": "Το θύμα ζητά να καταγγείλει τη βία."},
        "steps": [
            ({"en": "Appointment arranged with the police liaison officer; the counsellor accompanies the victim.",
              "el": "Κανονίζεται ραντεβού με τον αστυνομικό-σύνδεσμο· η σύμβουλος συνοδεύει το θύμα."},
             "victim_support", 2 * DAY),
            ({"en": "Statement taken by trained officers in a private room.",
              "el": "Λήψη κατάθεσης από εκπαιδευμένους αστυνομικούς σε ιδιωτικό χώρο."}, "police", 2 * DAY),
        ],
    },
]

NICOSIA_RULES = [
    ("police", ["identity", "contact", "incidents", "risk", "perpetrator", "justice"], "consent",
     {"en": "Without consent only for a present danger to life.",
      "el": "Χωρίς συγκατάθεση μόνο σε άμεσο κίνδυνο για τη ζωή."}),
    ("victim_support", ["identity", "contact", "incidents", "risk", "needs", "children", "services"], "consent",
     {"en": "", "el": ""}),
    ("shelter", ["identity", "contact", "risk", "children", "safety_plan"], "vital_interests",
     {"en": "Urgent placements only.", "el": "Μόνο για επείγουσα φιλοξενία."}),
    ("social_service", ["identity", "contact", "needs", "children"], "consent", {"en": "", "el": ""}),
]


# ---- writing ---------------------------------------------------------------------------------

def _put(obj, field, values: dict):
    """Every language given, straight into its column (never the plain field name)."""
    for language, value in values.items():
        setattr(obj, texts.column(field, language), value)


def _organisations() -> dict:
    organisations = {}
    for data in ORGANISATIONS:
        values = {k: v for k, v in data.items() if k != "slug"}
        organisations[data["slug"]], _created = Organisation.objects.update_or_create(slug=data["slug"], defaults=values)
    return organisations


def _staff(password, rows=None) -> list[tuple]:
    """The demo users of `rows` (STAFF by default), created once, with their logins."""
    from rete.core.demo import demo_email

    rows = STAFF if rows is None else rows
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[row[0] for row in rows])}
    logins = []
    for org_slug, role, first, last, language, tz in rows:
        email = demo_email(org_slug, role)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last,
                                            language=language, time_zone=tz)
        Membership.objects.get_or_create(user=user, organisation=organisations[org_slug], role=role, ended_at=None)
        logins.append((email, password, str(Role(role).label), organisations[org_slug].short_name))
    return logins


def _version(protocol, *, number, status, source, sections, parties, pathways, rules, created_at, by, **dates):
    version = ProtocolVersion(protocol=protocol, number=number, status=status, source_language=source, created_by=by,
                              **dates)
    for field, values in sections.items():
        _put(version, field, values)
    version.save()
    ProtocolVersion.objects.filter(pk=version.pk).update(created_at=created_at)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[row[0] for row in parties])}
    languages = [source, *[code for code in sections["purpose"] if code != source]]
    for slug, *roles, signatory, position in parties:
        party = ProtocolParty(version=version, organisation=organisations[slug], signatory_name=signatory,
                              signatory_title=position)
        _put(party, "role", dict(zip(languages, roles)))
        party.save()
    for position, data in enumerate(pathways, start=1):
        pathway = Pathway(version=version, position=position, entry_point=data["entry_point"], service=data["service"],
                          urgent=data["urgent"])
        _put(pathway, "name", data["name"])
        _put(pathway, "criteria", data["criteria"])
        pathway.save()
        for step_position, (action, kind, hours) in enumerate(data["steps"], start=1):
            step = PathwayStep(pathway=pathway, position=step_position, responsible_kind=kind, time_limit_hours=hours)
            _put(step, "action", action)
            step.save()
    for kind, categories, basis, note in rules:
        rule = SharingRule(version=version, receiver_kind=kind, categories=categories, legal_basis=basis)
        _put(rule, "note", note)
        rule.save()
    return version


def _signed_on_paper(version, when):
    """Every party's sign-off, recorded by the coordinator from the signed paper copies."""
    ProtocolParty.objects.filter(version=version).update(signed_off_at=when, signed_off_by=None)


def _protocol(organisation, *, title, territory, by) -> Protocol:
    protocol = Protocol(organisation=organisation, country=organisation.country, created_by=by)
    _put(protocol, "title", title)
    _put(protocol, "territory", territory)
    protocol.save()
    return protocol


def _at(days_ago, hour=10):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _milan(coordinator) -> bool:
    from rete.core.demo import demo_email

    cipm = Organisation.objects.get(slug="cipm")
    if Protocol.objects.filter(organisation=cipm, **{texts.column("title", "it"): MILAN_TITLE["it"]}).exists():
        return False
    protocol = _protocol(cipm, title=MILAN_TITLE, territory={"it": "Comune di Milano", "en": "Municipality of Milan"},
                         by=coordinator)
    adopted_on = _at(540)
    first = _version(protocol, number=1, status=VersionStatus.DRAFT, source="it", sections=MILAN_SECTIONS,
                     parties=MILAN_PARTIES, pathways=MILAN_PATHWAYS, rules=MILAN_RULES, created_at=_at(620), by=coordinator,
                     comments_until=(adopted_on - datetime.timedelta(days=30)).date())
    _signed_on_paper(first, adopted_on - datetime.timedelta(days=3))
    ProtocolVersion.objects.filter(pk=first.pk).update(
        status=VersionStatus.ADOPTED, circulated_at=_at(590), adopted_at=adopted_on,
        review_date=(adopted_on + datetime.timedelta(days=730)).date())
    # Version 2, circulating: the same text with the updated purpose and a faster emergency step.
    sections = {**MILAN_SECTIONS, **MILAN_V2_CHANGES}
    pathways = [dict(data) for data in MILAN_PATHWAYS]
    pathways[0] = {**pathways[0], "steps": [pathways[0]["steps"][0],
                                            (pathways[0]["steps"][1][0], "victim_support", 6 * H),
                                            pathways[0]["steps"][2]]}
    second = _version(protocol, number=2, status=VersionStatus.CIRCULATING, source="it", sections=sections,
                      parties=MILAN_PARTIES, pathways=pathways, rules=MILAN_RULES, created_at=_at(30), by=coordinator,
                      circulated_at=_at(5), comments_until=timezone.localdate() + datetime.timedelta(days=16))
    signer = User.objects.filter(email=demo_email("cipm", Role.ORG_ADMIN)).first()
    ProtocolParty.objects.filter(version=second, organisation=cipm).update(signed_off_at=_at(3, 16), signed_off_by=signer)
    for days_ago, (slug, role, section, text) in zip((4, 2), MILAN_V2_COMMENTS):
        author = User.objects.get(email=demo_email(slug, role))
        comment = ProtocolComment.objects.create(version=second, organisation=Organisation.objects.get(slug=slug),
                                                 author=author, section=section, text=text)
        ProtocolComment.objects.filter(pk=comment.pk).update(created_at=_at(days_ago, 11))
    return True


def _nicosia(coordinator) -> bool:
    enoros = Organisation.objects.get(slug="enoros")
    if Protocol.objects.filter(organisation=enoros, **{texts.column("title", "en"): NICOSIA_TITLE["en"]}).exists():
        return False
    protocol = _protocol(enoros, title=NICOSIA_TITLE, territory={"en": "Nicosia district", "el": "Επαρχία Λευκωσίας"},
                         by=coordinator)
    adopted_on = _at(705)
    version = _version(protocol, number=1, status=VersionStatus.DRAFT, source="en", sections=NICOSIA_SECTIONS,
                       parties=NICOSIA_PARTIES, pathways=NICOSIA_PATHWAYS, rules=NICOSIA_RULES, created_at=_at(780),
                       by=coordinator, comments_until=(adopted_on - datetime.timedelta(days=21)).date())
    _signed_on_paper(version, adopted_on - datetime.timedelta(days=1))
    # Adopted nearly two years ago: its review falls due within the month.
    ProtocolVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.ADOPTED, circulated_at=_at(760), adopted_at=adopted_on,
        review_date=(adopted_on + datetime.timedelta(days=730)).date())
    return True


@transaction.atomic
def load_demo_protocols(*, password=None) -> list[tuple]:
    """Idempotent: the fictional Milan and Nicosia organisations (updated), one login each, and
    the two protocols (left as they are when they exist). Returns the logins it added, as
    (e-mail, password, role, organisation) like rete.core.demo.load_demo_network."""
    from rete.core.demo import DEMO_PASSWORD, demo_email

    _organisations()
    logins = _staff(password or DEMO_PASSWORD)
    milan = _milan(User.objects.filter(email=demo_email("cipm", Role.NETWORK_COORDINATOR)).first())
    nicosia = _nicosia(User.objects.filter(email=demo_email("enoros", Role.NETWORK_COORDINATOR)).first())
    if milan or nicosia:
        audit.record(action="demo.protocols_loaded", detail={"milan": milan, "nicosia": nicosia})
    return logins


# ---- referrals and risk conferences (issue 5, part "demo") ------------------------------------
#
# Demo referrals under the two adopted protocols and two risk conferences ("Milan MARAC",
# "Nicosia MARAC"), written through the services, acting as the demo users, so that audit
# events, packages, timelines and agendas are the real ones. Every person, case and text is
# invented. Services stamp "now"; the dates that make the demo read like weeks of work (sent,
# answered, referred, held, completed) are set directly on the rows just after the service call
# that created them (see _stamp_referral and the .update() calls below). Needs the demo network,
# the protocols and the demo cases first. E-mails these services queue are not sent while the
# demo loads (the demo's addresses are .example anyway).

# People the referrals and the conferences need at the fictional Milan agencies: someone who
# works on cases at each (invented names, like STAFF above).
REFERRAL_STAFF = [
    ("milano-cav", Role.CASEWORKER, "Elena", "Brivio", "it", "Europe/Rome"),
    ("milano-sociali", Role.CASEWORKER, "Davide", "Pirovano", "it", "Europe/Rome"),
    ("milano-police", Role.POLICE_OFFICER, "Simone", "Cattaneo", "it", "Europe/Rome"),
]
# Cases opened at CAV Esempio with rete.cases.demo's own recipe: these positions in its list of
# stages are cases from "risk assessed" to "whole case file", none on hold or closed.
MILAN_CASE_POSITIONS = [8, 10, 12, 13, 14, 15, 24, 25, 26, 27]

NICOSIA_MARAC = "Nicosia MARAC"
MILAN_MARAC = "Milan MARAC"


def _referral_staff(password) -> list[tuple]:
    return _staff(password, REFERRAL_STAFF)


def _user(slug, role):
    from rete.core.demo import demo_email

    return User.objects.get(email=demo_email(slug, role))


def _milan_cases():
    """A few cases at CAV Esempio (the only Milan agency without demo cases), once."""
    import random

    from rete.cases.demo import _demo_case
    from rete.cases.models import Case

    cav = Organisation.objects.get(slug="milano-cav")
    if Case.objects.filter(organisation=cav).exists():
        return 0
    rng = random.Random(2025)
    worker, supervisor = _user("milano-cav", Role.CASEWORKER), _user("milano-cav", Role.SUPERVISOR)
    for position in MILAN_CASE_POSITIONS:
        _demo_case(rng, cav, position, worker, supervisor)
    return len(MILAN_CASE_POSITIONS)


def _cases(worker, slug, count, skip=0):
    """Open cases of `slug` that `worker` works on and that record an incident, oldest first."""
    from rete.cases.models import ACTIVE_STATUSES, Case
    from rete.cases.selectors import visibility

    cases = list(Case.objects.filter(visibility(user=worker), organisation__slug=slug, status__in=ACTIVE_STATUSES,
                                     incidents__isnull=False).distinct().order_by("pk")[skip:skip + count])
    if len(cases) < count:
        raise RuntimeError(f"The demo needs {count} open cases at {slug}; load the demo cases first.")
    return cases


def _consent(worker, case, *, sector="", agency="", days_ago=40):
    from rete.cases.models import ConsentKind
    from rete.cases.services import consent_record

    kind = ConsentKind.SHARE_SECTOR if sector else ConsentKind.SHARE_AGENCY
    consent_record(by=worker, case=case, kind=kind, sector=sector, agency=agency, method="written",
                   given_on=timezone.localdate() - datetime.timedelta(days=days_ago))


def _ago(days=0, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def _stamp_referral(referral, *, sent, due_hours, answered=None, feedback=None):
    """Date a referral the services stamped "now" as if it had been sent (and answered) then."""
    from rete.network.models import Referral, ReferralEvent, ReferralEventKind

    values = {"sent_at": sent, "due_at": sent + datetime.timedelta(hours=due_hours)}
    if answered is not None:
        values["answered_at"] = answered
    if feedback is not None:
        values["feedback_at"] = feedback
    Referral.objects.filter(pk=referral.pk).update(**values)
    events = ReferralEvent.objects.filter(referral_id=referral.pk)
    events.filter(kind=ReferralEventKind.SENT).update(at=sent)
    if answered is not None:
        events.filter(kind__in=[ReferralEventKind.ACCEPTED, ReferralEventKind.DECLINED]).update(at=answered)
    if feedback is not None:
        events.filter(kind=ReferralEventKind.FEEDBACK).update(at=feedback)


def _nicosia_referrals():
    """APHVF → Cyprus Police under the Nicosia protocol: answered with feedback, waiting,
    overdue and declined."""
    from rete.network.models import Pathway, Referral, ReferralService
    from rete.network.services import referrals as referral_services

    aphvf, police = Organisation.objects.get(slug="aphvf"), Organisation.objects.get(slug="cy-police")
    if Referral.objects.filter(from_organisation=aphvf, to_organisation=police).exists():
        return 0
    worker, officer = _user("aphvf", Role.CASEWORKER), _user("cy-police", Role.POLICE_OFFICER)
    pathway = (Pathway.objects.filter(version__protocol__organisation__slug="enoros", version__status=VersionStatus.ADOPTED,
                                      service=ReferralService.POLICE).order_by("position").first())
    limit = pathway.steps.order_by("position").first().time_limit_hours
    answered, waiting, overdue, declined = _cases(worker, "aphvf", 4)
    for case in (answered, waiting, overdue, declined):
        _consent(worker, case, sector="police")

    def send(case, request):
        return referral_services.referral_send(
            by=worker, case=case, to_organisation=police, service=ReferralService.POLICE, pathway=pathway,
            categories=["identity", "contact", "incidents", "risk", "perpetrator"], request=request)

    one = send(answered, "She wants to report the violence; please arrange a statement with a trained officer. "
                         "Her counsellor will accompany her.")
    referral_services.referral_accept(by=officer, referral=one)
    referral_services.referral_feedback(by=officer, referral=one, text=(
        "Service given: her statement was taken in a private room by trained officers, with her counsellor "
        "present. The liaison officer is her contact for the investigation."))
    _stamp_referral(one, sent=_ago(12), due_hours=limit, answered=_ago(11, 20), feedback=_ago(6))
    two = send(waiting, "She asks to report threats received by phone since the weekend.")
    _stamp_referral(two, sent=_ago(hours=5), due_hours=limit)
    three = send(overdue, "She is ready to make a complaint; please call her on the safe number in the morning.")
    _stamp_referral(three, sent=_ago(5), due_hours=limit)  # due three days ago: overdue, not answered
    four = send(declined, "Please arrange an appointment to take her statement.")
    referral_services.referral_decline(by=officer, referral=four, reason="unreachable", note=(
        "Three calls to the safe number at the agreed times, no answer. Please ask her for a new time and refer again."))
    _stamp_referral(four, sent=_ago(9), due_hours=limit, answered=_ago(7))
    return 4


def _milan_referrals():
    """Between the Milan agencies under the adopted Milan protocol: CAV Esempio → social services
    (accepted, service given), → police (waiting) and → the hospital (an emergency, without
    consent)."""
    from rete.network.models import Referral, ReferralService
    from rete.network.services import referrals as referral_services

    cav = Organisation.objects.get(slug="milano-cav")
    if Referral.objects.filter(from_organisation=cav).exists():
        return 0
    worker = _user("milano-cav", Role.CASEWORKER)
    social_worker = _user("milano-sociali", Role.CASEWORKER)
    social, police, hospital = (Organisation.objects.get(slug=slug) for slug in ("milano-sociali", "milano-police",
                                                                                  "milano-ospedale"))
    to_social, to_police, to_hospital = _cases(worker, "milano-cav", 3, skip=7)
    _consent(worker, to_social, sector="social")
    _consent(worker, to_police, sector="police")
    one = referral_services.referral_send(
        by=worker, case=to_social, to_organisation=social, service=ReferralService.SOCIAL,
        categories=["identity", "contact", "needs", "children"],
        request="Richiesta di contributo per l'autonomia abitativa e di sostegno scolastico per i figli.")
    referral_services.referral_accept(by=social_worker, referral=one)
    referral_services.referral_feedback(by=social_worker, referral=one, text=(
        "Servizio erogato: contributo per l'affitto attivato per sei mesi; iscrizione scolastica dei figli completata."))
    _stamp_referral(one, sent=_ago(20), due_hours=referral_services.DEFAULT_DUE_HOURS, answered=_ago(19), feedback=_ago(8))
    two = referral_services.referral_send(
        by=worker, case=to_police, to_organisation=police, service=ReferralService.POLICE,
        categories=["identity", "contact", "incidents", "risk", "perpetrator"],
        request="La signora vuole sporgere denuncia: fissare un appuntamento con personale formato.")
    _stamp_referral(two, sent=_ago(hours=20), due_hours=referral_services.DEFAULT_DUE_HOURS)
    referral_services.referral_send(
        by=worker, case=to_hospital, to_organisation=hospital, service=ReferralService.HEALTH,
        categories=["identity", "contact", "risk"], urgent=True,
        request="Visita urgente e refertazione delle lesioni.",
        emergency_reason=("Ferita alla testa stanotte e non raggiungibile per il consenso scritto: "
                          "serve una visita oggi, prima che lui torni a casa."))
    return 3


def _quiet():
    """The notifications these services queue stay in memory while the demo loads."""
    from django.test.utils import override_settings

    return override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def load_demo_referrals(*, password=None) -> list[tuple]:
    """Idempotent: a case worker at each Milan agency that had none (one login each, returned as
    (e-mail, password, role, organisation)), a few cases at CAV Esempio, and the demo referrals
    (left as they are when they exist)."""
    from rete.core.demo import DEMO_PASSWORD

    with _quiet(), transaction.atomic():
        logins = _referral_staff(password or DEMO_PASSWORD)
        cases = _milan_cases()
        nicosia, milan = _nicosia_referrals(), _milan_referrals()
        if cases or nicosia or milan:
            audit.record(action="demo.referrals_loaded", detail={"cases": cases, "nicosia": nicosia, "milan": milan})
    return logins


def _at_day(days, hour=10):
    """A local date-time `days` from today (negative: in the past)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _day(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def _series(coordinator, organisation, name, *, every_days, territory, members):
    """A series with its members and their representatives (e-mails of existing demo users)."""
    from rete.network.services import conferences as conference_services

    series = conference_services.series_create(by=coordinator, organisation=organisation, name=name,
                                               country=organisation.country, territory=territory, every_days=every_days)
    own = series.members.get(organisation=organisation)
    for slug, emails in members:
        if slug == organisation.slug:
            member = own
        else:
            member = conference_services.member_add(by=coordinator, series=series,
                                                    organisation=Organisation.objects.get(slug=slug))
        for email in emails:
            conference_services.representative_add(by=coordinator, member=member, email=email)
    return series


def _refer(worker, series, case, *, days_ago, reasons, criterion=None):
    """Her consent to the risk-conference sector, then the referral (high risk when the band in
    force is high, professional judgement otherwise), dated `days_ago`."""
    from rete.network.models import ConferenceCriterion, ConferenceReferral
    from rete.network.services import conferences as conference_services

    _consent(worker, case, sector="risk_conference", days_ago=days_ago + 1)
    if criterion is None:
        band = conference_services.case_facts(case=case)["band"]
        criterion = ConferenceCriterion.HIGH_RISK if band and band["high"] else ConferenceCriterion.JUDGEMENT
    referral = conference_services.conference_refer(by=worker, case=case, series=series, criterion=criterion,
                                                    reasons=reasons)
    ConferenceReferral.objects.filter(pk=referral.pk).update(referred_at=_ago(days_ago))
    return referral


def _meeting(coordinator, series, *, days, place):
    """A meeting `days` from today with its agenda built (the waiting referrals and the cases
    with open actions); for a past one, the agenda dated two days before."""
    from rete.network.models import ConferenceMeeting
    from rete.network.services import conferences as conference_services

    meeting = conference_services.meeting_schedule(by=coordinator, series=series, starts_at=_at_day(days), place=place)
    conference_services.agenda_build(by=coordinator, meeting=meeting)
    if days < 0:
        ConferenceMeeting.objects.filter(pk=meeting.pk).update(agenda_built_at=_at_day(days - 2, 9))
    return ConferenceMeeting.objects.get(pk=meeting.pk)


def _minute(coordinator, meeting, referral, notes, decisions, actions=()):
    """The chair's minute for one case and its actions: (agency slug, owner, what, due in days)."""
    from rete.network.models import AgendaItem
    from rete.network.services import conferences as conference_services

    item = AgendaItem.objects.get(meeting=meeting, referral=referral)
    conference_services.item_record(by=coordinator, item=item, notes=notes, decisions=decisions)
    AgendaItem.objects.filter(pk=item.pk).update(updated_at=meeting.starts_at + datetime.timedelta(hours=2))
    return [conference_services.action_add(by=coordinator, item=item, agency=Organisation.objects.get(slug=slug),
                                           owner=owner, description=what, due_on=_day(due))
            for slug, owner, what, due in actions]


def _close_meeting(coordinator, meeting):
    """Held at the date it was scheduled; minutes sent the day after."""
    from rete.network.models import ConferenceMeeting
    from rete.network.services import conferences as conference_services

    conference_services.meeting_held(by=coordinator, meeting=meeting)
    conference_services.minutes_send(by=coordinator, meeting=meeting)
    ConferenceMeeting.objects.filter(pk=meeting.pk).update(
        held_at=meeting.starts_at + datetime.timedelta(hours=2), minutes_sent_at=meeting.starts_at + datetime.timedelta(days=1))


def _progress(by, action, status, *, days, note=""):
    """The responsible agency reports progress; dated `days` from today (done or not: completed
    that day)."""
    from rete.network.models import ConferenceAction, ConferenceActionUpdate
    from rete.network.services import conferences as conference_services

    conference_services.action_update(by=by, action=action, status=status, note=note)
    if status in ("done", "not_done"):
        ConferenceAction.objects.filter(pk=action.pk).update(completed_on=_day(days))
    last = ConferenceActionUpdate.objects.filter(action_id=action.pk).order_by("-pk").first()
    ConferenceActionUpdate.objects.filter(pk=last.pk).update(at=_at_day(days, 16))


def _milan_marac():
    """Milan MARAC, coordinated by CIPM every 14 days: two meetings held (23 and 9 days ago,
    minutes sent) and the next one in 5 days with its agenda built. Actions done on time, one
    done late, one open and overdue, one still in progress carried over; case A comes back as a
    repeat after a new incident recorded after the first meeting."""
    from rete.cases.services import incident_record
    from rete.network.models import ConferenceReferral, ConferenceSeries

    cipm = Organisation.objects.get(slug="cipm")
    if ConferenceSeries.objects.filter(organisation=cipm, name=MILAN_MARAC).exists():
        return False
    coordinator = _user("cipm", Role.NETWORK_COORDINATOR)
    worker = _user("milano-cav", Role.CASEWORKER)
    police, social = _user("milano-police", Role.POLICE_OFFICER), _user("milano-sociali", Role.CASEWORKER)
    hospital = _user("milano-ospedale", Role.ORG_ADMIN)
    from rete.core.demo import demo_email

    series = _series(coordinator, cipm, MILAN_MARAC, every_days=14, territory="Comune di Milano", members=[
        ("cipm", [demo_email("cipm", Role.PROGRAMME_COORDINATOR)]),
        ("milano-cav", [worker.email, demo_email("milano-cav", Role.SUPERVISOR)]),
        ("milano-police", [police.email]),
        ("milano-sociali", [social.email]),
        ("milano-ospedale", [hospital.email]),
    ])
    case_a, case_b, case_c, case_d, case_e, case_f, case_g = _cases(worker, "milano-cav", 7)
    place = "CIPM, sala riunioni (demo) / videochiamata"

    # Meeting 1, 23 days ago: cases A, B and C.
    a = _refer(worker, series, case_a, days_ago=30, reasons="Minacce di morte ripetute e accesso a un'arma da caccia.")
    b = _refer(worker, series, case_b, days_ago=28, reasons="Separazione in corso, lui si presenta sotto casa ogni sera.")
    c = _refer(worker, series, case_c, days_ago=26, reasons="Strangolamento riferito durante l'ultimo episodio.")
    first = _meeting(coordinator, series, days=-23, place=place)
    (a_police, a_health) = _minute(
        coordinator, first, a, "Rischio elevato; la signora è disposta a sporgere denuncia.",
        "Denuncia con personale formato; visita di controllo in pronto soccorso.",
        [("milano-police", police, "Fissare la denuncia con personale formato e valutare il ritiro dell'arma.", -16),
         ("milano-ospedale", hospital, "Visita di controllo e refertazione delle lesioni.", -20)])
    (b_social,) = _minute(coordinator, first, b, "Bisogno abitativo urgente dopo la separazione.",
                          "Contributo per l'autonomia abitativa.",
                          [("milano-sociali", social, "Attivare il contributo per l'affitto.", -15)])
    (c_cav,) = _minute(coordinator, first, c, "Piano di sicurezza da rivedere dopo l'ultimo episodio.",
                       "Revisione del piano di sicurezza con la signora.",
                       [("milano-cav", worker, "Rivedere il piano di sicurezza con la signora.", -8)])
    _close_meeting(coordinator, first)
    _progress(hospital, a_health, "done", days=-21)  # on time
    _progress(police, a_police, "done", days=-17)  # on time
    _progress(worker, c_cav, "in_progress", days=-14, note="Primo colloquio fatto.")  # open at the next meeting
    _progress(social, b_social, "done", days=-12)  # three days late

    # A new incident on case A after the first meeting: the case comes back as a repeat.
    incident_record(by=worker, case=case_a, incident_date=_day(-15), reported_on=_day(-14), place_type="home",
                    gbv_type="physical_assault", context_flags=["ipv"], narrative="Lui l'ha spinta per le scale.",
                    reported_to_police=True, injuries=True, medical_care=False)
    a_repeat = ConferenceReferral.objects.filter(case=case_a, series=series, repeat=True).order_by("-pk").first()
    ConferenceReferral.objects.filter(pk=a_repeat.pk).update(referred_at=_ago(14))
    d = _refer(worker, series, case_d, days_ago=20, reasons="Violazione ripetuta del divieto di avvicinamento.")
    e = _refer(worker, series, case_e, days_ago=12, reasons="Gravidanza e violenza fisica recente.")

    # Meeting 2, 9 days ago: D, E, the repeat of A, and C carried over (its action still open).
    second = _meeting(coordinator, series, days=-9, place=place)
    (d_police,) = _minute(coordinator, second, d, "Lui non rispetta il divieto di avvicinamento.",
                          "Segnalazione della violazione alla procura.",
                          [("milano-police", police, "Verificare la violazione e informare il pubblico ministero.", -2)])
    (e_health,) = _minute(coordinator, second, e, "Controlli in gravidanza regolari.", "Referto al CAV con il suo consenso.",
                          [("milano-ospedale", hospital, "Inviare il referto al CAV.", -5)])
    (a_shelter,) = _minute(coordinator, second, a_repeat, "Nuovo episodio dopo la prima conferenza.",
                           "Valutare l'ingresso in casa rifugio.",
                           [("milano-cav", worker, "Valutare con la signora l'ingresso in casa rifugio.", 10)])
    _minute(coordinator, second, c, "Piano di sicurezza in revisione.", "Azione confermata.")
    _close_meeting(coordinator, second)
    _progress(worker, c_cav, "done", days=-8)  # on time
    _progress(hospital, e_health, "done", days=-6)  # on time
    _progress(worker, a_shelter, "in_progress", days=-4, note="Colloquio fissato.")
    # d_police stays open: overdue since two days.

    # Meeting 3, in 5 days: F and G waiting, D and the repeat of A carried over.
    _refer(worker, series, case_f, days_ago=3, reasons="Minacce via messaggi dopo la denuncia.")
    _refer(worker, series, case_g, days_ago=1, reasons="Figli testimoni di violenza; lui ha perso il lavoro.")
    _meeting(coordinator, series, days=5, place=place)
    return True


def _nicosia_marac():
    """Nicosia MARAC, coordinated by Enoros every 28 days, with APHVF, the Cyprus Police and the
    welfare office: two cases waiting and the first meeting in 9 days, its agenda built."""
    from rete.core.demo import demo_email
    from rete.network.models import ConferenceSeries

    enoros = Organisation.objects.get(slug="enoros")
    if ConferenceSeries.objects.filter(organisation=enoros, name=NICOSIA_MARAC).exists():
        return False
    coordinator = _user("enoros", Role.NETWORK_COORDINATOR)
    worker, officer = _user("aphvf", Role.CASEWORKER), _user("cy-police", Role.POLICE_OFFICER)
    series = _series(coordinator, enoros, NICOSIA_MARAC, every_days=28, territory="Nicosia district", members=[
        ("aphvf", [worker.email, demo_email("aphvf", Role.SUPERVISOR)]),
        ("cy-police", [officer.email]),
        ("nicosia-welfare", [demo_email("nicosia-welfare", Role.ORG_ADMIN)]),
    ])
    (from_aphvf,) = _cases(worker, "aphvf", 1, skip=4)
    (from_police,) = _cases(officer, "cy-police", 1)
    _refer(worker, series, from_aphvf, days_ago=4, reasons="Threats to kill after she asked for a divorce.")
    _refer(officer, series, from_police, days_ago=2, reasons="Third call-out this year; the children witnessed it.")
    _meeting(coordinator, series, days=9, place="Enoros meeting room (demo) / video call")
    return True


def load_demo_conferences() -> int:
    """Idempotent: the Milan and Nicosia risk conferences (left as they are when they exist).
    Needs load_demo_referrals first (its Milan case workers and cases). Returns how many series
    it added."""
    with _quiet(), transaction.atomic():
        added = [name for name, made in ((MILAN_MARAC, _milan_marac()), (NICOSIA_MARAC, _nicosia_marac())) if made]
        if added:
            audit.record(action="demo.conferences_loaded", detail={"series": len(added)})
    return len(added)
