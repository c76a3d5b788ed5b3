"""The pilot pages (part "pilots"): who reaches them (404 for the others), starting a pilot with
its indicators, refusals that keep her entries, stale edits showing both versions, the life of
a pilot, the "Evidence from pilots" section of the practice page and the public include, with
bounded queries."""
import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from rete.conftest import assert_denied, client_for, url
from rete.learning.models import Pilot, PilotIndicator, PilotStatus
from rete.learning.selectors import pilots as selectors
from rete.learning.services import pilots as services
from rete.learning.tests.factories import make_practice
from rete.learning.tests.policy_values import published_practice

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
SAFER = {"name": "Clients who feel safer (mean, 1–5)", "measured_among": "clients", "unit": "score",
         "higher_is_better": True, "pre_value": "2.80", "pre_n": 24}


def get(user, name, **kwargs):
    return client_for(user).get(url(name, **kwargs))


def post(user, name, data=None, **kwargs):
    return client_for(user).post(url(name, **kwargs), data or {})


def make_pilot(network, practice=None, *, by=None, organisation=None, status=PilotStatus.PLANNED, indicators=(SAFER,)):
    by = by or network["caseworker"]
    practice = practice or published_practice(network)
    pilot = services.pilot_start(by=by, practice=practice, organisation=organisation or network.home,
                                 adaptation="Smaller bags.", starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=90),
                                 indicators=list(indicators))
    if status != PilotStatus.PLANNED:
        pilot = services.pilot_set_running(by=by, pilot=pilot)
    if status == PilotStatus.COMPLETED:
        for indicator in pilot.indicators.all():
            values = {f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}
            services.indicator_update(by=by, pilot=pilot, indicator=indicator,
                                      **{**values, "post_value": "3.50", "post_n": 21})
        pilot.refresh_from_db()
        pilot = services.pilot_complete(by=by, pilot=pilot, version=pilot.version, result_summary="It worked.",
                                        conclusion="confirmed")
    return pilot


def start_values(**extra):
    data = {"organisation": "", "adaptation": "A leaflet in Greek.", "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=60)).isoformat(),
            "indicators-TOTAL_FORMS": "3", "indicators-INITIAL_FORMS": "0", "indicators-MIN_NUM_FORMS": "0",
            "indicators-MAX_NUM_FORMS": "20"}
    for index in range(3):
        data[f"indicators-{index}-higher_is_better"] = "True"
    data.update(extra)
    return data


def indicator_values(version, prefix="", **extra):
    data = {"version": str(version), "name": "Referrals a month", "measured_among": "professionals", "unit": "",
            "higher_is_better": "True", "pre_value": "4", "pre_n": "12", "post_value": "", "post_n": ""}
    data.update(extra)
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


# ---- the access policy rows of this part (the full walk lives in core) ---------------------------------

def test_the_policy_rows_of_these_pages(network):
    from rete.cases.tests.helpers import open_case
    from rete.core.access_policy import PERSONAS, POLICY
    from rete.core.tests.urlwalk import build
    from rete.learning.tests import policy_values

    case = open_case(network["caseworker"], network.home)
    values = {"practice_id": make_practice(network["caseworker"], network.home).pk}  # THE walked practice: a draft
    values.update(policy_values._pilots(network, case))
    personas = {"anonymous": None, "outsider": network.outsider, "superuser": network.superuser}
    personas.update({role: network[role] for role in PERSONAS if role not in personas})
    mismatches = []
    mine = [name for name in POLICY if name.startswith("learning:pilot_")]
    assert len(mine) == 10
    for name in mine:
        path = build(name, values)
        for persona in PERSONAS:
            status = client_for(personas[persona]).get(path).status_code
            if status != POLICY[name][persona]:
                mismatches.append(f"{name} as {persona}: expected {POLICY[name][persona]}, got {status}")
    assert not mismatches, "\n".join(mismatches)


