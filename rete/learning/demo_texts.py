"""The texts of the demo practices (rete.learning.demo): each in its organisation's language, with
an English translation. The practices are those the STEP4GBV partners piloted and exchanged;
every figure, place detail and person behind them here is INVENTED for the demo."""

SALVAMAMME_IT = {
    "title": "Valigia di salvataggio: un kit d'emergenza per le donne che lasciano casa",
    "summary": (
        "Un trolley preparato dalle volontarie con beni di prima necessità, una busta per le copie dei documenti e i "
        "numeri utili, consegnato alla donna che deve allontanarsi in fretta da una relazione violenta insieme a un "
        "piano di sicurezza costruito con l'operatrice."),
    "description": (
        "Molte donne che subiscono violenza dal partner rimandano la decisione di andarsene perché temono di "
        "ritrovarsi senza nulla: vestiti, medicine, documenti, qualcosa per i figli. La valigia di salvataggio "
        "risponde a questo timore concreto. Ogni valigia è preparata su misura (taglie, età dei bambini, esigenze di "
        "salute) e consegnata in un luogo sicuro, oppure custodita presso l'associazione finché la donna non è "
        "pronta.\n\n"
        "La consegna non è mai un gesto isolato: avviene dentro un colloquio con l'operatrice, che valuta il rischio, "
        "concorda con la donna un piano di sicurezza e la mette in contatto con i servizi della rete territoriale "
        "(centro antiviolenza, casa rifugio, consulenza legale)."),
    "how_it_works": (
        "1. Al primo colloquio l'operatrice valuta il rischio e chiede se e dove la donna può tenere una borsa senza "
        "che il partner se ne accorga.\n"
        "2. Le volontarie preparano la valigia entro 48 ore: cambi di abiti, prodotti per l'igiene, un telefono di "
        "riserva con caricabatterie, una piccola somma per i trasporti, l'occorrente per i bambini.\n"
        "3. La donna riceve una busta impermeabile per le copie dei documenti (carta d'identità, tessera sanitaria, "
        "atti del procedimento) e una scheda con i numeri utili, tra cui il 1522.\n"
        "4. Si decide insieme dove custodire la valigia: presso l'associazione, da una persona di fiducia o, se è "
        "sicuro, a casa.\n"
        "5. Entro due settimane l'operatrice ricontatta la donna per aggiornare il piano di sicurezza."),
    "evidence": (
        "Tra il 2016 e il 2018 a Roma sono state consegnate circa 300 valigie. Un questionario anonimo compilato da 64 "
        "donne a tre mesi dalla consegna indica che otto su dieci si sono sentite più pronte ad allontanarsi e che sei "
        "su dieci si sono rivolte a un altro servizio della rete nei mesi successivi."),
    "resources": (
        "Un'operatrice formata per il colloquio e la valutazione del rischio; due o tre volontarie per preparare le "
        "valigie; un piccolo magazzino; circa 80 euro per valigia, coperti in gran parte da donazioni di beni."),
    "sustainability": (
        "Le valigie sono finanziate con donazioni di privati e di imprese e con raccolte periodiche nelle scuole e "
        "nelle parrocchie. Un accordo con alcune farmacie del quartiere copre i prodotti per l'igiene. Il costo "
        "contenuto permette di proseguire anche senza un finanziamento pubblico dedicato."),
    "transferability": (
        "Può essere adottata da qualsiasi centro antiviolenza o servizio sociale che disponga di una rete di "
        "volontariato. Va adattata al contesto: nelle aree rurali la custodia presso il centro è meno praticabile e "
        "serve un punto di consegna alternativo, per esempio una farmacia o un ambulatorio."),
}

SALVAMAMME_EN = {
    "title": "Safety luggage: an emergency kit for women leaving home",
    "summary": (
        "A trolley bag packed by volunteers with essentials, a pouch for copies of documents and useful numbers, "
        "handed to a woman who has to leave a violent relationship in a hurry, together with a safety plan made with "
        "her caseworker."),
    "description": (
        "Many women who experience violence from a partner put off leaving because they fear ending up with nothing: "
        "clothes, medicines, documents, something for the children. The safety luggage answers that concrete fear. "
        "Each bag is packed for the woman (sizes, the children's ages, health needs) and handed over in a safe place, "
        "or kept at the association until she is ready.\n\n"
        "The handover is never a gesture on its own: it happens within a meeting with the caseworker, who assesses "
        "the risk, agrees a safety plan with the woman and puts her in touch with the local network (anti-violence "
        "centre, shelter, legal advice)."),
    "how_it_works": (
        "1. At the first meeting the caseworker assesses the risk and asks whether and where the woman can keep a bag "
        "without her partner noticing.\n"
        "2. Volunteers pack the bag within 48 hours: changes of clothes, toiletries, a spare phone with a charger, a "
        "little money for transport, what the children need.\n"
        "3. The woman receives a waterproof pouch for copies of her documents (identity card, health card, court "
        "papers) and a card with useful numbers, including 1522.\n"
        "4. They decide together where the bag is kept: at the association, with someone she trusts or, if it is "
        "safe, at home.\n"
        "5. Within two weeks the caseworker calls the woman back to update the safety plan."),
    "evidence": (
        "Between 2016 and 2018 about 300 bags were handed over in Rome. An anonymous questionnaire answered by 64 "
        "women three months after the handover shows that eight in ten felt better prepared to leave and six in ten "
        "turned to another service of the network in the following months."),
    "resources": (
        "A caseworker trained in the first meeting and in risk assessment; two or three volunteers to pack the bags; "
        "a small storeroom; about 80 euros per bag, mostly covered by donated goods."),
    "sustainability": (
        "The bags are funded by donations from individuals and businesses and by regular collections in schools and "
        "parishes. An agreement with some local pharmacies covers the toiletries. The low cost lets the practice "
        "continue without dedicated public funding."),
    "transferability": (
        "Any anti-violence centre or social service with a network of volunteers can adopt it. It needs adapting to "
        "the setting: in rural areas keeping the bag at the centre is less practical and another handover point is "
        "needed, for instance a pharmacy or a health clinic."),
}

