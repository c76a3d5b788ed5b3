"""Nothing outside the shared categories reaches the receiver: a sentinel in every other field
of the case appears nowhere in the package, the audit details or the e-mails."""
import datetime

import pytest
from django.utils import timezone

from rete.cases.models import (
    Complaint,
    Incident,
    NeedsAssessment,
    Person,
    Proceeding,
    ProtectionOrder,
    RelatedPerson,
    SafetyPlan,
    SupportService,
)
from rete.cases.selectors import referral_package
from rete.core.models import AuditEvent
from rete.network.models import Referral
from rete.network.services import referrals as services
from rete.network.tests.factories_referrals import referral_setup

pytestmark = pytest.mark.django_db
S = "ZQXSENTINEL"


def fill_case(case, user, n=1):
    today = timezone.localdate()
    Person.objects.filter(pk=case.person_id).update(phone=S + "phone", safe_phone=S + "safe", safe_times=S,
                                                    code_word=S, contact_precautions=S)
    Incident.objects.create(case=case, incident_date=today, reported_on=today, place_type="home", gbv_type="physical",
                            narrative=S + "narrative", recorded_by=user)
    RelatedPerson.objects.create(case=case, kind="child", name=S + "child", relationship="child", needs=S, created_by=user)
    RelatedPerson.objects.create(case=case, kind="perpetrator", name=S + "perp", relationship="partner", notes=S,
                                 created_by=user)
    NeedsAssessment.objects.create(case=case, number=n, trigger="first", assessed_on=today, personal_notes=S,
                                   crime_type=[S], summary=S, assessed_by=user)
    if n == 1:
        SafetyPlan.objects.create(case=case, language="it", safe_contacts=S, leaving_plan=S, updated_by=user)
    Complaint.objects.create(case=case, filed_on=today, authority=S, notes=S, recorded_by=user)
    ProtectionOrder.objects.create(case=case, kind="barring", court=S, recorded_by=user)
    Proceeding.objects.create(case=case, kind="criminal", court=S, recorded_by=user)
    SupportService.objects.create(case=case, need=S, kind="legal", provider=S, due_on=today + datetime.timedelta(days=3),
                                  created_by=user)


def test_only_the_chosen_categories_travel(network, mailoutbox, django_capture_on_commit_callbacks):
    _, _, case = referral_setup(network, categories=["identity", "risk"])
    fill_case(case, network["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_send(by=network["caseworker"], case=case, to_organisation=network.other,
                                          service="police", categories=["identity"], request="Help",
                                          emergency_reason="Immediate danger, she is unreachable.")
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.emergency and mailoutbox
    assert S not in str(referral.package) and referral.package["identity"]["given_name"] == "Maria"
    with django_capture_on_commit_callbacks(execute=False):
        services.referral_tick(referral.due_at + datetime.timedelta(minutes=1))
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    services.send_referral_reminder.call(referral.pk)
    for mail in mailoutbox:
        assert S not in mail.subject + mail.body and "Maria" not in mail.body
    for event in AuditEvent.objects.filter(action__startswith="network."):
        assert S not in str(event.detail) and "Maria" not in str(event.detail)


def test_each_category_carries_its_own_fields(network):
    _, _, case = referral_setup(network)
    fill_case(case, network["caseworker"])
    package = referral_package(case=case, categories=["incidents"])
    assert set(package) == {"incidents"} and S + "narrative" in str(package)
    assert S + "perp" not in str(referral_package(case=case, categories=["children"]))
    assert S + "child" not in str(referral_package(case=case, categories=["perpetrator"]))
    assert S + "phone" not in str(referral_package(case=case, categories=["contact", "identity"]))


def test_the_package_takes_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    from rete.network.models import ShareCategory

    _, _, case = referral_setup(network)
    for n in range(1, 4):
        fill_case(case, network["caseworker"], n)
        with django_assert_max_num_queries(12):
            package = referral_package(case=case, categories=ShareCategory.values)
    assert len(package["incidents"]) == 3 and set(package) == set(ShareCategory.values)
    import json

    json.dumps(package)


def test_the_api_gives_the_receiver_nothing_of_the_unshared_categories(network):
    """Referrals API (part "referral-api"): a case with a sentinel in every category, referred
    with identity only; no answer the receiver gets (inbox, referral, accept, feedback, decline)
    carries anything of the other categories."""
    from rete.conftest import client_for
    from rete.network.tests.factories_referrals import give_consent

    _, _, case = referral_setup(network, categories=["identity", "risk"])
    fill_case(case, network["caseworker"])
    give_consent(network, case)
    kept, declined = (services.referral_send(by=network["caseworker"], case=case, to_organisation=network.other,
                                             service="police", categories=["identity"], request="Help")
                      for _ in range(2))
    client = client_for(network["other_police_officer"])
    base = "/api/v1/referrals/received/"
    bodies = [client.get(base), client.get(f"{base}{kept.pk}/"),
              client.post(f"{base}{kept.pk}/accept/", {}, content_type="application/json"),
              client.post(f"{base}{kept.pk}/feedback/", {"text": "Done."}, content_type="application/json"),
              client.get(f"{base}{kept.pk}/"),
              client.post(f"{base}{declined.pk}/decline/", {"reason": "other"}, content_type="application/json"),
              client.get(f"{base}{declined.pk}/")]
    assert [r.status_code for r in bodies] == [200] * len(bodies)
    assert "Maria" in bodies[1].content.decode()  # what was shared is there
    for response in bodies:
        assert S not in response.content.decode()
