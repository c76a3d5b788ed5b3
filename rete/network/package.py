"""A referral's package as the pages show it, to the sender and to the receiver alike: each
shared category with its records as rows of (label, value), coded values in the reader's
language. Only what is in the package; never anything else of the case."""
from django.utils.translation import gettext_lazy as _

from rete.network.models import ShareCategory

FIELD_LABELS = {
    "given_name": _("Given name"), "family_name": _("Family name"), "alias": _("Name she wants to be called"),
    "date_of_birth": _("Date of birth"), "birth_year": _("Year of birth"), "language": _("Preferred language"),
    "interpreter_needed": _("Needs an interpreter"), "safe_to_contact": _("Is it safe to contact her?"),
    "safe_phone": _("Safe phone"), "safe_times": _("Safe times to call"), "code_word": _("Code word"),
    "precautions": _("Precautions"), "date": _("Date"), "reported_on": _("Reported on"), "type": _("Type"),
    "place": _("Place"), "context": _("Context"), "narrative": _("What happened"),
    "reported_to_police": _("Reported to the police"), "injuries": _("Injuries"), "medical_care": _("Medical care"),
    "label": _("Risk band"), "instrument": _("Instrument"), "assessed_at": _("Assessed"), "assessed_on": _("Assessed on"),
    "trigger": _("Why it was assessed"), "personal_characteristics": _("Personal characteristics"),
    "crime_type": _("Type of crime"), "circumstances": _("Circumstances"), "protection_needs": _("Protection needs"),
    "special_measures": _("Special measures"), "specific_protection_needs": _("Specific protection needs"),
    "updated_at": _("Updated"), "next_review_on": _("Next review"), "safe_contacts": _("Safe contacts"),
    "leaving_plan": _("Plan for leaving"), "documents_bag": _("Documents and bag"), "children": _("Children"),
    "technology": _("Technology"), "work": _("Work"), "after_separation": _("After separation"),
    "first_name": _("First name"), "age": _("Age"), "kind": _("Kind"), "relationship": _("Relationship"),
    "needs": _("Needs"), "name": _("Name"), "cohabiting": _("Lives with her"), "weapons_access": _("Access to weapons"),
    "known_to_police": _("Known to the police"), "filed_on": _("Filed on"), "authority": _("Authority"),
    "status": _("Status"), "court": _("Court"), "applied_on": _("Applied on"), "issued_on": _("Issued on"),
    "expires_on": _("Expires on"), "provider": _("Provider"), "due_on": _("Due on"),
}
GROUP_LABELS = {"complaints": _("Complaints"), "orders": _("Protection orders"), "proceedings": _("Proceedings")}
HIDDEN_KEYS = {"band"}  # the band's code; its label is shown


def _value(value, labels=None):
    labels = labels or {}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(labels.get(v, v)) for v in value if v not in (None, ""))
    return labels.get(value, value) if isinstance(value, str) else value


def _record(data: dict, coded=None, where=("", "")) -> list[tuple]:
    coded = coded or {}
    return [(FIELD_LABELS.get(key, key), _value(value, coded.get((*where, key)))) for key, value in data.items()
            if key not in HIDDEN_KEYS and value not in (None, "", [], {})]


def _records(data, coded=None, where=("", "")) -> list[list[tuple]]:
    if isinstance(data, dict):
        return [r for r in [_record(data, coded, where)] if r]
    if isinstance(data, list):
        return [r for r in (_record(item, coded, where) for item in data if isinstance(item, dict)) if r]
    return []


def package_sections(referral) -> list[dict]:
    """Each shared category with its label and its records (rows of label and value), in the
    order of ShareCategory; only what is in the package."""
    from rete.cases.selectors import referral_package_choices

    coded = referral_package_choices()  # codes shown as labels in her language
    package = referral.package or {}
    sections = []
    for code, label in ShareCategory.choices:
        if code not in (referral.categories or []):
            continue
        data = package.get(code)
        if code == "justice" and isinstance(data, dict):
            groups = [{"title": GROUP_LABELS.get(key, key), "records": _records(value, coded, (code, key))}
                      for key, value in data.items()]
            groups = [g for g in groups if g["records"]]
        else:
            records = _records(data, coded, (code, ""))
            groups = [{"title": None, "records": records}] if records else []
        sections.append({"code": code, "label": label, "groups": groups})
    return sections
