"""Referrals for tests: an adopted protocol between the home organisation (victim support,
the sender) and the other organisation (police, the receiver), and a case at home."""
import datetime

from django.utils import timezone

from rete.cases import services as case_services
from rete.cases.tests.helpers import open_case
from rete.core.models import OrganisationKind
from rete.network.models import Pathway, SharingRule, VersionStatus
from rete.network.tests.factories_protocols import make_protocol


def referral_setup(network, *, categories=("identity", "contact", "risk"), legal_basis="consent"):
    network.other.kinds = [OrganisationKind.POLICE]
    network.other.save(update_fields=["kinds"])
    version = make_protocol(network["network_coordinator"], network.home, parties=[network.other],
                            rules=(OrganisationKind.POLICE,), status=VersionStatus.ADOPTED)
    SharingRule.objects.filter(version=version).update(categories=list(categories), legal_basis=legal_basis)
    pathway = Pathway.objects.filter(version=version).first()
    case = open_case(network["caseworker"], network.home)
    return version, pathway, case


def give_consent(network, case, *, sector="police", agency=""):
    kind = "share_agency" if agency else "share_sector"
    return case_services.consent_record(by=network["caseworker"], case=case, kind=kind, sector=sector, agency=agency,
                                        given_on=timezone.localdate() - datetime.timedelta(days=1), method="verbal")


def withdraw_consent(network, case, consent):
    return case_services.consent_withdraw(by=network["caseworker"], case=case, consent_id=consent.pk,
                                          withdrawn_on=timezone.localdate())
