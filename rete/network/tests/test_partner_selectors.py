"""Partner-contact links, the reads: the partner-support inbox and link (bounded, scoped), and
the programme's small views that never carry the case, the notes or an unshared status. The
SENTINEL test proves nothing the programme side can obtain contains the partner's data."""
import dataclasses

import pytest
from django.core import mail
from django.http import Http404

from rete.cases.tests.helpers import open_case
from rete.conftest import make_user
from rete.core.models import Role, User
from rete.network.models import PartnerContactLink, PartnerEventKind
from rete.network.selectors import partner_contact as selectors
from rete.network.selectors.partner_contact import ProgrammeView
from rete.network.services import partner_contact as services
from rete.network.tests.factories_partner import make_link, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(network):
    return make_programme()


@pytest.fixture
def worker(network):
    return make_user("psw@home.example", roles=[Role.PARTNER_SUPPORT_WORKER, Role.CASEWORKER], organisation=network.home)


def test_the_inbox_lists_her_organisations_links_unseen_first(network, programme, worker):
    org, facilitator = programme
    first = make_link(facilitator, org, network.home)
    second = make_link(facilitator, org, network.home)
    elsewhere = make_link(facilitator, org, network.other)
    services.partner_event_mark_seen(by=worker, link=second)
    services.partner_event_send(by=facilitator, link=first, kind=PartnerEventKind.ABSENCES)
    rows = list(selectors.partner_links_for_support(user=worker))
    assert [row.pk for row in rows] == [first.pk, second.pk]
    assert rows[0].unseen == 2 and rows[1].unseen == 0
    assert elsewhere.pk not in [row.pk for row in selectors.partner_links_for_support(user=worker)]
    assert list(selectors.partner_links_for_support(user=worker, status="engaged")) == []
    assert list(selectors.partner_links_for_support(user=worker, status="nonsense")) == []
    assert selectors.unseen_summary(user=worker) == {"unseen": 2}
    assert selectors.unseen_summary(user=network["caseworker"]) is None
    for user in (facilitator, network["caseworker"], network["facilitator"], network.outsider):
        assert list(selectors.partner_links_for_support(user=user)) == []
    assert [row.pk for row in selectors.partner_links_for_support(user=network["other_partner_support_worker"])] == [elsewhere.pk]


def test_the_inbox_query_count_does_not_grow(network, programme, worker, django_assert_num_queries):
    org, facilitator = programme
    for _ in range(5):
        link = make_link(facilitator, org, network.home)
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.STARTED)
    worker.refresh_from_db()
    with django_assert_num_queries(2):  # memberships, then the page
        rows = list(selectors.partner_links_for_support(user=worker))
        assert len(rows) == 5 and all(row.unseen == 2 for row in rows)


def test_the_link_is_404_outside_the_partner_side(network, programme, worker):
    org, facilitator = programme
    link = make_link(facilitator, org, network.home)
    assert selectors.partner_link_get_for_support(user=worker, link_id=link.pk).pk == link.pk
    for user in (facilitator, network["facilitator"], network["programme_coordinator"], network["caseworker"],
                 network["other_partner_support_worker"], network.outsider):
        with pytest.raises(Http404):
            selectors.partner_link_get_for_support(user=user, link_id=link.pk)
    with pytest.raises(Http404):
        selectors.partner_link_get_for_support(user=worker, link_id="x")


