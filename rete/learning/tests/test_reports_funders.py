"""The funders' report: the numbers on a small known dataset, who may see which organisations'
figures, the page (charts and tables), the spreadsheet, and a fixed number of queries."""
import datetime
import io

import pytest
from django.http import Http404
from django.utils import timezone

from rete.conftest import assert_denied, url
from rete.core.models import AuditEvent
from rete.learning import models
from rete.learning.models import AttendanceStatus, EventStatus, FollowUpResponse, Registration, SatisfactionResponse
from rete.learning.selectors.reports import funder_report
from rete.learning.tests.factories import make_event
from rete.learning.tests.factories_certificates import held_event, participant

pytestmark = pytest.mark.django_db
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT


def _tests(registration, pre=None, post=None, max_score=10):
    if pre is not None:
        models.TestAttempt.objects.create(registration=registration, phase="pre", score=pre, max_score=max_score)
    if post is not None:
        models.TestAttempt.objects.create(registration=registration, phase="post", score=post, max_score=max_score)


@pytest.fixture
def dataset(network):
    """Two held events of the home organisation, plus events that must not count."""
    trainer = network["trainer"]
    today = timezone.localdate()
    first = held_event(trainer, network.home, sessions=2, title="Spring seminar", starts_on=today - datetime.timedelta(days=60))
    second = held_event(trainer, network.home, sessions=4, title="Autumn training", starts_on=today - datetime.timedelta(days=10))
    p1 = participant(first, [P, P], by=trainer, email="p1@x.example", country="IT", profession="social_worker",
                     organisation_kind="victim_support", sex="female")
    p2 = participant(first, [L, A], by=trainer, email="p2@x.example", country="CY", profession="police",
                     organisation_kind="police", sex="male")
    participant(first, [A, A], by=trainer, email="p3@x.example", country="IT", profession="psychologist", sex="female")
    participant(first, [P, P], by=trainer, email="p4@x.example", status="waiting", country="CZ")
    p5 = participant(second, [P, P, P, P], by=trainer, email="p5@x.example", country="IT", profession="social_worker",
                     organisation_kind="victim_support", sex="female")
    p6 = participant(second, [P, A, A, A], by=trainer, email="p6@x.example", country="BG", profession="lawyer",
                     organisation_kind="justice", sex="female")
    SatisfactionResponse.objects.create(registration=p1, answers={"overall": 5, "relevance": 4})
    SatisfactionResponse.objects.create(registration=p2, answers={"overall": 3, "relevance": 2})
    SatisfactionResponse.objects.create(registration=p5, answers={"overall": 4})
    _tests(p1, 2, 8)
    _tests(p2, 5, 5)
    _tests(p5, 1, 3, max_score=4)
    _tests(p6, 3)
    Registration.objects.filter(pk__in=[p1.pk, p2.pk, p5.pk]).update(follow_up_sent_at=timezone.now())
    FollowUpResponse.objects.create(registration=p1, answers={"used": "often", "changed_work": "yes", "shared": "yes"})
    FollowUpResponse.objects.create(registration=p5, answers={"used": "sometimes", "changed_work": "no", "shared": "yes"})
    # Not in the report: an event not held yet, and another organisation's held event.
    open_event = make_event(trainer, network.home, status=EventStatus.OPEN)
    participant(open_event, [], by=trainer, email="p7@x.example")
    elsewhere = held_event(network["other_trainer"], network.other, sessions=1)
    participant(elsewhere, [P], by=network["other_trainer"], email="p8@x.example", country="CY")
    return first, second


