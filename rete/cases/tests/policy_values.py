"""Objects on the walked case for the access-policy test: each part of the case file adds a
provider returning the URL keyword values its URLs need (e.g. {"service_id": 3})."""
PROVIDERS = []


def provider(fn):
    PROVIDERS.append(fn)
    return fn


def case_file_values(network, case) -> dict:
    values = {}
    for fn in PROVIDERS:
        values.update(fn(network, case))
    return values


@provider
def _justice(network, case):
    import datetime

    from django.utils import timezone

    from rete.cases import services

    worker = network["caseworker"]
    complaint = services.complaint_add(by=worker, case=case, filed_on=timezone.localdate(), authority="Police station", authority_reference="",
                                       status="filed", notes="")
    order = services.order_add(by=worker, case=case, kind="protection", court="Court", court_reference="", status="applied",
                               applied_on=timezone.localdate(), issued_on=None, expires_on=None, conditions="")
    proceeding = services.proceeding_add(by=worker, case=case, kind="criminal", court="Court", court_reference="", status="pending", outcome="")
    hearing = services.hearing_add(by=worker, case=case, proceeding_id=proceeding.pk, at=timezone.now() + datetime.timedelta(days=30),
                                   place="", purpose="", accompanied=False)
    return {"complaint_id": complaint.pk, "order_id": order.pk, "proceeding_id": proceeding.pk, "hearing_id": hearing.pk}


@provider
def _needs_assessment(network, case):
    from django.utils import timezone

    from rete.cases import services

    assessment = services.needs_assessment_record(
        by=network["caseworker"], case=case, based_on=0, trigger="first", assessed_on=timezone.localdate(),
        personal_characteristics=["language"], special_measures=["same_sex"], specific_protection_needs=True)
    return {"needs_number": assessment.number}


@provider
def _safety_plan(network, case):
    """A safety plan on the walked case, so that its printout is walked too."""
    from rete.cases import services

    services.safety_plan_save(by=network["caseworker"], case=case, version=None, language="en",
                              safe_contacts="Neighbour upstairs; code word.")
    return {}


@provider
def _support_service(network, case):
    """A line of the support plan on the walked case, for its edit page and API."""
    import datetime

    from django.utils import timezone

    from rete.cases import services

    service = services.service_add(by=network["caseworker"], case=case, need="A safe place to stay", kind="shelter",
                                   provider="City shelter", status="requested", due_on=timezone.localdate() + datetime.timedelta(days=3))
    return {"service_id": service.pk}


@provider
def _related_people_and_documents(network, case):
    """A related person, a document and an incident on the walked case, for their pages and API."""
    from django.utils import timezone

    from rete.cases import services

    worker = network["caseworker"]
    related = services.related_person_add(by=worker, case=case, kind="child", name="Child", relationship="child", birth_year=2015)
    attachment = services.attachment_add(by=worker, case=case, filename="note.txt", data=b"A plain note.\n")
    incident = services.incident_record(by=worker, case=case, incident_date=timezone.localdate(), reported_on=timezone.localdate(),
                                        place_type="home", gbv_type="psychological", context_flags=[], narrative="",
                                        reported_to_police=False, injuries=False, medical_care=False)
    return {"related_id": related.pk, "attachment_id": attachment.pk, "incident_id": incident.pk}


@provider
def _risk_subject(network, case):
    """The walked case as a risk subject (its history page)."""
    return {"subject_type": "case", "subject_id": case.pk}


@provider
def _risk_assessments(network, case):
    """A signed risk assessment (with its mandated actions) and a draft on the walked case, for
    the assessment pages; the draft is the one walked (its sign-off page answers 200)."""
    from pathlib import Path

    from rete.risk import instruments
    from rete.risk import services as risk_services
    from rete.risk.models import Instrument

    worker = network["caseworker"]
    source = (Path(__file__).resolve().parents[2] / "risk" / "tests" / "instruments" / "count-24.yaml").read_bytes()
    definition = instruments.parse(source, filename="count-24.yaml")
    instrument = Instrument.objects.filter(code=definition["code"]).first() or risk_services.instrument_load(definition=definition, source=source)
    signed = risk_services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=instrument.pk)
    answers = {item["code"]: "yes" for item in instruments.items(definition)}
    version = risk_services.assessment_save_answers(by=worker, assessment_id=signed.pk, version=signed.version, answers=answers)
    signed = risk_services.assessment_sign(by=worker, assessment_id=signed.pk, version=version)
    draft = risk_services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=instrument.pk)
    return {"subject_type": "case", "subject_id": case.pk, "assessment_id": draft.pk, "action_id": signed.actions.first().pk}


@provider
def _contact_request(network, case):
    """A request for contact from the public portal, in the walked organisation's queue."""
    from rete.cases import services

    request = services.contact_request_receive(organisation=network.home, phone="000 000 0000", safe_to_contact=True)
    return {"request_id": request.pk}