def test_it_checks_ownership(network):
    """Another organisation's planned pilot is out of reach on every page, even by URL."""
    pilot = make_pilot(network)
    indicator = pilot.indicators.get()
    intruder = network["other_network_coordinator"]
    assert_denied(get(intruder, "learning:pilot_detail", pilot_id=pilot.pk))
    assert_denied(get(intruder, "learning:pilot_edit", pilot_id=pilot.pk))
    assert_denied(get(intruder, "learning:pilot_complete", pilot_id=pilot.pk))
    assert_denied(get(intruder, "learning:pilot_indicator_edit", pilot_id=pilot.pk, pilot_indicator_id=indicator.pk))
    assert_denied(post(intruder, "learning:pilot_indicator_add", indicator_values(pilot.version, "new"), pilot_id=pilot.pk))
    assert_denied(post(intruder, "learning:pilot_indicator_remove", {"version": pilot.version}, pilot_id=pilot.pk,
                       pilot_indicator_id=indicator.pk))
    assert_denied(post(intruder, "learning:pilot_running", {"version": pilot.version}, pilot_id=pilot.pk))
    assert_denied(post(intruder, "learning:pilot_abandon", {"abandon-version": pilot.version, "abandon-reason": "x"},
                       pilot_id=pilot.pk))
    assert Pilot.objects.get().status == PilotStatus.PLANNED and PilotIndicator.objects.count() == 1
    # An indicator of another pilot through this pilot's URL.
    theirs = make_pilot(network, by=network["other_caseworker"], organisation=network.other)
    assert_denied(get(network["caseworker"], "learning:pilot_indicator_edit", pilot_id=pilot.pk,
                      pilot_indicator_id=theirs.indicators.get().pk))
    # The members of the practice's owner see a running pilot, but may not change it.
    running = make_pilot(network, by=network["other_caseworker"], organisation=network.other, status=PilotStatus.RUNNING)
    page = get(network["caseworker"], "learning:pilot_detail", pilot_id=running.pk)
    assert page.status_code == 200 and url("learning:pilot_edit", pilot_id=running.pk) not in page.content.decode()
    assert_denied(get(network["caseworker"], "learning:pilot_edit", pilot_id=running.pk))


# ---- the list ----------------------------------------------------------------------------------------

def test_the_list_in_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    practice = published_practice(network)
    make_pilot(network, practice)
    client = client_for(network["trainer"])
    client.get(url("learning:pilot_list"))
    with django_assert_max_num_queries(12):
        page = client.get(url("learning:pilot_list"))
    assert page.status_code == 200
    for _index in range(9):
        make_pilot(network, practice, status=PilotStatus.RUNNING)
    make_pilot(network, practice, by=network["other_caseworker"], organisation=network.other)
    with django_assert_max_num_queries(12):
        page = client.get(url("learning:pilot_list"))
    text = page.content.decode()
    assert text.count(url("learning:pilot_detail", pilot_id=Pilot.objects.filter(organisation=network.home).first().pk)) == 1
    assert text.count("Safety luggage for women leaving home") == 10  # not the other organisation's pilot
    running = client.get(url("learning:pilot_list") + "?status=running").content.decode()
    assert running.count("Safety luggage for women leaving home") == 9
    assert client.get(url("learning:pilot_list") + "?status=nonsense").status_code == 200
    assert_denied(get(network["dpo"], "learning:pilot_list"))


def test_the_navigation_shows_pilots_to_who_records_them(network):
    link = f'href="{url("learning:pilot_list")}"'
    assert link in get(network["caseworker"], "core:start").content.decode()
    assert link not in get(network["dpo"], "core:start").content.decode()


# ---- starting a pilot --------------------------------------------------------------------------------