def test_the_programme_view_is_small_and_shows_only_a_shared_status(network, programme, worker):
    org, facilitator = programme
    coordinator = make_user("c2@prog.example", roles=[Role.PROGRAMME_COORDINATOR], organisation=org)
    assert selectors.partner_link_for_programme(user=facilitator, enrolment_id=55) is None
    assert selectors.partner_events_for_programme(user=facilitator, enrolment_id=55) == []
    link = make_link(facilitator, org, network.home, enrolment_id=55)
    link = services.partner_link_attach_case(by=worker, link=link, case=open_case(worker, network.home))
    link = services.partner_status_set(by=worker, link=link, status="engaged", share=False, version=link.version)
    view = selectors.partner_link_for_programme(user=coordinator, enrolment_id=55)
    assert isinstance(view, ProgrammeView) and not isinstance(view, PartnerContactLink)
    assert {f.name for f in dataclasses.fields(view)} == {"reference", "support_organisation", "requested_at",
                                                           "shared_status", "ended"}
    assert view.shared_status is None and view.reference == link.reference and not view.ended
    assert view.support_organisation == network.home.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.shared_status = "engaged"
    services.partner_status_set(by=worker, link=link, status="declined", share=True, version=link.version)
    view = selectors.partner_link_for_programme(user=facilitator, enrolment_id=55)
    assert view.shared_status == "declined" and view.shared_status_label == "Declined contact"
    services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.DROPPED_OUT, note="secret")
    events = selectors.partner_events_for_programme(user=facilitator, enrolment_id=55)
    assert [kind for kind, _at in events] == ["dropped_out", "enrolled"]
    services.partner_link_end(by=facilitator, link=link)
    assert selectors.partner_link_for_programme(user=facilitator, enrolment_id=55).ended


def test_the_programme_view_is_404_for_others(network, programme, worker):
    org, facilitator = programme
    make_link(facilitator, org, network.home, enrolment_id=56)
    for user in (worker, network["partner_support_worker"], network["facilitator"], network["caseworker"], network.outsider):
        with pytest.raises(Http404):
            selectors.partner_link_for_programme(user=user, enrolment_id=56)
        with pytest.raises(Http404):
            selectors.partner_events_for_programme(user=user, enrolment_id=56)


# ---- SENTINEL --------------------------------------------------------------------------------

SENTINELS = ("SENTINEL-GIVEN", "SENTINEL-FAMILY", "SENTINEL-ALIAS", "SENTINEL-PHONE", "SENTINEL-SAFEPHONE",
             "SENTINEL-TIMES", "SENTINEL-CODEWORD", "SENTINEL-PRECAUTION", "SENTINEL-CASENOTE", "SENTINEL-ADDRESS")


def test_sentinel_nothing_of_hers_reaches_the_programme(network, programme, worker, django_capture_on_commit_callbacks):
    from rete.cases import services as case_services

    org, facilitator = programme
    programme_staff = set(User.objects.filter(memberships__organisation=org).values_list("email", flat=True))
    assert facilitator.email in programme_staff
    with django_capture_on_commit_callbacks(execute=True):
        link = make_link(facilitator, org, network.home, enrolment_id=77)
        case = open_case(worker, network.home, given_name="SENTINEL-GIVEN", family_name="SENTINEL-FAMILY",
                         alias="SENTINEL-ALIAS", phone="SENTINEL-PHONE", safe_phone="SENTINEL-SAFEPHONE",
                         safe_times="SENTINEL-TIMES", code_word="SENTINEL-CODEWORD",
                         contact_precautions="SENTINEL-PRECAUTION SENTINEL-ADDRESS")
        case_services.note_add(by=worker, case=case, body="SENTINEL-CASENOTE she moved to SENTINEL-ADDRESS")
        services.partner_link_attach_case(by=worker, link=link, case=case)
        link = PartnerContactLink.objects.get(pk=link.pk)
        services.partner_status_set(by=worker, link=link, status="engaged", share=False, version=link.version)
        services.partner_event_send(by=facilitator, link=link, kind=PartnerEventKind.THREAT, note="programme note")
        services.partner_event_mark_seen(by=worker, link=link)
    obtained = [repr(selectors.partner_link_for_programme(user=facilitator, enrolment_id=77)),
                repr(selectors.partner_events_for_programme(user=facilitator, enrolment_id=77))]
    obtained += [m.subject + m.body for m in mail.outbox if set(m.to) & programme_staff]
    text = "\n".join(obtained)
    for sentinel in SENTINELS:
        assert sentinel not in text
    assert "engaged" not in text and case.reference not in text
    # The e-mails to the partner-support workers carry no note text either.
    support = [m for m in mail.outbox if not set(m.to) & programme_staff]
    assert support and not any("programme note" in m.body for m in support)