DEMETRA_BG = {
    "title": "Структуриран модел за терапевтични програми: оценка, подкрепа, защита",
    "summary": (
        "Общ модел, по който екипът планира и документира работата с пострадали от домашно насилие и с извършители: "
        "всяка програма преминава през три задължителни модула – оценка, подкрепа и защита – с ясни стъпки, срокове "
        "и отговорности."),
    "description": (
        "Преди въвеждането на модела всеки консултант водеше случаите по свой начин и беше трудно да се проследи "
        "дали рискът е оценен и дали мерките за защита са актуални. Структурираният модел въвежда общ език за целия "
        "екип.\n\n"
        "Модулът „Оценка“ обхваща нуждите, ресурсите и риска. Модулът „Подкрепа“ описва индивидуалните и груповите "
        "сесии и целите, договорени с клиента. Модулът „Защита“ гарантира, че безопасността на пострадалата и на "
        "децата се преглежда при всяка промяна – включително когато в програма участва извършителят."),
    "how_it_works": (
        "1. В първите две срещи консултантът попълва модула за оценка: история на насилието, риск, нужди и ресурси.\n"
        "2. Заедно с клиента се определят до три цели за подкрепа и броят на сесиите.\n"
        "3. Планът за защита се изготвя или преглежда при всяка оценка на риска и при всяко съществено събитие.\n"
        "4. На всеки три месеца екипът обсъжда случая на супервизия и отбелязва напредъка по целите.\n"
        "5. При приключване се попълва заключителна оценка и се планира проследяваща среща."),
    "evidence": (
        "През 2018 г. моделът е приложен при 46 пострадали и 18 извършители. Вътрешен преглед на досиетата показва, "
        "че делът на случаите с актуална оценка на риска е нараснал от около половината до почти всички. "
        "Консултантите отчитат, че случаите се предават по-лесно, когато колега отсъства."),
    "resources": (
        "Двудневно обучение на екипа, формуляри на хартия или в електронна система, супервизия веднъж месечно. Не са "
        "нужни допълнителни щатни бройки."),
    "sustainability": (
        "Моделът е включен във вътрешните правила на сдружението и във въвеждащото обучение на новите служители. "
        "Формулярите се преразглеждат веднъж годишно."),
    "transferability": (
        "Подходящ е за всяка организация, която консултира пострадали или провежда програми за извършители. Модулът "
        "„Защита“ трябва да се съгласува с местния механизъм за сътрудничество с полицията и социалните служби."),
}

DEMETRA_EN = {
    "title": "A structured template for therapeutic programmes: assessment, support, protection",
    "summary": (
        "A shared template by which the team plans and records its work with survivors of domestic violence and "
        "with perpetrators: every programme goes through three compulsory modules – assessment, support and "
        "protection – with clear steps, deadlines and responsibilities."),
    "description": (
        "Before the template, each counsellor ran cases in their own way and it was hard to tell whether the risk "
        "had been assessed and whether the protective measures were up to date. The structured template gives the "
        "whole team a common language.\n\n"
        "The assessment module covers needs, resources and risk. The support module describes the individual and "
        "group sessions and the goals agreed with the client. The protection module makes sure that the safety of "
        "the survivor and the children is reviewed at every change – including when the perpetrator takes part in "
        "a programme."),
    "how_it_works": (
        "1. In the first two meetings the counsellor fills in the assessment module: history of violence, risk, "
        "needs and resources.\n"
        "2. Together with the client they set up to three support goals and the number of sessions.\n"
        "3. The protection plan is drawn up or reviewed at every risk assessment and after every significant event.\n"
        "4. Every three months the team discusses the case in supervision and notes progress on the goals.\n"
        "5. At closure a final assessment is filled in and a follow-up meeting is planned."),
    "evidence": (
        "In 2018 the template was used with 46 survivors and 18 perpetrators. An internal review of the files shows "
        "that the share of cases with an up-to-date risk assessment rose from about half to nearly all. Counsellors "
        "report that cases are easier to hand over when a colleague is away."),
    "resources": (
        "Two days of training for the team, forms on paper or in an electronic system, supervision once a month. "
        "No additional posts are needed."),
    "sustainability": (
        "The template is part of the association's internal rules and of the induction training of new staff. The "
        "forms are reviewed once a year."),
    "transferability": (
        "It suits any organisation that counsels survivors or runs perpetrator programmes. The protection module "
        "has to be aligned with the local cooperation mechanism with the police and social services."),
}

APHVF_EL = {
    "title": "Πρωτόκολλο γραπτής συνομιλίας (chat) για τη γραμμή 1440",
    "summary": (
        "Γραπτό πρωτόκολλο για τις συνομιλίες μέσω chat και SMS της γραμμής 1440: πώς ελέγχεται αν η συνομιλία είναι "
        "ασφαλής, πώς αξιολογείται ο κίνδυνος χωρίς φωνή και πώς η συνομιλία καταλήγει, όταν χρειάζεται, σε "
        "παραπομπή σε υπηρεσία."),
    "description": (
        "Πολλές γυναίκες δεν μπορούν να μιλήσουν στο τηλέφωνο όταν ο δράστης βρίσκεται στο ίδιο σπίτι. Η γραπτή "
        "συνομιλία τούς επιτρέπει να ζητήσουν βοήθεια σιωπηλά, αλλά φέρνει νέους κινδύνους: ο δράστης μπορεί να "
        "διαβάσει τα μηνύματα ή να γράφει ο ίδιος.\n\n"
        "Το πρωτόκολλο δίνει στις συμβούλους ένα κοινό πλαίσιο: ερωτήσεις ασφάλειας στην αρχή, λέξη-κλειδί για άμεσο "
        "τερματισμό, σύντομα και σαφή μηνύματα, και κανόνες για το πότε ειδοποιείται η Αστυνομία."),
    "how_it_works": (
        "1. Η σύμβουλος ρωτά πρώτα αν η γυναίκα είναι μόνη και αν η συσκευή που χρησιμοποιεί είναι ασφαλής.\n"
        "2. Συμφωνείται μια λέξη-κλειδί: αν τη γράψει, η συνομιλία τερματίζεται και δεν στέλνεται άλλο μήνυμα.\n"
        "3. Η αξιολόγηση κινδύνου γίνεται με λίγες, κλειστές ερωτήσεις.\n"
        "4. Σε άμεσο κίνδυνο η σύμβουλος ζητά τη συναίνεσή της και ειδοποιεί το 112 ή την Αστυνομία.\n"
        "5. Στο τέλος η σύμβουλος εξηγεί πώς διαγράφεται το ιστορικό και προτείνει το επόμενο βήμα: ραντεβού, "
        "καταφύγιο ή νομική συμβουλή."),
    "evidence": (
        "Το 2018 η γραμμή δέχτηκε περισσότερες από 900 γραπτές συνομιλίες. Η ανάλυση δείγματος 120 συνομιλιών έδειξε "
        "ότι η αξιολόγηση κινδύνου ολοκληρώθηκε στο 85% των περιπτώσεων, έναντι 60% πριν από το πρωτόκολλο. Οι "
        "σύμβουλοι αναφέρουν ότι νιώθουν πιο σίγουρες στις δύσκολες συνομιλίες."),
    "resources": (
        "Εκπαιδευμένες σύμβουλοι σε βάρδιες, πλατφόρμα συνομιλίας με κρυπτογράφηση, εβδομαδιαία εποπτεία και "
        "τετραήμερη εκπαίδευση για κάθε νέα σύμβουλο."),
    "sustainability": (
        "Η γραμμή 1440 λειτουργεί όλο το εικοσιτετράωρο με κρατική χρηματοδότηση και δωρεές. Το πρωτόκολλο έχει "
        "ενσωματωθεί στο εγχειρίδιο της γραμμής και αναθεωρείται κάθε χρόνο."),
    "transferability": (
        "Μπορεί να εφαρμοστεί σε κάθε γραμμή βοήθειας που προσφέρει γραπτή επικοινωνία, όπως το 1522 στην Ιταλία. "
        "Χρειάζεται προσαρμογή στη νομοθεσία για την ειδοποίηση των αρχών και στις γλώσσες των χρηστριών."),
}