def test_the_numbers(network, dataset):
    first, second = dataset
    report = funder_report(user=network["trainer"])
    assert [row["event"] for row in report["events"]] == [first, second]
    assert report["registered"] == 5 and report["participants"] == 4
    assert {r["code"]: r["count"] for r in report["by_country"]} == {"IT": 2, "CY": 1, "BG": 1}
    assert {r["code"]: r["count"] for r in report["by_profession"]} == {"social_worker": 2, "police": 1, "lawyer": 1}
    assert {r["code"]: r["count"] for r in report["by_organisation_kind"]} == {"victim_support": 2, "police": 1, "justice": 1}
    assert {r["code"]: r["count"] for r in report["by_sex"]} == {"female": 3, "male": 1}
    assert report["by_sex"][0]["label"] == "Female"
    assert report["attendance"] == {"attended": 8, "expected": 14, "rate": 8 / 14}
    assert [(r["sessions"], r["registered"], r["participants"], r["attended"]) for r in report["events"]] == [
        (2, 3, 2, 3), (4, 2, 2, 5)]
    items = {item["key"]: item for item in report["satisfaction"]["items"]}
    assert report["satisfaction"]["n"] == 3
    assert (items["overall"]["n"], items["overall"]["mean"]) == (3, 4.0)
    assert (items["relevance"]["n"], items["relevance"]["mean"]) == (2, 3.0)
    gain = report["gain"]
    assert gain["n"] == 3  # p6 took only the first test
    assert gain["mean_raw"] == pytest.approx(110 / 3)  # 60, 0 and 50 percentage points
    assert (gain["median_raw"], gain["min_raw"], gain["max_raw"]) == (50, 0, 60)
    assert gain["sd_raw"] == pytest.approx(32.1455, abs=1e-3)
    follow_up = report["follow_up"]
    assert (follow_up["sent"], follow_up["n"], follow_up["response_rate"]) == (3, 2, pytest.approx(2 / 3))
    changed = {c["value"]: c["count"] for c in next(i for i in follow_up["items"] if i["key"] == "changed_work")["distribution"]}
    assert changed["yes"] == 1 and changed["no"] == 1


def test_filters(network, dataset):
    first, second = dataset
    today = timezone.localdate()
    report = funder_report(user=network["trainer"], date_from=today - datetime.timedelta(days=30))
    assert [row["event"] for row in report["events"]] == [second] and report["participants"] == 2
    report = funder_report(user=network["trainer"], date_to=today - datetime.timedelta(days=30))
    assert [row["event"] for row in report["events"]] == [first]
    report = funder_report(user=network["trainer"], event=first.pk)
    assert report["participants"] == 2 and report["gain"]["n"] == 2
    report = funder_report(user=network["network_coordinator"], organisation_ids=[network.home.pk])
    assert report["participants"] == 4


def test_it_checks_ownership(network, as_user, dataset):
    first, _second = dataset
    for outsider in (network["other_trainer"], network["caseworker"], network.outsider, network.superuser):
        with pytest.raises(Http404):
            funder_report(user=outsider, event=first.pk)
    with pytest.raises(Http404):
        funder_report(user=network["trainer"], organisation_ids=[network.other.pk])
    for outsider in (network["caseworker"], network["supervisor"], network.outsider, network.superuser):
        assert_denied(as_user(outsider).get(url("learning:training_report")))
        assert_denied(as_user(outsider).get(url("learning:training_report_xlsx")))
    # Her own report never shows the other organisation's event; asking for it is a 404.
    other_event = Registration.objects.get(email_index__isnull=False, country="CY", event__host=network.other).event
    assert_denied(as_user(network["trainer"]).get(url("learning:training_report"), {"event": other_event.pk}))
    assert_denied(as_user(network["trainer"]).get(url("learning:training_report"), {"organisation": network.other.pk}))
    assert_denied(as_user(network["trainer"]).get(url("learning:training_report"), {"event": "abc"}))
    assert as_user(None).get(url("learning:training_report")).status_code == 302


