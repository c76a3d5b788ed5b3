"""Every write on victim-support cases: keyword-only, atomic, audited in the same transaction.
Audit details carry references and field names, never names, phones or narratives."""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from rete.cases import access as case_access
from rete.cases.models import Case, CaseAssignment, CaseReferenceCounter, CaseStatus, Person
from rete.core import access, audit, crypto


@dataclass(frozen=True)
class PersonIndexes:
    name_index: str
    phone_index: str


def person_indexes(*, given_name="", family_name="", birth_year=None, phone="") -> PersonIndexes:
    """Blind indexes for duplicate detection: the same normalised full name *and* year of birth,
    or the same phone number."""
    full_name = crypto.normalise(f"{given_name} {family_name}")
    name_index = crypto.blind_index(f"{full_name}|{birth_year}", purpose="person.name_year") if full_name and birth_year else ""
    digits = crypto.normalise_phone(phone)
    phone_index = crypto.blind_index(digits[-9:], purpose="person.phone") if len(digits) >= 6 else ""
    return PersonIndexes(name_index=name_index, phone_index=phone_index)


def _next_reference(organisation) -> str:
    year = timezone.now().year
    counter, _ = CaseReferenceCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.slug.upper()}-{year}-{counter.last:05d}"


PERSON_FIELDS = (
    "is_anonymous", "given_name", "family_name", "alias", "date_of_birth", "birth_year", "phone", "language",
    "interpreter_needed", "safe_to_contact", "safe_phone", "safe_times", "code_word", "contact_precautions",
)


@transaction.atomic
def intake_open_case(*, by, organisation, contact_route, first_contact_at, person: dict) -> Case:
    """Register the person and open her case, with the person who took the contact on its team."""
    if not access.has_capability(by, organisation.pk, case_access.OPEN_CASES):
        access.deny()
    values = {field: person.get(field) for field in PERSON_FIELDS if field in person}
    if values.get("is_anonymous"):
        values["given_name"] = values["family_name"] = values["date_of_birth"] = ""
    if values.get("date_of_birth") and not values.get("birth_year"):
        values["birth_year"] = int(str(values["date_of_birth"])[:4])
    values["date_of_birth"] = str(values.get("date_of_birth") or "")
    indexes = person_indexes(
        given_name=values.get("given_name", ""), family_name=values.get("family_name", ""),
        birth_year=values.get("birth_year"), phone=values.get("phone", ""),
    )
    record = Person.objects.create(organisation=organisation, name_index=indexes.name_index, phone_index=indexes.phone_index, **values)
    now = timezone.now()
    case = Case.objects.create(
        organisation=organisation, person=record, reference=_next_reference(organisation), status=CaseStatus.OPEN,
        contact_route=contact_route, first_contact_at=first_contact_at or now, opened_by=by, last_activity_at=now,
    )
    CaseAssignment.objects.create(case=case, user=by)
    audit.record(
        action="case.opened", actor=by, organisation=organisation, obj=case,
        detail={"reference": case.reference, "anonymous": bool(values.get("is_anonymous")), "route": contact_route},
    )
    return case


@transaction.atomic
def case_record_view(*, by, case):
    """Every opening of a case leaves a trace (who, when, from where)."""
    audit.record(action="case.viewed", actor=by, organisation=case.organisation, obj=case, detail={"reference": case.reference})