APHVF_EN = {
    "title": "A written chat protocol for the 1440 helpline",
    "summary": (
        "A written protocol for the chat and text conversations of the 1440 helpline: how to check that the "
        "conversation is safe, how to assess risk without hearing a voice, and how the conversation leads, when "
        "needed, to a referral to a service."),
    "description": (
        "Many women cannot speak on the phone when the abuser is in the same house. A written conversation lets them "
        "ask for help silently, but it brings new risks: the abuser may read the messages or be the one typing.\n\n"
        "The protocol gives counsellors a common frame: safety questions first, a code word to end the chat at once, "
        "short and clear messages, and rules on when the police are alerted."),
    "how_it_works": (
        "1. The counsellor first asks whether the woman is alone and whether the device she uses is safe.\n"
        "2. They agree a code word: if she types it, the conversation ends and no further message is sent.\n"
        "3. The risk is assessed with a few closed questions.\n"
        "4. In immediate danger the counsellor asks for her consent and alerts 112 or the police.\n"
        "5. At the end the counsellor explains how to delete the history and suggests a next step: an appointment, "
        "a shelter or legal advice."),
    "evidence": (
        "In 2018 the helpline received more than 900 written conversations. An analysis of a sample of 120 "
        "conversations showed that the risk assessment was completed in 85% of them, against 60% before the "
        "protocol. Counsellors say they feel more confident in difficult conversations."),
    "resources": (
        "Trained counsellors on shifts, an encrypted chat platform, weekly supervision and four days of training for "
        "each new counsellor."),
    "sustainability": (
        "The 1440 line runs around the clock on public funding and donations. The protocol is part of the "
        "helpline's handbook and is reviewed every year."),
    "transferability": (
        "Any helpline that offers written contact can use it, such as 1522 in Italy. It needs adapting to the law on "
        "alerting the authorities and to the languages of the women who write."),
}

# Diaconia's source text changed after the English translation was made: the English evidence
# and summary are flagged as out of date (DIACONIA_CS_UPDATE is applied after translating).
DIACONIA_CS = {
    "title": "Multidisciplinární spolupráce v případech domácího násilí",
    "summary": (
        "Pravidelná setkání sociálních pracovnic, policie, orgánu sociálně-právní ochrany dětí, intervenčního centra "
        "a zdravotníků nad konkrétními případy, se společným plánem bezpečí."),
    "description": (
        "Oběť domácího násilí se často setkává s mnoha institucemi, které o sobě navzájem nevědí. Opakuje svůj "
        "příběh, dostává protichůdné rady a mezitím riziko roste.\n\n"
        "Diakonie v Praze svolává multidisciplinární tým, který se schází jednou měsíčně a v naléhavých případech do "
        "48 hodin. Případy se projednávají jen se souhlasem klientky, jinak pouze v anonymizované podobě. Výsledkem "
        "je společný plán, v němž má každá instituce své úkoly a termíny."),
    "how_it_works": (
        "1. Klíčová pracovnice s klientkou probere, jaké informace lze sdílet a s kým.\n"
        "2. Koordinátorka týmu rozešle pozvánku a krátké shrnutí případu.\n"
        "3. Na setkání tým posoudí riziko a doplní chybějící informace.\n"
        "4. Tým se dohodne na plánu bezpečí a na úkolech s termíny.\n"
        "5. Po měsíci se plnění úkolů zkontroluje; případ se uzavře, když je riziko trvale nízké."),
    "evidence": (
        "V roce 2017 tým projednal 31 případů. U většiny z nich se do šesti měsíců nezopakoval policejní zásah."),
    "resources": (
        "Koordinátorka na částečný úvazek, místnost pro setkání, dohoda o spolupráci podepsaná zapojenými "
        "institucemi a formulář souhlasu klientky."),
    "sustainability": (
        "Spolupráce je zakotvena v memorandu s městskou částí a s policií. Náklady na koordinaci hradí Diakonie z "
        "dotace na sociální služby."),
    "transferability": (
        "Model lze přenést do každého města, kde působí intervenční centrum nebo obdobná služba. Klíčové je vyjasnit "
        "pravidla sdílení informací a určit jednu instituci, která setkání svolává."),
}

DIACONIA_CS_UPDATE = {
    "summary": (
        "Pravidelná setkání sociálních pracovnic, policie, orgánu sociálně-právní ochrany dětí, intervenčního centra "
        "a zdravotníků nad konkrétními případy, se společným plánem bezpečí a jasným rozdělením úkolů mezi "
        "instituce."),
    "evidence": (
        "V letech 2017–2018 tým projednal 58 případů. U dvou třetin z nich se do šesti měsíců nezopakoval policejní "
        "zásah. Dotazník mezi členy týmu ukázal, že se zkrátila doba potřebná k zajištění bydlení nebo zdravotní "
        "péče."),
}

DIACONIA_EN = {
    "title": "Multidisciplinary cooperation in cases of domestic violence",
    "summary": (
        "Regular meetings of social workers, police, child protection services, the intervention centre and health "
        "professionals on individual cases, with a shared safety plan."),
    "description": (
        "A victim of domestic violence often meets many institutions that do not know about each other. She repeats "
        "her story, gets conflicting advice, and meanwhile the risk grows.\n\n"
        "Diaconia in Prague convenes a multidisciplinary team that meets once a month and within 48 hours in urgent "
        "cases. Cases are discussed only with the client's consent, otherwise only in anonymised form. The result is "
        "a shared plan in which each institution has its tasks and deadlines."),
    "how_it_works": (
        "1. The key worker discusses with the client what information may be shared and with whom.\n"
        "2. The team coordinator sends the invitation and a short summary of the case.\n"
        "3. At the meeting the team assesses the risk and fills in missing information.\n"
        "4. The team agrees a safety plan and tasks with deadlines.\n"
        "5. After a month the tasks are checked; the case is closed when the risk has stayed low."),
    "evidence": (
        "In 2017 the team discussed 31 cases. In most of them there was no further police call-out within six "
        "months."),
    "resources": (
        "A part-time coordinator, a meeting room, a cooperation agreement signed by the institutions involved and a "
        "client consent form."),
    "sustainability": (
        "The cooperation rests on a memorandum with the city district and the police. Diaconia covers the cost of "
        "coordination from its social services grant."),
    "transferability": (
        "The model can be taken to any town with an intervention centre or a similar service. The key is to agree "
        "the rules on sharing information and to have one institution that convenes the meetings."),
}