def test_the_page_draws_charts_with_the_same_numbers_in_tables(network, as_user, dataset):
    response = as_user(network["trainer"]).get(url("learning:training_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 5  # country, profession, kind of organisation, sex, satisfaction
    assert "<desc" in html and "Italy: 2." in html
    assert '<th scope="row">Italy</th><td>2</td>' in html
    assert "Autumn training" in html and "Spring seminar" in html
    assert "57%" in html  # 8 of 14 session places
    assert 'href="/en/learning/reports/"' in html  # the navigation item


def test_bad_filters_keep_what_was_typed(network, as_user, dataset):
    response = as_user(network["trainer"]).get(url("learning:training_report"),
                                               {"date_from": "2025-05-01", "date_to": "2025-04-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2025-05-01"' in html and "The period cannot end before it starts." in html
    assert 'role="img"' not in html
    response = as_user(network["trainer"]).get(url("learning:training_report_xlsx"), {"date_from": "not a date"})
    assert response.status_code == 400


def test_the_spreadsheet(network, as_user, dataset):
    from openpyxl import load_workbook

    first, _second = dataset
    response = as_user(network["trainer"]).get(url("learning:training_report_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="training-report-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Events", "By country", "By profession", "By kind of organisation", "By sex",
                               "Satisfaction", "Knowledge gain", "Follow-up"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Participants (attended at least one session)"] == 4
    assert summary["Attendance rate (%)"] == pytest.approx(57.1)
    assert summary["Follow-up response rate (%)"] == pytest.approx(66.7)
    countries = {row[0]: row[1] for row in book["By country"].iter_rows(min_row=2, values_only=True)}
    assert countries == {"Italy": 2, "Cyprus": 1, "Bulgaria": 1}
    gain = {row[0]: row[1] for row in book["Knowledge gain"].iter_rows(min_row=2, values_only=True)}
    assert gain["Participants with both tests"] == 3 and gain["Median"] == 50
    audit = AuditEvent.objects.get(action="learning.report_exported")
    assert audit.detail == {"organisation": "", "event": "", "from": "", "to": ""}
    # One event.
    response = as_user(network["trainer"]).get(url("learning:training_report_xlsx"), {"event": first.pk})
    events = list(load_workbook(io.BytesIO(response.content))["Events"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in events] == ["Spring seminar"]


def test_a_title_is_never_a_formula(network, as_user):
    from openpyxl import load_workbook

    event = held_event(network["trainer"], network.home, sessions=1, title="=HYPERLINK(\"http://x\")")
    participant(event, [P], by=network["trainer"])
    response = as_user(network["trainer"]).get(url("learning:training_report_xlsx"))
    events = list(load_workbook(io.BytesIO(response.content))["Events"].iter_rows(min_row=2, values_only=True))
    assert events[0][0].startswith("'=")


def _grow(network, events, people):
    trainer = network["trainer"]
    for number in range(events):
        event = held_event(trainer, network.home, sessions=2, title=f"Event {number}")
        for person in range(people):
            registration = participant(event, [P, L], by=trainer, email=f"e{number}p{person}@x.example")
            SatisfactionResponse.objects.create(registration=registration, answers={"overall": 4})
            _tests(registration, 3, 7)
            FollowUpResponse.objects.create(registration=registration, answers={"used": "often"})


def test_a_fixed_number_of_queries(network, as_user, django_assert_max_num_queries):
    client = as_user(network["trainer"])
    _grow(network, 1, 1)
    client.get(url("learning:training_report"))  # sessions, caches
    with django_assert_max_num_queries(8):
        assert funder_report(user=network["trainer"])["participants"] == 1
    with django_assert_max_num_queries(16):
        assert client.get(url("learning:training_report")).status_code == 200
    _grow(network, 9, 10)
    with django_assert_max_num_queries(8):
        assert funder_report(user=network["trainer"])["participants"] == 91
    with django_assert_max_num_queries(16):
        assert client.get(url("learning:training_report")).status_code == 200
    with django_assert_max_num_queries(24):  # the figures, her session, the audit event (with its lock on PostgreSQL)
        assert client.get(url("learning:training_report_xlsx")).status_code == 200
