"""The demo perpetrator programmes (issue 6): CIPM and Demetra with a published pathway and a
running group each, men at every state, attendance rules that fired, partner contact with
statuses shared or not, signed and sent start notices; the pages open for their staff; loading
twice adds nothing."""
import pytest

from rete.conftest import client_for
from rete.core.demo import load_demo_network
from rete.core.models import User
from rete.network.models import PartnerContactLink
from rete.programmes.demo import load_demo_programmes
from rete.programmes.models import ComplianceEvent, CourtReport, Enrolment, EnrolmentState, Group, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_programmes(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RETE_DEMO = True  # demo logins have no second factor yet
    load_demo_network()
    load_demo_programmes()
    load_demo_programmes()
    assert Enrolment.objects.filter(organisation__slug="cipm").count() == 9
    assert Enrolment.objects.filter(organisation__slug="demetra").count() == 6
    assert Group.objects.filter(status="running").count() == 2
    states = set(Enrolment.objects.values_list("state", flat=True))
    assert {EnrolmentState.ENQUIRY, EnrolmentState.ASSESSING, EnrolmentState.WAITING, EnrolmentState.ACTIVE,
            EnrolmentState.NON_COMPLIANT, EnrolmentState.SUSPENDED, EnrolmentState.DROPPED_OUT} <= states
    assert ComplianceEvent.objects.filter(level="non_compliance").exists()
    assert CourtReport.objects.filter(kind="start", status=ReportStatus.SENT).exists()
    assert CourtReport.objects.filter(kind="compliance", status=ReportStatus.DUE).exists()
    assert PartnerContactLink.objects.exclude(shared_status="").exists()
    assert PartnerContactLink.objects.filter(shared_status="").exclude(status="requested").exists()

    facilitator = User.objects.get(email="facilitator@cipm.example")
    client = client_for(facilitator)
    for enrolment in Enrolment.objects.filter(organisation__slug="cipm"):
        assert client.get(f"/en/programmes/enrolments/{enrolment.pk}/").status_code == 200
    coordinator = client_for(User.objects.get(email="programme-coordinator@demetra.example"))
    for path in ("/bg/programmes/", "/bg/programmes/groups/", "/bg/programmes/court-reports/"):
        assert coordinator.get(path).status_code == 200
