"""Partner-contact links for tests: a perpetrator programme (its own organisation, with a
facilitator and a programme coordinator) and a link to a support organisation."""
from rete.conftest import make_organisation, make_user
from rete.core.models import OrganisationKind, Role
from rete.network.services import partner_contact as services

_counter = {"n": 0}


def make_programme(slug="prog", *, name=None):
    """A perpetrator programme organisation with a facilitator (returned) and a coordinator."""
    programme = make_organisation(slug, name=name or f"{slug.title()} Programme for Men")
    programme.kinds = [OrganisationKind.PERPETRATOR_PROGRAMME]
    programme.save(update_fields=["kinds"])
    facilitator = make_user(f"facilitator@{slug}.example", roles=[Role.FACILITATOR], organisation=programme)
    make_user(f"coordinator@{slug}.example", roles=[Role.PROGRAMME_COORDINATOR], organisation=programme)
    return programme, facilitator


def make_link(by, programme, support_organisation, *, enrolment_id=None, reference=None, note=""):
    if enrolment_id is None:
        _counter["n"] += 1
        enrolment_id = 100000 + _counter["n"]
    return services.partner_link_request(by=by, programme_organisation=programme, enrolment_id=enrolment_id,
                                         enrolment_reference=reference or f"EN-{enrolment_id}",
                                         support_organisation=support_organisation, note=note)