CIPM_IT = {
    "title": "Accoglienza e valutazione iniziale degli autori di violenza",
    "summary": (
        "Un percorso di accoglienza in tre colloqui per gli uomini che chiedono di entrare nel programma o vi sono "
        "inviati dal tribunale: motivazione, valutazione del rischio e contatto con la partner attraverso il centro "
        "antiviolenza."),
    "description": (
        "Molti uomini arrivano al CIPM su indicazione del giudice, dell'avvocato o dei servizi sociali, con una "
        "motivazione fragile e spesso con l'idea di \"dover fare un corso\". I colloqui di accoglienza servono a "
        "trasformare l'obbligo in una scelta e, soprattutto, a valutare se la partecipazione al programma è sicura "
        "per la partner e per i figli.\n\n"
        "Il percorso segue gli standard europei per i programmi rivolti agli autori: la sicurezza della vittima viene "
        "prima della motivazione dell'uomo, e la partner è contattata da un servizio distinto."),
    "how_it_works": (
        "1. Primo colloquio: informazioni sul programma, sulle regole e sui limiti della riservatezza; l'uomo firma "
        "il patto di partecipazione.\n"
        "2. Secondo colloquio: storia della violenza agita, valutazione del rischio con uno strumento strutturato, "
        "uso di alcol e sostanze.\n"
        "3. Il centro antiviolenza partner, se la donna lo desidera, la contatta per informarla e raccogliere "
        "elementi sulla sua sicurezza.\n"
        "4. Terzo colloquio: restituzione e decisione sull'idoneità, discussa in équipe.\n"
        "5. L'uomo entra nel gruppo oppure, se non idoneo, viene indirizzato a un altro servizio."),
    "evidence": (
        "Nel 2018 sono stati svolti 74 percorsi di accoglienza: il 70% degli uomini ha iniziato il gruppo e la metà "
        "di questi lo ha concluso. Gli abbandoni nelle prime settimane sono diminuiti rispetto agli anni senza un "
        "percorso strutturato."),
    "resources": (
        "Due operatori formati per ogni colloquio, uno strumento di valutazione del rischio, un accordo scritto con "
        "il centro antiviolenza per il contatto con la partner, supervisione clinica mensile."),
    "sustainability": (
        "L'accoglienza è finanziata in parte dalla Regione e in parte dai contributi dei partecipanti, commisurati "
        "al reddito."),
    "transferability": (
        "Trasferibile ai programmi per autori che lavorano in rete con un centro antiviolenza. Senza un servizio che "
        "contatti la partner il percorso non dovrebbe essere avviato."),
}

CIPM_EN = {
    "title": "Intake and initial assessment of perpetrators",
    "summary": (
        "An intake in three interviews for men who ask to join the programme or are sent by the court: motivation, "
        "risk assessment, and contact with the partner through the anti-violence centre."),
    "description": (
        "Many men come to CIPM on the advice of a judge, a lawyer or social services, with weak motivation and often "
        "with the idea that they \"have to do a course\". The intake interviews turn the obligation into a choice "
        "and, above all, assess whether taking part in the programme is safe for the partner and the children.\n\n"
        "The intake follows the European standards for perpetrator programmes: the victim's safety comes before the "
        "man's motivation, and the partner is contacted by a separate service."),
    "how_it_works": (
        "1. First interview: information on the programme, its rules and the limits of confidentiality; the man "
        "signs the participation agreement.\n"
        "2. Second interview: history of the violence used, risk assessment with a structured instrument, alcohol "
        "and drug use.\n"
        "3. The partner anti-violence centre contacts the woman, if she wishes, to inform her and gather what "
        "bears on her safety.\n"
        "4. Third interview: feedback and the decision on suitability, discussed by the team.\n"
        "5. The man joins the group or, if not suitable, is referred to another service."),
    "evidence": (
        "In 2018 there were 74 intakes: 70% of the men started the group and half of them completed it. Drop-out in "
        "the first weeks fell compared with the years without a structured intake."),
    "resources": (
        "Two trained practitioners for each interview, a risk-assessment instrument, a written agreement with the "
        "anti-violence centre for partner contact, monthly clinical supervision."),
    "sustainability": (
        "The intake is funded partly by the Region and partly by the participants' own fees, set according to "
        "income."),
    "transferability": (
        "Transferable to perpetrator programmes that work together with an anti-violence centre. Without a service "
        "that contacts the partner the intake should not be started."),
}

POLICE_EL = {
    "title": "Αξιολόγηση κινδύνου στον τόπο του περιστατικού",
    "summary": (
        "Σύντομο ερωτηματολόγιο που συμπληρώνουν οι αστυνομικοί στην πρώτη επέμβαση για βία στην οικογένεια, ώστε να "
        "αποφασίζεται αμέσως για μέτρα προστασίας και για παραπομπή στον Σύνδεσμο."),
    "description": (
        "Στην πρώτη επέμβαση ο αστυνομικός έχει λίγα λεπτά και πολλές πληροφορίες. Χωρίς κοινό εργαλείο, η εκτίμηση "
        "του κινδύνου εξαρτάται από την εμπειρία του καθενός.\n\n"
        "Το ερωτηματολόγιο έχει δεκαπέντε ερωτήσεις για γνωστούς παράγοντες υψηλού κινδύνου: απειλές θανάτου, "
        "στραγγαλισμό, όπλα, πρόσφατο χωρισμό, εγκυμοσύνη, ζήλια και έλεγχο. Το αποτέλεσμα καθορίζει αν ενημερώνεται "
        "αμέσως ο αξιωματικός υπηρεσίας και αν γίνεται παραπομπή την ίδια μέρα."),
    "how_it_works": (
        "1. Ο αστυνομικός μιλά με το θύμα χωριστά από τον δράστη.\n"
        "2. Συμπληρώνει τις δεκαπέντε ερωτήσεις και σημειώνει ό,τι παρατηρεί ο ίδιος.\n"
        "3. Με τρεις ή περισσότερες θετικές απαντήσεις στις κρίσιμες ερωτήσεις ο κίνδυνος θεωρείται υψηλός.\n"
        "4. Σε υψηλό κίνδυνο ενημερώνεται ο αξιωματικός υπηρεσίας και προτείνεται καταφύγιο ή μέτρα προστασίας.\n"
        "5. Με τη συναίνεση του θύματος το έντυπο διαβιβάζεται στον Σύνδεσμο για επικοινωνία μέσα σε 24 ώρες."),
    "evidence": "Το εργαλείο εφαρμόζεται πιλοτικά στη Λευκωσία από το 2018.",
    "resources": (
        "Εκπαίδευση μισής μέρας για τους αστυνομικούς πρώτης επέμβασης και το έντυπο, σε χαρτί ή σε εφαρμογή κινητού."),
    "sustainability": "Το έντυπο έχει ενσωματωθεί στις εσωτερικές οδηγίες για τα περιστατικά βίας στην οικογένεια.",
    "transferability": (
        "Μπορεί να χρησιμοποιηθεί από κάθε αστυνομική υπηρεσία, αφού οι ερωτήσεις ελεγχθούν στον τοπικό πληθυσμό."),
}