def test_a_member_starts_a_pilot_with_its_indicators(network):
    practice = published_practice(network)
    who = network["other_caseworker"]
    page = get(who, "learning:pilot_start", practice_id=practice.pk)
    assert page.status_code == 200 and "Safety luggage" in page.content.decode()
    response = post(who, "learning:pilot_start", start_values(**{
        "organisation": str(network.other.pk), "indicators-0-name": "Feeling safer", "indicators-0-measured_among": "clients",
        "indicators-0-pre_value": "2.5", "indicators-0-pre_n": "20", "indicators-2-name": "Waiting days",
        "indicators-2-measured_among": "clients", "indicators-2-higher_is_better": "False"}), practice_id=practice.pk)
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and response["Location"] == url("learning:pilot_detail", pilot_id=pilot.pk)
    assert pilot.organisation == network.other and pilot.adaptation == "A leaflet in Greek."
    assert [(i.name, i.higher_is_better, i.pre_n) for i in pilot.indicators.order_by("order")] == [
        ("Feeling safer", True, 20), ("Waiting days", False, None)]


def test_a_refused_start_keeps_her_entries(network):
    practice = published_practice(network)
    who = network["caseworker"]
    response = post(who, "learning:pilot_start", start_values(
        ends_on=(TODAY - datetime.timedelta(days=1)).isoformat(), adaptation="Kept adaptation text",
        **{"indicators-1-name": "Kept indicator", "indicators-1-measured_among": "clients"}), practice_id=practice.pk)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Kept adaptation text" in text and "Kept indicator" in text and "cannot end before it starts" in text
    response = post(who, "learning:pilot_start", start_values(
        adaptation="Kept again", **{"indicators-0-name": "No group chosen", "indicators-0-pre_value": "abc"}),
        practice_id=practice.pk)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Kept again" in text and "No group chosen" in text
    assert not Pilot.objects.exists()


def test_a_draft_cannot_be_piloted_and_the_start_is_404_for_others(network):
    draft = make_practice(network["caseworker"], network.home)
    assert_denied(get(network["caseworker"], "learning:pilot_start", practice_id=draft.pk))
    assert_denied(post(network["caseworker"], "learning:pilot_start", start_values(), practice_id=draft.pk))
    published = published_practice(network)
    assert_denied(get(network["dpo"], "learning:pilot_start", practice_id=published.pk))
    assert_denied(get(network.superuser, "learning:pilot_start", practice_id=published.pk))
    assert get(network.outsider, "learning:pilot_start", practice_id=published.pk).status_code == 200  # an org admin
    assert not Pilot.objects.exists()


# ---- the pilot's page and its changes ------------------------------------------------------------------

def test_the_pilot_page_in_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    pilot = make_pilot(network, status=PilotStatus.RUNNING)
    client = client_for(network["caseworker"])
    client.get(url("learning:pilot_detail", pilot_id=pilot.pk))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("learning:pilot_detail", pilot_id=pilot.pk)).status_code == 200
    for index in range(9):
        services.indicator_add(by=network["caseworker"], pilot=pilot, **{**SAFER, "name": f"Indicator {index}"})
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url("learning:pilot_detail", pilot_id=pilot.pk))
    text = page.content.decode()
    assert "Indicator 8" in text and url("learning:pilot_complete", pilot_id=pilot.pk) in text
    assert url("learning:pilot_edit", pilot_id=pilot.pk) in text


