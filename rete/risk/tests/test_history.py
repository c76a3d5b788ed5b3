"""A subject's risk history: every assessment, the band over time as server-rendered SVG with a
text alternative, access through the subject, audited reading, bounded queries."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from rete.cases.tests.helpers import open_case
from rete.conftest import assert_denied, client_for, url
from rete.core.models import AuditEvent, Role
from rete.risk import chart, services
from rete.risk.models import RiskAssessment
from rete.risk.tests.history_helpers import draft, load, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(network):
    case = open_case(network[Role.CASEWORKER], network.home, given_name="Zenobia", family_name="Quillfeather")
    case.__class__.objects.filter(pk=case.pk).update(supervisor=network[Role.SUPERVISOR])
    return case


@pytest.fixture
def instrument():
    return load("count-24")


def history_url(case, lang="en"):
    return url("risk:subject_history", lang=lang, subject_type="case", subject_id=case.pk)


def test_history_lists_every_assessment_with_chart_and_table(network, case, instrument):
    worker = network[Role.CASEWORKER]
    first = signed(worker, case, instrument, yes=3)
    second = signed(worker, case, instrument, yes=15)
    third = signed(worker, case, instrument, yes=2, override="high", reason="She fears for her life since the last visit.")
    draft(worker, case, instrument, yes=1)

    response = client_for(worker).get(history_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    # The chart: an accessible image with a title and a description, drawn without inline styles.
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="risk-chart-title risk-chart-desc"' in svg
    assert '<title id="risk-chart-title">' in svg and '<desc id="risk-chart-desc">' in svg
    assert "style=" not in html
    assert svg.count("<circle") == 2 and svg.count("<polygon") == 1  # the override is a diamond
    assert "<polyline" in svg
    assert "Standard" in svg and "High" in svg  # band labels on the axis: not colour alone
    # The text alternative: the same points in a table right below.
    table = html[html.index("The band over time, as a table"):]
    assert table.index(first.signed_at.strftime("%Y")) >= 0
    # Every assessment: signed ones with score, computed band, override and band in force; the draft.
    assert "Test count (24 items)" in html and "version 1" in html
    assert html.count('id="assessment-') == 4
    assert "draft, not signed" in html
    assert "raised by professional judgement from Standard" in html  # the band in force beside the computed one
    assert str(worker) in html  # who signed
    # Nothing of the answers, the override's reason or her name.
    assert "fears for her life" not in html and "Quillfeather" not in html
    assert second.pk and third.pk


def test_corrections_are_linked_both_ways(network, case, instrument):
    worker = network[Role.CASEWORKER]
    original = signed(worker, case, instrument, yes=3)
    correction = services.assessment_correct(by=worker, assessment_id=original.pk)
    correction = RiskAssessment.objects.get(pk=correction.pk)
    services.assessment_sign(by=worker, assessment_id=correction.pk, version=correction.version)
    html = client_for(worker).get(history_url(case)).content.decode()
    assert f'href="#assessment-{original.pk}"' in html and "corrects the assessment of" in html
    assert f'href="#assessment-{correction.pk}"' in html and "corrected on" in html


def test_history_is_audited_without_protected_values(network, case, instrument):
    worker = network[Role.CASEWORKER]
    signed(worker, case, instrument, yes=2, override="high", reason="Secret reason about her partner.")
    client_for(worker).get(history_url(case))
    event = AuditEvent.objects.filter(action="risk.history_viewed").get()
    assert event.actor == worker and event.organisation == network.home and event.object_id == str(case.pk)
    assert event.detail == {"subject_type": "case", "subject_id": case.pk, "assessments": 1}
    assert "Secret" not in str(event.detail)


def test_history_is_for_the_case_team_and_supervisor_only(network, case, instrument):
    signed(network[Role.CASEWORKER], case, instrument, yes=3)
    assert client_for(network[Role.SUPERVISOR]).get(history_url(case)).status_code == 200
    for user in (network["other_caseworker"], network["other_supervisor"], network.outsider, network.superuser,
                 network[Role.NETWORK_COORDINATOR], network[Role.DPO]):
        assert_denied(client_for(user).get(history_url(case)))
    # Another caseworker of the same organisation, not on the team, does not see it either.
    from rete.conftest import make_user

    colleague = make_user("colleague@home.example", roles=[Role.CASEWORKER], organisation=network.home)
    assert_denied(client_for(colleague).get(history_url(case)))
    assert list(AuditEvent.objects.filter(action="risk.history_viewed").values_list("actor", flat=True)) == [network[Role.SUPERVISOR].pk]


def test_unknown_subject_type_or_id_is_404(network, case):
    worker = network[Role.CASEWORKER]
    assert_denied(client_for(worker).get(url("risk:subject_history", subject_type="enrolment", subject_id=case.pk)))
    assert_denied(client_for(worker).get(url("risk:subject_history", subject_type="case", subject_id=case.pk + 999)))


def test_history_without_assessments(network, case):
    response = client_for(network[Role.CASEWORKER]).get(history_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" not in html and "No assessment yet." in html and "No assessment has been signed yet." in html


def test_history_page_in_another_language(network, case, instrument):
    signed(network[Role.CASEWORKER], case, instrument, yes=15)
    html = client_for(network[Role.CASEWORKER]).get(history_url(case, lang="it")).content.decode()
    assert "Alto" in html and "Test conteggio (24 voci)" in html  # the instrument's own Italian texts


def _queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_history_queries_do_not_grow_with_the_history(network, case, instrument, django_assert_max_num_queries):
    worker = network[Role.CASEWORKER]
    other = load("count-24", code="test-count-24-b")
    for n in range(3):
        signed(worker, case, instrument, yes=n * 7)
    client = client_for(worker)
    client.get(history_url(case))  # the first page of a session also remembers her language
    few = _queries_for(client, history_url(case))
    for n in range(27):
        signed(worker, case, other if n % 5 == 0 else instrument, yes=n % 25, override="high" if n % 7 == 1 and n % 25 < 14 else "",
               reason="A reason long enough." if n % 7 == 1 and n % 25 < 14 else "")
    many = _queries_for(client, history_url(case))
    assert many == few
    with django_assert_max_num_queries(few):
        html = client.get(history_url(case)).content.decode()
    assert html.count('id="assessment-') == 30


def test_subject_type_never_shadows_the_fixed_segments():
    assert resolve("/en/risk/case/3/").url_name == "subject_history"
    for path in ("/en/risk/assessments/3/", "/en/risk/actions/3/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.url_name != "subject_history"


# ---- the chart, pure ----

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


def test_chart_maps_time_and_rank():
    drawn = chart.band_chart([chart.Point(T0, 0, "Low"), chart.Point(T0 + datetime.timedelta(days=10), 2, "High", top=True),
                              chart.Point(T0 + datetime.timedelta(days=5), 1, "Mid", overridden=True)], ["Low", "Mid", "High"])
    xs = [p["x"] for p in drawn["points"]]
    ys = [p["y"] for p in drawn["points"]]
    assert [p["label"] for p in drawn["points"]] == ["Low", "Mid", "High"]  # time order
    assert xs[0] == drawn["left"] and xs[2] == drawn["right"] and xs[1] == pytest.approx((drawn["left"] + drawn["right"]) / 2)
    assert ys[0] == drawn["bottom"] and ys[2] == drawn["top"] and ys[0] > ys[1] > ys[2]  # higher band, higher on the chart
    assert drawn["has_override"] and drawn["points"][1]["overridden"]
    assert drawn["points"][2]["fill"] != drawn["points"][0]["fill"]
    assert [t["label"] for t in drawn["y_ticks"]] == ["Low", "Mid", "High"]
    assert len(drawn["x_ticks"]) == 3 and drawn["line"].count(",") == 3


def test_chart_single_point_and_empty():
    assert chart.band_chart([], ["Low", "High"]) is None
    drawn = chart.band_chart([chart.Point(T0, 1, "High")], ["Low", "High"])
    point = drawn["points"][0]
    assert point["x"] == pytest.approx((drawn["left"] + drawn["right"]) / 2) and point["y"] == drawn["top"]
    assert len(drawn["x_ticks"]) == 1


def test_chart_widens_the_grid_for_a_rank_beyond_the_bands():
    drawn = chart.band_chart([chart.Point(T0, 3, "Extreme")], ["Low", "High"])
    assert len(drawn["y_ticks"]) == 4 and drawn["points"][0]["y"] == drawn["top"]


@pytest.mark.parametrize("lang", ["it", "el", "cs", "bg"])
def test_chart_coordinates_are_never_written_with_a_decimal_comma(network, case, instrument, lang):
    worker = network[Role.CASEWORKER]
    for yes in (3, 15, 9):
        signed(worker, case, instrument, yes=yes)
    page = client_for(worker).get(history_url(case, lang=lang)).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert not re.search(r' (?:x|y|cx|cy|x1|y1|x2|y2)="[^"]*,', svg), svg[:400]
    for points in re.findall(r' points="([^"]*)"', svg):
        assert re.fullmatch(r"[\d.]+,[\d.]+(?: [\d.]+,[\d.]+)*", points), points
    assert "<circle" in svg