POLICE_EN = {
    "title": "Risk assessment at the scene",
    "summary": (
        "A short questionnaire that officers fill in at the first call-out for family violence, so that protective "
        "measures and a referral to the Association are decided at once."),
    "description": (
        "At the first call-out an officer has a few minutes and a great deal of information. Without a shared tool, "
        "the estimate of risk depends on each officer's experience.\n\n"
        "The questionnaire has fifteen questions on known high-risk factors: threats to kill, strangulation, "
        "weapons, recent separation, pregnancy, jealousy and control. The result decides whether the duty officer is "
        "told at once and whether a referral is made the same day."),
    "how_it_works": (
        "1. The officer speaks with the victim apart from the suspect.\n"
        "2. The officer answers the fifteen questions and notes what they observe themselves.\n"
        "3. With three or more yes answers to the critical questions the risk is high.\n"
        "4. At high risk the duty officer is told and a shelter or protective measures are offered.\n"
        "5. With the victim's consent the form goes to the Association, which makes contact within 24 hours."),
    "evidence": "The tool has been piloted in Nicosia since 2018.",
    "resources": "Half a day of training for first-response officers, and the form, on paper or in a mobile app.",
    "sustainability": "The form is part of the internal instructions for family-violence incidents.",
    "transferability": "Any police service can use it, once the questions have been checked with the local population.",
}

SALVAMAMME_DRAFT_IT = {
    "title": "Accompagnamento in tribunale con le volontarie",
    "summary": (
        "Volontarie formate accompagnano le donne alle udienze dei procedimenti per maltrattamenti, perché non "
        "restino sole nei corridoi del tribunale e sappiano che cosa aspettarsi."),
    "description": (
        "Il giorno dell'udienza è spesso il primo in cui la donna rivede l'uomo che l'ha maltrattata. Una volontaria "
        "la incontra prima, resta con lei durante l'attesa e la aiuta a orientarsi, in accordo con l'avvocata."),
}

SALVAMAMME_DRAFT_EN = {
    "title": "Court accompaniment by volunteers",
    "summary": (
        "Trained volunteers go with women to the hearings of abuse proceedings, so that they are not left alone in "
        "the court corridors and know what to expect."),
}

RETURN_REASON_POLICE = (
    "The basic criteria are not met yet: the evidence section gives no figures. Please add how many assessments were "
    "made, how many were high risk and what happened after the referrals.")


# ---- the four STEP4GBV transnational workshops (all held) -------------------------------------
# Sessions: (day index, start, end, title, room, speakers). Speakers are the demo network's
# fictional staff or invented guests. Participants: (full name, e-mail, organisation, kind,
# country, profession, sex, language), all invented; e-mails at example domains.