def test_a_stale_edit_shows_both_versions_and_keeps_her_entries(network):
    pilot = make_pilot(network)
    who = network["caseworker"]
    assert get(who, "learning:pilot_edit", pilot_id=pilot.pk).status_code == 200
    services.pilot_update(by=network["supervisor"], pilot=pilot, version=pilot.version, adaptation="Her colleague's text",
                          starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=90))
    data = {"version": str(pilot.version), "adaptation": "My own text", "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=30)).isoformat()}
    response = post(who, "learning:pilot_edit", data, pilot_id=pilot.pk)
    assert response.status_code == 409
    text = response.content.decode()
    assert "My own text" in text and "Her colleague&#x27;s text" in text and 'class="conflict"' in text
    assert f'name="version" value="{pilot.version + 1}"' in text
    response = post(who, "learning:pilot_edit", {**data, "version": str(pilot.version + 1)}, pilot_id=pilot.pk)
    assert response.status_code == 302
    assert Pilot.objects.get().adaptation == "My own text"
    bad = post(who, "learning:pilot_edit", {**data, "version": str(pilot.version + 2), "ends_on": "2001-01-01",
                                            "adaptation": "Kept"}, pilot_id=pilot.pk)
    assert bad.status_code == 400 and "Kept" in bad.content.decode()


def test_indicators_are_added_changed_and_removed_from_the_page(network):
    pilot = make_pilot(network)
    who = network["caseworker"]
    assert get(who, "learning:pilot_indicator_add", pilot_id=pilot.pk).status_code == 405
    bad = post(who, "learning:pilot_indicator_add", indicator_values(pilot.version, "new", name="Kept name",
                                                                     measured_among=""), pilot_id=pilot.pk)
    assert bad.status_code == 400 and "Kept name" in bad.content.decode()
    response = post(who, "learning:pilot_indicator_add", indicator_values(pilot.version, "new"), pilot_id=pilot.pk)
    assert response.status_code == 302
    added = PilotIndicator.objects.get(name="Referrals a month")
    pilot.refresh_from_db()
    stale = post(who, "learning:pilot_indicator_add", indicator_values(pilot.version - 1, "new", name="Second"),
                 pilot_id=pilot.pk)
    assert stale.status_code == 409 and "Second" in stale.content.decode()
    # The edit page, a stale save with both versions, then the save.
    kwargs = {"pilot_id": pilot.pk, "pilot_indicator_id": added.pk}
    assert get(who, "learning:pilot_indicator_edit", **kwargs).status_code == 200
    services.indicator_update(by=network["supervisor"], pilot=pilot, indicator=added,
                              **{**{f: getattr(added, f) for f in services.INDICATOR_FIELDS}, "post_value": "9", "post_n": 10})
    response = post(who, "learning:pilot_indicator_edit", indicator_values(pilot.version, post_value="6", post_n="11"),
                    **kwargs)
    assert response.status_code == 409 and 'class="conflict"' in response.content.decode()
    pilot.refresh_from_db()
    response = post(who, "learning:pilot_indicator_edit", indicator_values(pilot.version, post_value="6", post_n="11"),
                    **kwargs)
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.post_value == 6 and added.post_n == 11
    bad = post(who, "learning:pilot_indicator_edit", indicator_values(pilot.version + 1, post_value="1.234",
                                                                      name="Kept on edit"), **kwargs)
    assert bad.status_code == 400 and "Kept on edit" in bad.content.decode()
    pilot.refresh_from_db()
    assert get(who, "learning:pilot_indicator_remove", **kwargs).status_code == 405
    assert post(who, "learning:pilot_indicator_remove", {"version": pilot.version - 1}, **kwargs).status_code == 409
    assert post(who, "learning:pilot_indicator_remove", {"version": pilot.version}, **kwargs).status_code == 302
    assert not PilotIndicator.objects.filter(pk=added.pk).exists()


def test_the_life_of_a_pilot_from_the_pages(network):
    pilot = make_pilot(network)
    who = network["caseworker"]
    page = get(who, "learning:pilot_complete", pilot_id=pilot.pk)
    assert page.status_code == 200 and "has not started yet" in page.content.decode()
    assert post(who, "learning:pilot_running", {"version": pilot.version}, pilot_id=pilot.pk).status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.RUNNING
    assert post(who, "learning:pilot_running", {"version": pilot.version}, pilot_id=pilot.pk).status_code == 400
    page = get(who, "learning:pilot_complete", pilot_id=pilot.pk).content.decode()
    assert url("learning:pilot_indicator_edit", pilot_id=pilot.pk, pilot_indicator_id=pilot.indicators.get().pk) in page
    data = {"version": str(pilot.version), "result_summary": "My careful summary", "conclusion": "partly"}
    refused = post(who, "learning:pilot_complete", data, pilot_id=pilot.pk)
    assert refused.status_code == 400
    assert "My careful summary" in refused.content.decode() and "Every indicator needs" in refused.content.decode()
    indicator = pilot.indicators.get()
    services.indicator_update(by=who, pilot=pilot, indicator=indicator,
                              **{**{f: getattr(indicator, f) for f in services.INDICATOR_FIELDS},
                                 "post_value": "2.1", "post_n": 19})
    stale = post(who, "learning:pilot_complete", data, pilot_id=pilot.pk)
    assert stale.status_code == 409 and "My careful summary" in stale.content.decode()
    pilot.refresh_from_db()
    done = post(who, "learning:pilot_complete", {**data, "version": str(pilot.version)}, pilot_id=pilot.pk)
    assert done.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.COMPLETED and pilot.conclusion == "partly"
    text = get(who, "learning:pilot_detail", pilot_id=pilot.pk).content.decode()
    assert "My careful summary" in text and "Worsened" in text and "-25 %" in text
    # Over: its pages send her back to it.
    assert get(who, "learning:pilot_edit", pilot_id=pilot.pk).status_code == 302
    assert get(who, "learning:pilot_complete", pilot_id=pilot.pk).status_code == 302


def test_abandoning_asks_for_a_reason(network):
    pilot = make_pilot(network, status=PilotStatus.RUNNING)
    who = network["caseworker"]
    refused = post(who, "learning:pilot_abandon", {"abandon-version": pilot.version, "abandon-reason": ""}, pilot_id=pilot.pk)
    assert refused.status_code == 400
    assert post(who, "learning:pilot_abandon", {"abandon-version": pilot.version,
                                                "abandon-reason": "No staff left."}, pilot_id=pilot.pk).status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.ABANDONED
    assert "No staff left." in get(who, "learning:pilot_detail", pilot_id=pilot.pk).content.decode()


# ---- the evidence -------------------------------------------------------------------------------------

def test_the_practice_page_shows_the_evidence_from_pilots(network, django_assert_max_num_queries):
    practice = published_practice(network)
    make_pilot(network, practice, by=network["other_caseworker"], organisation=network.other, status=PilotStatus.COMPLETED)
    make_pilot(network, practice, by=network["other_caseworker"], organisation=network.other, status=PilotStatus.RUNNING)
    reader = network["other_trainer"]
    client = client_for(reader)
    path = url("learning:practice_detail", practice_id=practice.pk)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Evidence from pilots" in text and "Other Support Centre" in text and "Improved" in text
    assert "2.80" in text and "3.50" in text and "+25 %" in text
    assert "1 pilot of this practice is running." in text
    assert url("learning:pilot_start", practice_id=practice.pk) in text
    for _index in range(5):
        make_pilot(network, practice, by=network["other_caseworker"], organisation=network.other,
                   status=PilotStatus.COMPLETED, indicators=[SAFER, SAFER])
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(path)
    assert page.content.decode().count("Improved") == 11
    # The home DPO reads the practice but does not pilot it.
    dpo_page = get(network["dpo"], "learning:practice_detail", practice_id=practice.pk)
    if dpo_page.status_code == 200:
        assert url("learning:pilot_start", practice_id=practice.pk) not in dpo_page.content.decode()


def test_the_public_include_shows_the_evidence_without_staff_links(network):
    practice = published_practice(network, public=True)
    make_pilot(network, practice, by=network["other_caseworker"], organisation=network.other, status=PilotStatus.COMPLETED)
    html = render_to_string("learning/pilots_evidence_public.html",
                            {"pilots": selectors.completed_pilots_for_public(practice)})
    assert "Evidence from pilots" in html and "Other Support Centre" in html and "Improved" in html
    assert "/learning/" not in html and "<form" not in html and "Smaller bags" not in html
    assert render_to_string("learning/pilots_evidence_public.html", {"pilots": []}).strip() == ""
