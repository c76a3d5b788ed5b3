import datetime

import pytest
from django.utils import timezone

from rete.cases import selectors, services
from rete.cases.models import Consent
from rete.cases.tests.helpers import open_case
from rete.conftest import url, assert_denied, client_for
from rete.core.models import AuditEvent, Role



@pytest.mark.django_db
def test_consent_in_force_until_withdrawn(network):
    worker = network[Role.CASEWORKER]
    case = open_case(worker, network.home)
    today = timezone.localdate()
    consent = services.consent_record(by=worker, case=case, kind="share_sector", sector="health",
                                      given_on=today - datetime.timedelta(days=3), method="verbal", scope="medical follow-up")
    services.consent_record(by=worker, case=case, kind="share_agency", agency="Casa Aurora", given_on=today, method="written")
    assert selectors.consent_allows(case=case, kind="share_sector", sector="health")
    assert not selectors.consent_allows(case=case, kind="share_sector", sector="police")
    assert selectors.consent_allows(case=case, kind="share_agency", agency=" casa aurora ")
    with pytest.raises(services.CaseError):
        services.consent_withdraw(by=worker, case=case, consent_id=consent.pk, withdrawn_on=today - datetime.timedelta(days=10))
    services.consent_withdraw(by=worker, case=case, consent_id=consent.pk, withdrawn_on=today, reason="changed her mind")
    assert not selectors.consent_allows(case=case, kind="share_sector", sector="health")
    with pytest.raises(services.CaseError):
        services.consent_withdraw(by=worker, case=case, consent_id=consent.pk, withdrawn_on=today)
    assert Consent.objects.count() == 2
    assert AuditEvent.objects.filter(action="case.consent_withdrawn").exists()


@pytest.mark.django_db
def test_consent_pages(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    client = client_for(network[Role.CASEWORKER])
    response = client.post(url("cases:consent_add", pk=case.pk), {"kind": "share_agency", "agency": "", "given_on": "2026-11-01",
                                                                   "method": "verbal", "scope": "keep-this-scope"})
    assert response.status_code == 400 and "Name the agency." in response.content.decode()
    assert "keep-this-scope" in response.content.decode()
    response = client.post(url("cases:consent_add", pk=case.pk), {"kind": "contact", "given_on": "2026-11-01", "method": "verbal"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    page = client.get(url("cases:case_detail", pk=case.pk)).content.decode()
    assert "To be contacted by the service" in page and "in force" in page
    response = client.post(url("cases:consent_withdraw", pk=case.pk), {"consent": consent.pk, "withdrawn_on": "2999-01-01"})
    assert response.status_code == 400
    response = client.post(url("cases:consent_withdraw", pk=case.pk), {"consent": consent.pk, "withdrawn_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and Consent.objects.get().withdrawn_on


@pytest.mark.django_db
def test_it_checks_ownership(network):
    case = open_case(network[Role.CASEWORKER], network.home)
    other_case = open_case(network["other_caseworker"], network.other)
    consent = services.consent_record(by=network["other_caseworker"], case=other_case, kind="contact", given_on=timezone.localdate(), method="verbal")
    for intruder in (network["other_caseworker"], network.outsider):
        assert_denied(client_for(intruder).post(url("cases:consent_add", pk=case.pk), {"kind": "contact", "given_on": "2026-11-01", "method": "verbal"}))
    # A consent of another case cannot be withdrawn through this one.
    response = client_for(network[Role.CASEWORKER]).post(url("cases:consent_withdraw", pk=case.pk), {"consent": consent.pk, "withdrawn_on": timezone.localdate().isoformat()})
    assert_denied(response)
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
