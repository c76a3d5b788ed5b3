"""The spine of the module: states, the enquiry to the start, attendance rules at work."""
import pytest

from rete.programmes.models import EnrolmentState
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


def test_an_enrolment_goes_from_enquiry_to_active(network):
    programme = Programme()
    enrolment = make_enrolment(programme, state=EnrolmentState.ACTIVE, partner_contact=True, mandate=True)
    assert enrolment.state == EnrolmentState.ACTIVE
    assert enrolment.started_on is not None
    assert enrolment.stage == "group"
    assert enrolment.court_reports.filter(kind="start").exists()
    from rete.network.models import PartnerContactEvent

    assert set(PartnerContactEvent.objects.values_list("kind", flat=True)) == {"enrolled", "started"}