WORKSHOPS = [
    {
        "key": "nicosia", "host": "aphvf", "runner": "aphvf", "starts_on": (2018, 3, 13), "days": 2,
        "title": "STEP4GBV transnational workshop, Nicosia: supporting victims of gender-based violence",
        "description": (
            "The first transnational workshop of the STEP4GBV partnership. Partners from Cyprus, Italy, Czechia and "
            "Bulgaria meet professionals from Cypriot services to compare how victims are supported from the first "
            "contact – the helpline, the police at the scene, the support centre – and to agree which practices "
            "each partner will bring to the next workshops."),
        "agenda": (
            "Day 1: opening; needs assessment and safety planning; the 1440 helpline.\n"
            "Day 2: police first response and risk assessment; cooperation between police and support services; "
            "exchange of practices and next steps."),
        "venue": "Conference hall, Strovolos municipal centre (demo)", "city": "Nicosia", "time_zone": "Asia/Nicosia",
        "languages": ["en", "el"], "interpretation": "Simultaneous interpretation English ↔ Greek", "capacity": 30,
        "sessions": [
            (0, "09:30", "11:00", "Opening: the STEP4GBV partnership and the Cypriot context", "Main hall",
             "Marios Kyriakou (APHVF), Nikos Antoniou (Enoros)"),
            (0, "11:30", "13:00", "Needs assessment and safety planning with survivors", "Main hall",
             "Andri Georgiou (APHVF)"),
            (0, "14:30", "16:30", "The 1440 helpline: phone, chat and text conversations", "Room B",
             "Irene Stylianou (APHVF), Eleni Charalambous (APHVF)"),
            (1, "09:30", "11:00", "Police first response and risk assessment at the scene", "Main hall",
             "Christos Nicolaou (Cyprus Police)"),
            (1, "11:30", "13:00", "Cooperation between the police and support services", "Main hall",
             "Georgia Demetriou (Cyprus Police), Andri Georgiou (APHVF)"),
            (1, "14:00", "15:30", "Exchange of practices and next steps", "Main hall",
             "Despina Loizou (Enoros)"),
        ],
        "items": [
            ("Which number is the 24-hour helpline for family violence in Cyprus?",
             ["112 only", "1440", "1522", "116 006"], 1),
            ("In a chat with a woman who may not be alone, what should the counsellor do first?",
             ["Ask for her full name and address", "Check whether she is alone and her device is safe",
              "Tell her to call the police", "Send her a list of shelters"], 1),
            ("Which of these is a recognised high-risk factor in intimate-partner violence?",
             ["Previous strangulation", "The couple have been together for more than five years",
              "The victim works part-time", "The perpetrator has a university degree"], 0),
            ("Where should an officer speak with the victim at the scene?",
             ["Together with the suspect, to hear both sides", "Apart from the suspect",
              "Only the next day, at the station", "Only with a lawyer present"], 1),
            ("A safety plan is best described as…",
             ["A court order", "A personal plan, agreed with the survivor, for staying safe", "A police report",
              "A shelter's house rules"], 1),
        ],
        "members": [("aphvf", "caseworker"), ("cy-police", "police_officer"), ("salvamamme", "caseworker"),
                    ("diaconia", "caseworker"), ("demetra", "caseworker"), ("cipm", "facilitator")],
        "outsiders": [
            ("Κατερίνα Παπαδοπούλου", "k.papadopoulou@welfare-nicosia.example", "Social Welfare Services – Nicosia (demo)",
             "social_service", "CY", "social_worker", "female", "el"),
            ("Ανδρέας Χριστοφόρου", "a.christoforou@police-limassol.example", "Police – Limassol division (demo)",
             "police", "CY", "police", "male", "el"),
            ("Μαρία Κωνσταντίνου", "m.konstantinou@hospital-nicosia.example",
             "General hospital, emergency department – Nicosia (demo)", "health", "CY", "health", "female", "el"),
            ("Ελένη Σωκράτους", "eleni.socratous@counselling-larnaca.example", "Family counselling centre – Larnaca (demo)",
             "victim_support", "CY", "psychologist", "female", "el"),
            ("Γιώργος Ευαγγέλου", "g.evangelou@lawyers-nicosia.example", "Evangelou law office (demo)",
             "justice", "CY", "lawyer", "male", "el"),
            ("Σταυρούλα Νεοφύτου", "s.neophytou@school-strovolos.example", "Primary school, Strovolos (demo)",
             "social_service", "CY", "teacher", "female", "el"),
            ("Παναγιώτα Ιωάννου", "p.ioannou@welfare-larnaca.example", "Social Welfare Services – Larnaca (demo)",
             "social_service", "CY", "social_worker", "female", "el"),
            ("Χαράλαμπος Αντωνίου", "ch.antoniou@police-nicosia.example", "Police – Nicosia division (demo)",
             "police", "CY", "police", "male", "el"),
            ("Νατάσα Γεωργίου", "natasa.georgiou@mental-health-nicosia.example", "Mental health services – Nicosia (demo)",
             "health", "CY", "psychologist", "female", "el"),
            ("Δέσποινα Χαραλάμπους", "d.charalambous@prosecutors-cy.example", "Prosecution service (demo)",
             "justice", "CY", "magistrate", "female", "el"),
            ("Κωνσταντίνος Λοΐζου", "k.loizou@shelter-limassol.example", "Women's shelter – Limassol (demo)",
             "shelter", "CY", "social_worker", "male", "el"),
            ("Ιωάννα Μιχαήλ", "i.michael@research-nicosia.example", "Social research institute – Nicosia (demo)",
             "coordination", "CY", "researcher", "female", "en"),
            ("Hana Svobodová", "hana.svobodova@ic-praha.example", "Intervention centre – Prague (demo)",
             "victim_support", "CZ", "social_worker", "female", "cs"),
            ("Roberto Conti", "r.conti@consultorio-milano.example", "Family counselling service – Milan (demo)",
             "health", "IT", "psychologist", "male", "it"),
            ("Теодора Стоянова", "t.stoyanova@social-burgas.example", "Social assistance directorate – Burgas (demo)",
             "social_service", "BG", "social_worker", "female", "bg"),
        ],
    },
    {
        "key": "burgas", "host": "demetra", "runner": "demetra", "starts_on": (2018, 5, 29), "days": 2,
        "title": "STEP4GBV transnational workshop, Burgas: therapeutic programmes for survivors and perpetrators",
        "description": (
            "Demetra presents its structured template for therapeutic programmes – assessment, support, protection – "
            "and its work with survivors and perpetrators in Burgas. Participants practise the template on case "
            "studies and discuss how the protection of children is kept in view when the perpetrator takes part in "
            "a programme."),
        "agenda": (
            "Day 1: welcome and the Bulgarian context; the structured template; the group programme for "
            "perpetrators.\n"
            "Day 2: protecting children in programmes; case studies in small groups; evaluation and closing."),
        "venue": "Seminar room, Demetra Association (demo)", "city": "Burgas", "time_zone": "Europe/Sofia",
        "languages": ["en", "bg"], "interpretation": "Consecutive interpretation English ↔ Bulgarian", "capacity": 25,
        "sessions": [
            (0, "09:30", "11:00", "Welcome: domestic violence services in Bulgaria", "Seminar room",
             "Stoyan Marinov (Demetra), Kalina Georgieva (Demetra)"),
            (0, "11:30", "13:00", "The structured template: assessment, support, protection", "Seminar room",
             "Tsvetana Yordanova (Demetra), Desislava Ivanova (Demetra)"),
            (0, "14:30", "16:30", "The group programme for perpetrators in Burgas", "Seminar room",
             "Nikolay Stoyanov (Demetra), Georgi Dimitrov (Demetra)"),
            (1, "09:30", "11:00", "Protecting children when a parent is in a programme", "Seminar room",
             "Mariya Petrova (Demetra)"),
            (1, "11:30", "13:30", "Case studies in small groups", "Rooms 1 and 2",
             "Tsvetana Yordanova (Demetra), Paolo Invernizzi (CIPM)"),
            (1, "14:30", "15:30", "Evaluation and closing", "Seminar room", "Despina Loizou (Enoros)"),
        ],
        "items": [
            ("What are the three modules of Demetra's structured template?",
             ["Intake, group, closure", "Assessment, support, protection", "Referral, treatment, report",
              "Prevention, protection, prosecution"], 1),
            ("When should the protection plan be reviewed?",
             ["Only at the start", "Only at closure", "At every risk assessment and after every significant event",
              "Once a year"], 2),
            ("In a programme for perpetrators, whose safety comes first?",
             ["The facilitator's", "The man's", "The survivor's and the children's", "The court's"], 2),
            ("Which Bulgarian law provides protection orders against domestic violence?",
             ["The Law on Protection against Domestic Violence", "The Law on Civil Registration",
              "The Labour Code", "No law provides them"], 0),
            ("How many support goals does the template suggest agreeing with the client at a time?",
             ["One", "Up to three", "At least five", "As many as the client wishes"], 1),
        ],
        "members": [("demetra", "facilitator"), ("cipm", "partner_support_worker"), ("salvamamme", "caseworker"),
                    ("diaconia", "supervisor"), ("aphvf", "caseworker")],
        "outsiders": [
            ("Мария Христова", "m.hristova@social-burgas.example", "Social assistance directorate – Burgas (demo)",
             "social_service", "BG", "social_worker", "female", "bg"),
            ("Иванка Добрева", "i.dobreva@police-burgas.example", "Regional police directorate – Burgas (demo)",
             "police", "BG", "police", "female", "bg"),
            ("Петя Великова", "p.velikova@hospital-burgas.example", "Regional hospital – Burgas (demo)",
             "health", "BG", "health", "female", "bg"),
            ("Стефка Манолова", "s.manolova@crisis-burgas.example", "Crisis centre for women – Burgas (demo)",
             "shelter", "BG", "social_worker", "female", "bg"),
            ("Николай Радев", "n.radev@court-burgas.example", "District court – Burgas (demo)",
             "justice", "BG", "magistrate", "male", "bg"),
            ("Деляна Георгиева", "d.georgieva@community-burgas.example", "Community support centre – Burgas (demo)",
             "social_service", "BG", "psychologist", "female", "bg"),
            ("Росица Кирова", "r.kirova@school-burgas.example", "Secondary school – Burgas (demo)",
             "social_service", "BG", "teacher", "female", "bg"),
            ("Атанас Желев", "a.zhelev@probation-burgas.example", "Probation service – Burgas (demo)",
             "justice", "BG", "other", "male", "bg"),
            ("Гергана Тодорова", "g.todorova@lawyers-burgas.example", "Todorova law office (demo)",
             "justice", "BG", "lawyer", "female", "bg"),
            ("Виктория Петрова", "v.petrova@social-sozopol.example", "Social assistance office – Sozopol (demo)",
             "social_service", "BG", "social_worker", "female", "bg"),
            ("Милен Иванов", "m.ivanov@police-pomorie.example", "Police station – Pomorie (demo)",
             "police", "BG", "police", "male", "bg"),
            ("Цветелина Николова", "ts.nikolova@mental-health-burgas.example", "Mental health centre – Burgas (demo)",
             "health", "BG", "psychologist", "female", "bg"),
            ("Simona Esposito", "s.esposito@cav-roma.example", "Anti-violence centre – Rome (demo)",
             "victim_support", "IT", "social_worker", "female", "it"),
            ("Ρένα Παντελή", "r.panteli@welfare-paphos.example", "Social Welfare Services – Paphos (demo)",
             "social_service", "CY", "social_worker", "female", "el"),
            ("Klára Benešová", "k.benesova@child-protection-praha.example", "Child protection office – Prague 4 (demo)",
             "social_service", "CZ", "social_worker", "female", "cs"),
        ],
    },
    {
        "key": "prague", "host": "diaconia", "runner": "diaconia", "starts_on": (2018, 10, 16), "days": 2,
        "title": "STEP4GBV transnational workshop, Prague: multidisciplinary cooperation",
        "description": (
            "Diaconia shows how its multidisciplinary team brings together the police, child protection, the "
            "intervention centre and health services around one case. The workshop looks at police eviction, "
            "information sharing with the client's consent, and a simulated case conference."),
        "agenda": (
            "Day 1: Czech law on domestic violence and police eviction; the multidisciplinary team at work; sharing "
            "information with consent.\n"
            "Day 2: children exposed to violence; a simulated case conference; conclusions."),
        "venue": "Training centre, Diaconia ECCB (demo)", "city": "Praha", "time_zone": "Europe/Prague",
        "languages": ["en", "cs"], "interpretation": "Simultaneous interpretation English ↔ Czech", "capacity": 25,
        "sessions": [
            (0, "09:00", "10:30", "Domestic violence in Czech law: eviction and protection", "Hall",
             "Tomáš Veselý (Diaconia), Pavla Horká (guest speaker)"),
            (0, "11:00", "12:30", "The multidisciplinary team at work", "Hall",
             "Jana Dvořáková (Diaconia), Kateřina Malá (Diaconia)"),
            (0, "14:00", "15:30", "Sharing information with the client's consent", "Hall",
             "Lucie Krejčí (Diaconia)"),
            (1, "09:00", "10:30", "Children exposed to violence: the child-protection view", "Hall",
             "Tereza Novotná (Diaconia)"),
            (1, "11:00", "13:00", "Simulation: a case conference", "Rooms 2 and 3",
             "Kateřina Malá (Diaconia), Andri Georgiou (APHVF)"),
            (1, "14:00", "15:00", "Conclusions and the plan for the piloting phase", "Hall",
             "Nikos Antoniou (Enoros)"),
        ],
        "items": [
            ("For how long may the Czech police evict a violent person from the shared home?",
             ["24 hours", "10 days", "30 days", "6 months"], 1),
            ("A case is discussed by name at the multidisciplinary team only…",
             ["If the police ask for it", "With the client's consent", "If the risk is high", "Always"], 1),
            ("Who convenes the meetings in the Prague model?",
             ["The police", "The court", "One agreed institution, through its coordinator", "Each member in turn"], 2),
            ("Which service contacts the victim after a police eviction in Czechia?",
             ["The intervention centre", "The labour office", "The tax office", "The school"], 0),
            ("What does a shared safety plan hold?",
             ["Only the victim's wishes", "Tasks with deadlines for each institution", "The court's decision",
              "The perpetrator's statement"], 1),
            ("When may a case be closed by the team?",
             ["After the first meeting", "When the risk has stayed low", "When the police close their file",
              "Never"], 1),
        ],
        "members": [("diaconia", "caseworker"), ("aphvf", "supervisor"), ("cy-police", "police_officer"),
                    ("salvamamme", "supervisor"), ("demetra", "partner_support_worker")],
        "outsiders": [
            ("Markéta Šimková", "m.simkova@ic-praha.example", "Intervention centre – Prague (demo)",
             "victim_support", "CZ", "social_worker", "female", "cs"),
            ("Pavel Kučera", "p.kucera@police-praha.example", "Police, Prague 2 district (demo)",
             "police", "CZ", "police", "male", "cs"),
            ("Lenka Marešová", "l.maresova@child-protection-praha.example", "Child protection office – Prague 2 (demo)",
             "social_service", "CZ", "social_worker", "female", "cs"),
            ("Eva Pokorná", "e.pokorna@hospital-praha.example", "University hospital, emergency department (demo)",
             "health", "CZ", "health", "female", "cs"),
            ("Jiří Kratochvíl", "j.kratochvil@lawyers-praha.example", "Kratochvíl law office (demo)",
             "justice", "CZ", "lawyer", "male", "cs"),
            ("Barbora Holá", "b.hola@probation-praha.example", "Probation and mediation service – Prague (demo)",
             "justice", "CZ", "other", "female", "cs"),
            ("Zuzana Němcová", "z.nemcova@shelter-praha.example", "Shelter for mothers with children (demo)",
             "shelter", "CZ", "social_worker", "female", "cs"),
            ("Michaela Jelínková", "m.jelinkova@family-counselling-praha.example", "Family counselling centre (demo)",
             "social_service", "CZ", "psychologist", "female", "cs"),
            ("Ondřej Růžička", "o.ruzicka@police-praha.example", "Police, Prague 3 district (demo)",
             "police", "CZ", "police", "male", "cs"),
            ("Kateřina Urbanová", "k.urbanova@school-praha.example", "Primary school, Prague 3 (demo)",
             "social_service", "CZ", "teacher", "female", "cs"),
            ("Veronika Pešková", "v.peskova@ic-kladno.example", "Intervention centre – Kladno (demo)",
             "victim_support", "CZ", "social_worker", "female", "cs"),
            ("Radek Sýkora", "r.sykora@court-praha.example", "District court – Prague (demo)",
             "justice", "CZ", "magistrate", "male", "cs"),
            ("Francesca Moretti", "f.moretti@servizi-sociali-roma.example", "Social services – Rome (demo)",
             "social_service", "IT", "social_worker", "female", "it"),
            ("Десислава Колева", "d.koleva@social-burgas.example", "Social assistance directorate – Burgas (demo)",
             "social_service", "BG", "social_worker", "female", "bg"),
            ("Μιχάλης Πέτρου", "m.petrou@police-nicosia.example", "Police – Nicosia division (demo)",
             "police", "CY", "police", "male", "el"),
        ],
    },
    {
        "key": "milan", "host": "cipm", "runner": "cipm", "starts_on": (2019, 2, 5), "days": 3,
        "title": "STEP4GBV transnational workshop, Milan: working with perpetrators",
        "description": (
            "The last transnational workshop before the piloting phase. CIPM presents its intake, its groups for men "
            "and its work with court-mandated participants, always with the partner's safety in view. Participants "
            "practise motivational interviewing, compare risk assessment across agencies and plan the pilots that "
            "start in September."),
        "agenda": (
            "Day 1: perpetrator programmes in Italy; intake and assessment of men; partner contact and victim safety.\n"
            "Day 2: the psycho-educational group; court-mandated participants; role play on motivational "
            "interviewing.\n"
            "Day 3: risk assessment across agencies; evaluating programmes; closing and the piloting phase."),
        "venue": "Conference room, CIPM (demo)", "city": "Milano", "time_zone": "Europe/Rome",
        "languages": ["en", "it"], "interpretation": "Simultaneous interpretation English ↔ Italian", "capacity": 30,
        "sessions": [
            (0, "09:30", "11:00", "Opening: programmes for perpetrators in Italy", "Conference room",
             "Elisa Mariani (CIPM), Paolo Invernizzi (CIPM)"),
            (0, "11:30", "13:00", "Intake and assessment of men", "Conference room",
             "Silvia Colombo (CIPM), Luca Bernasconi (CIPM)"),
            (0, "14:30", "16:00", "Partner contact and the safety of women and children", "Conference room",
             "Giulia Ferraresi (CIPM), Valentina De Santis (Salvamamme)"),
            (1, "09:30", "11:00", "The psycho-educational group: methods and rules", "Conference room",
             "Luca Bernasconi (CIPM), Davide Ricci (CIPM)"),
            (1, "11:30", "13:00", "Court-mandated participants", "Conference room",
             "Paolo Invernizzi (CIPM), Marta Galbiati (guest speaker)"),
            (1, "14:30", "16:30", "Role play: motivational interviewing", "Rooms A and B",
             "Silvia Colombo (CIPM), Georgi Dimitrov (Demetra)"),
            (2, "09:30", "11:00", "Risk assessment across agencies", "Conference room",
             "Christos Nicolaou (Cyprus Police), Silvia Colombo (CIPM)"),
            (2, "11:30", "13:00", "Evaluating programmes: what to measure, and how", "Conference room",
             "Nikos Antoniou (Enoros)"),
            (2, "14:00", "15:30", "Closing: the pilots from September", "Conference room",
             "Elisa Mariani (CIPM), Despina Loizou (Enoros)"),
        ],
        "items": [
            ("In a programme for perpetrators, who contacts the partner?",
             ["The facilitator of the man's group", "A separate partner-support service", "The man himself",
              "Nobody: it would breach his confidentiality"], 1),
            ("What is the main aim of the intake interviews?",
             ["To collect the fee", "To assess motivation and whether taking part is safe for the partner and children",
              "To write the report for the court", "To diagnose a mental illness"], 1),
            ("Which statement is a sign of minimisation?",
             ["\"It was just a push, she exaggerates.\"", "\"I hit her and I am responsible for it.\"",
              "\"I want to change.\"", "\"I called the programme myself.\""], 0),
            ("Which network publishes European standards for perpetrator programmes?",
             ["The WWP European Network", "Interpol", "UNICEF", "The European Court of Auditors"], 0),
            ("A man in the group discloses a new threat against his partner. The facilitator should…",
             ["Keep it confidential", "Follow the risk procedure and inform the partner-support service",
              "Wait for the next session", "Expel him without telling anyone"], 1),
            ("Motivational interviewing relies mainly on…",
             ["Confrontation", "Open questions and reflective listening", "Sanctions", "Written tests"], 1),
        ],
        "members": [("demetra", "facilitator"), ("demetra", "partner_support_worker"), ("aphvf", "caseworker"),
                    ("cy-police", "supervisor"), ("diaconia", "caseworker"), ("salvamamme", "caseworker")],
        "outsiders": [
            ("Laura Bianchi", "l.bianchi@cav-milano.example", "Anti-violence centre – Milan (demo)",
             "victim_support", "IT", "social_worker", "female", "it"),
            ("Giovanni Rossi", "g.rossi@questura-milano.example", "Police headquarters – Milan (demo)",
             "police", "IT", "police", "male", "it"),
            ("Sara Fumagalli", "s.fumagalli@probation-milano.example", "Probation office – Milan (demo)",
             "justice", "IT", "other", "female", "it"),
            ("Alberto Villa", "a.villa@tribunale-milano.example", "Court of Milan (demo)",
             "justice", "IT", "magistrate", "male", "it"),
            ("Marta Cereda", "m.cereda@consultorio-milano.example", "Family counselling service – Milan (demo)",
             "health", "IT", "psychologist", "female", "it"),
            ("Paolo Ghezzi", "p.ghezzi@servizi-sociali-milano.example", "Municipal social services – Milan (demo)",
             "social_service", "IT", "social_worker", "male", "it"),
            ("Ilaria Sala", "i.sala@avvocati-milano.example", "Sala law office (demo)",
             "justice", "IT", "lawyer", "female", "it"),
            ("Federico Monti", "f.monti@programma-bergamo.example", "Perpetrator programme – Bergamo (demo)",
             "perpetrator_programme", "IT", "facilitator", "male", "it"),
            ("Claudia Zanetti", "c.zanetti@carcere-milano.example", "Prison treatment team – Milan (demo)",
             "justice", "IT", "psychologist", "female", "it"),
            ("Matteo Riva", "m.riva@programma-brescia.example", "Perpetrator programme – Brescia (demo)",
             "perpetrator_programme", "IT", "facilitator", "male", "it"),
            ("Anna Lombardi", "a.lombardi@ospedale-milano.example", "Hospital emergency department – Milan (demo)",
             "health", "IT", "health", "female", "it"),
            ("Elena Pirovano", "e.pirovano@ricerca-milano.example", "University psychology department (demo)",
             "coordination", "IT", "researcher", "female", "it"),
            ("Giorgia Ferri", "g.ferri@cav-roma.example", "Anti-violence centre – Rome (demo)",
             "victim_support", "IT", "psychologist", "female", "it"),
            ("Jakub Horák", "j.horak@probation-praha.example", "Probation and mediation service – Prague (demo)",
             "justice", "CZ", "other", "male", "cs"),
            ("Στέλιος Κυπριανού", "s.kyprianou@probation-nicosia.example", "Probation services – Nicosia (demo)",
             "justice", "CY", "other", "male", "el"),
            ("Благовеста Димова", "b.dimova@probation-burgas.example", "Probation service – Burgas (demo)",
             "justice", "BG", "other", "female", "bg"),
        ],
    },
]

# Free comments to the satisfaction questionnaire, in the participants' languages (invented).
SATISFACTION_COMMENTS = {
    "en": "Very useful to hear how the other countries work. More time for questions would help.",
    "el": "Πολύ χρήσιμη ανταλλαγή εμπειριών. Θα ήθελα περισσότερο χρόνο για συζήτηση περιπτώσεων.",
    "it": "Molto utile il confronto con gli altri paesi; la traduzione simultanea era ottima.",
    "cs": "Velmi přínosné, zejména praktické ukázky. Příště bych uvítala více času na diskusi.",
    "bg": "Много полезно. Бих искала повече примери от практиката на другите партньори.",
}

FOLLOW_UP_EXAMPLES = {
    "en": "We now ask about strangulation and threats at every first contact.",
    "el": "Χρησιμοποιούμε πλέον ερωτήσεις ασφάλειας στην αρχή κάθε γραπτής συνομιλίας.",
    "it": "Abbiamo introdotto un colloquio di valutazione del rischio prima di ogni invio al programma.",
    "cs": "Na poradě týmu jsme zavedli společný plán bezpečí s termíny pro každou instituci.",
    "bg": "Въведохме плана за защита при всеки нов случай и го преглеждаме на супервизия.",
}
