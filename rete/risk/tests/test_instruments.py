"""Instrument files: parsing, every problem with its location, the helpers, the `rete
instruments` command, loading versions, Rete's shipped instruments."""
import datetime
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rete.core.models import AuditEvent
from rete.risk import instruments, services
from rete.risk.instruments import InstrumentError, Problem
from rete.risk.models import Instrument
from rete.risk.tests.fixtures import NAMES, definition, path

SHIPPED = Path(services.__file__).resolve().parent / "instruments"


def locations(problems):
    return [p.location for p in problems]


def run(*args):
    """Run `rete instruments …`; (stdout, the CommandError or None)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("instruments", *map(str, args), stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def write(tmp_path, name, data, *, as_json=False):
    target = tmp_path / name
    target.write_text(json.dumps(data) if as_json else yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


# ---- the fixtures and the shipped files ----


@pytest.mark.parametrize("name", NAMES)
def test_every_test_instrument_is_valid(name):
    assert instruments.validate(definition(name)) == []


def test_the_test_instruments_cover_every_scoring_kind():
    assert {definition(n)["scoring"]["kind"] for n in NAMES} == set(instruments.SCORING_KINDS)


def test_shipped_instruments_are_valid_in_five_languages():
    files = sorted(SHIPPED.glob("*.yaml"))
    assert files, "Rete ships its own instruments in rete/risk/instruments/"
    assesses = set()
    for file in files:
        defn = instruments.parse(file.read_bytes(), filename=file.name)
        assert instruments.validate(defn) == [], file.name
        assert set(defn["languages"]) == set(instruments.LANGUAGES), file.name
        assesses.add(defn["assesses"])
    assert assesses == {"victim", "perpetrator"}  # her situation and a perpetrator template


# ---- problems, with their locations, all of them at once ----


def test_gap_between_bands():
    defn = definition("count-24")
    defn["bands"][1]["min"] = 15
    problems = instruments.validate(defn)
    assert locations(problems) == ["bands[1].min"]
    assert "14" in problems[0].message


def test_overlap_between_bands():
    defn = definition("count-24")
    defn["bands"][1]["min"] = 13
    problems = instruments.validate(defn)
    assert locations(problems) == ["bands[1].min"]
    assert "overlaps bands[0]" in problems[0].message


def test_bands_must_reach_the_lowest_and_highest_scores():
    defn = definition("weighted-20")
    defn["bands"][0]["min"] = 2
    defn["bands"][3]["max"] = 40
    problems = instruments.validate(defn)
    assert locations(problems) == ["bands[0].min", "bands[3].max"]


def test_a_band_no_score_can_reach():
    defn = definition("count-24")
    defn["bands"].append({"code": "beyond", "label": {"en": "Beyond", "it": "Oltre"}, "min": 25, "max": 30})
    assert locations(instruments.validate(defn)) == ["bands[2]"]


def test_bands_out_of_order():
    defn = definition("weighted-20")
    defn["bands"][1], defn["bands"][2] = defn["bands"][2], defn["bands"][1]
    problems = instruments.validate(defn)
    assert "bands[2].min" in locations(problems)
    assert any("ordered" in p.message for p in problems)


def test_unknown_scheme():
    defn = definition("count-24")
    defn["sections"][1]["items"][4]["scheme"] = "yes_no"
    assert [str(p) for p in instruments.validate(defn)] == ['sections[1].items[4].scheme: unknown answer scheme "yes_no"']


def test_missing_and_undeclared_languages():
    defn = definition("gate-11")
    del defn["sections"][0]["items"][2]["text"]["it"]
    defn["bands"][1]["actions"][0]["text"]["el"] = "Κείμενο"
    defn["title"]["de"] = "Titel"
    problems = instruments.validate(defn)
    assert locations(problems) == ["title.de", "sections[0].items[2].text", "bands[1].actions[0].text.el"]
    assert '"it"' in problems[1].message


def test_a_language_rete_does_not_have():
    defn = definition("gate-11")
    defn["languages"].append("fr")
    assert "languages[2]" in locations(instruments.validate(defn))


def test_duplicate_codes():
    defn = definition("judgement-20")
    defn["sections"][3]["items"][1]["code"] = "f01"
    defn["answer_schemes"]["presence"]["options"][2]["code"] = "present"
    defn["bands"][2]["code"] = "low"
    problems = instruments.validate(defn)
    assert locations(problems) == ["answer_schemes.presence.options[2].code", "sections[3].items[1].code", "bands[2].code"]
    assert "sections[0].items[0]" in problems[1].message


def test_bad_agency_event_and_duration():
    defn = definition("count-24")
    defn["bands"][1]["actions"][0]["agency"] = "army"
    defn["bands"][1]["actions"][0]["due_within"] = {"days": 0}
    defn["bands"][0]["reassess_within"] = {"days": 2, "hours": 3}
    defn["reassess_on"].append("full_moon")
    problems = instruments.validate(defn)
    assert locations(problems) == ["reassess_on[4]", "bands[0].reassess_within", "bands[1].actions[0].agency",
                                   "bands[1].actions[0].due_within.days"]
    assert "victim_support" in problems[2].message


def test_gate_or_count_rules():
    defn = definition("gate-11")
    defn["bands"].append({"code": "extra", "label": {"en": "Extra", "it": "Extra"}})
    defn["scoring"]["at_least"] = 12  # with no gate left, 11 items count
    for item in defn["sections"][0]["items"]:
        item["gate"] = False
    del defn["answer_schemes"]["yes_no_unknown"]["options"][0]["positive"]
    problems = instruments.validate(defn)
    assert set(locations(problems)) == {"scoring.at_least", "sections", "bands", "answer_schemes.yes_no_unknown.options"}
    assert any("exactly two bands" in p.message for p in problems)


def test_kind_specific_keys_in_the_wrong_kind():
    defn = definition("judgement-20")
    defn["bands"][0]["min"] = 0
    defn["scoring"]["at_least"] = 2
    defn["sections"][0]["items"][0]["weight"] = 3
    defn["sections"][0]["items"][1]["gate"] = True
    assert locations(instruments.validate(defn)) == ["scoring.at_least", "sections[0].items[0].weight", "sections[0].items[1].gate",
                                                    "bands[0].min"]


def test_structure_problems_name_the_place():
    defn = definition("count-24")
    del defn["licence"]
    defn["sections"][0]["items"][1]["weigth"] = 2
    defn["version"] = "two"
    problems = instruments.validate(defn)
    assert [str(p) for p in problems] == ['missing "licence"', "version: expected a whole number",
                                          'sections[0].items[1].weigth: unknown key "weigth"']
    assert Problem("", 'missing "licence"') in problems


def test_an_action_code_has_one_wording():
    defn = definition("count-24")
    defn["bands"][1]["actions"][1]["text"]["en"] = "Something else"
    assert locations(instruments.validate(defn)) == ["bands[1].actions[1].text"]


def test_several_problems_in_one_file_are_reported_together(tmp_path):
    defn = definition("count-24")
    defn["bands"][1]["min"] = 15  # gap
    defn["sections"][1]["items"][4]["scheme"] = "yes_no"  # unknown scheme
    del defn["sections"][0]["items"][2]["text"]["it"]  # missing language
    defn["sections"][2]["items"][0]["code"] = "c01"  # duplicate
    defn["bands"][0]["actions"][0]["agency"] = "army"  # bad agency
    out, error = run("check", write(tmp_path, "broken.yaml", defn))
    assert error is not None and error.returncode == 1
    lines = out.splitlines()
    assert lines == [
        "sections[0].items[2].text: missing the text in \"it\"",
        'sections[1].items[4].scheme: unknown answer scheme "yes_no"',
        'sections[2].items[0].code: the item code "c01" is already used at sections[0].items[0]',
        lines[3],
        "bands[1].min: scores between 13 and 15 fall in no band",
    ]
    assert lines[3].startswith('bands[0].actions[0].agency: unknown value "army"')
    assert "5 problem(s)" in str(error)


def test_parse_errors_have_line_and_column(tmp_path):
    with pytest.raises(InstrumentError) as caught:
        instruments.parse("code: x\ntitle: [unclosed\n")
    assert caught.value.problems[0].location.startswith("line 3")
    with pytest.raises(InstrumentError) as caught:
        instruments.parse('{"code": "x",\n "version": }', filename="x.json")
    assert caught.value.problems[0].location == "line 2, column 13"
    with pytest.raises(InstrumentError) as caught:
        instruments.parse("code: a\nversion: 1\ncode: b\n")
    assert str(caught.value) == 'line 3, column 1: the key "code" is given twice'
    with pytest.raises(InstrumentError):
        instruments.parse("- just\n- a list\n")
    with pytest.raises(InstrumentError):
        instruments.parse(b"\xff\xfe code")
    with pytest.raises(InstrumentError) as caught:
        instruments.parse("a: &x [1, 2]\nb: *x\n")
    assert "aliases" in str(caught.value)
    with pytest.raises(InstrumentError):
        instruments.parse("[" * 100_000, filename="deep.json")


def test_unquoted_yes_is_explained():
    text = path("count-24").read_text(encoding="utf-8").replace('code: "yes"', "code: yes")
    problems = instruments.validate(instruments.parse(text))
    assert locations(problems) == ["answer_schemes.yes_no_unknown.options[0].code"]
    assert "quotes" in problems[0].message


def test_json_files_are_read_as_json(tmp_path):
    target = write(tmp_path, "count.json", definition("count-24"), as_json=True)
    out, error = run("check", target)
    assert error is None and out.strip() == "OK: test-count-24 v1, 24 items, 2 bands"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_validate_never_crashes_on_damaged_files(data):
    """Whatever is put wherever, validate() answers with problems, never an exception."""
    defn = definition(data.draw(st.sampled_from(NAMES)))
    junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 30), st.floats(allow_nan=False), st.text(max_size=5),
                     st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    for _ in range(data.draw(st.integers(1, 4))):
        node, key = defn, None
        for _depth in range(data.draw(st.integers(0, 5))):
            keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
            if not keys:
                break
            key = data.draw(st.sampled_from(keys))
            if not isinstance(node[key], (dict, list)):
                break
            node = node[key]
        if isinstance(node, dict) and node:
            node[data.draw(st.sampled_from(list(node)))] = data.draw(junk)
        elif isinstance(node, list) and node:
            node[data.draw(st.integers(0, len(node) - 1))] = data.draw(junk)
    problems = instruments.validate(defn)
    assert all(isinstance(p, Problem) for p in problems)


# ---- the helpers ----


def test_helpers():
    defn = definition("weighted-20")
    flat = instruments.items(defn)
    assert [i["code"] for i in flat][:3] == ["w01", "w02", "w03"] and flat[10]["section"] == "part-b"
    assert "section" not in defn["sections"][0]["items"][0]  # a copy, the definition is untouched
    assert [o["code"] for o in instruments.options(defn, flat[0])] == ["yes", "no", "unknown"]
    assert instruments.options(defn, "w02") == instruments.options(defn, flat[1])
    assert instruments.band(defn, "serious")["min"] == 14
    assert instruments.band_rank(defn, "low") == 0 and instruments.band_rank(defn, "extreme") == 3
    assert [b["code"] for b in instruments.bands_above(defn, "moderate")] == ["serious", "extreme"]
    assert instruments.bands_above(defn, "extreme") == []
    with pytest.raises(ValueError):
        instruments.band_rank(defn, "nope")
    assert instruments.duration({"days": 7}) == datetime.timedelta(days=7)
    assert instruments.duration({"hours": 72}) == datetime.timedelta(hours=72)
    assert instruments.duration(None) is None
    assert instruments.action(defn, "police-contact")["agency"] == "police"
    label = defn["bands"][0]["label"]
    assert instruments.text(label, "it") == "Basso"
    assert instruments.text(label, "el", definition=defn) == "Low"  # falls back to the file's first language
    assert instruments.text({"it": "Solo"}, "bg") == "Solo"
    assert instruments.text(None, "en") == ""


# ---- the command: check, score ----


def test_check_ok():
    out, error = run("check", path("gate-11"))
    assert error is None and out.strip() == "OK: test-gate-11 v1, 11 items, 2 bands"


def test_check_unreadable_file(tmp_path):
    out, error = run("check", tmp_path / "absent.yaml")
    assert error is not None and "Cannot read" in str(error)
    out, error = run("check", write(tmp_path, "bad.yaml", {}))
    assert error is not None and 'missing "code"' in out


def test_score_prints_score_band_gate_and_missing(tmp_path):
    answers = {f"c{n:02d}": "yes" for n in range(1, 15)} | {"c15": "no"}
    out, error = run("score", path("count-24"), write(tmp_path, "a.json", answers, as_json=True))
    assert error is None
    assert "Score: 14" in out and "Band: high (High), rank 1 of 1" in out and "Gate triggered: no" in out
    assert "Answered: 15 of 24" in out and "Missing: c16, c17, c18, c19, c20, c21, c22, c23, c24" in out


def test_score_gate_and_judgement(tmp_path):
    out, error = run("score", path("gate-11"), write(tmp_path, "g.json", {"g2": "yes"}, as_json=True))
    assert error is None and "Band: triggered (Triggered)" in out and "Gate triggered: yes" in out and "Score: 0" in out
    judged = write(tmp_path, "j.json", {"f01": "present"}, as_json=True)
    out, error = run("score", path("judgement-20"), judged, "--band", "medium")
    assert error is None and "Score: none (judgement)" in out and "Band: medium (Medium)" in out
    out, error = run("score", path("judgement-20"), judged)
    assert error is None and "Band: none" in out
    out, error = run("score", path("judgement-20"), judged, "--band", "extreme")
    assert error is not None and "unknown band" in str(error)
    out, error = run("score", path("count-24"), judged, "--band", "high")
    assert error is not None and "judgement" in str(error)


def test_score_refuses_bad_answers(tmp_path):
    _out, error = run("score", path("count-24"), write(tmp_path, "a.json", {"c99": "yes"}, as_json=True))
    assert error is not None and "unknown item 'c99'" in str(error)
    _out, error = run("score", path("count-24"), write(tmp_path, "b.json", {"c01": "perhaps"}, as_json=True))
    assert error is not None and "unknown option 'perhaps'" in str(error)
    (tmp_path / "c.json").write_text("{not json")
    _out, error = run("score", path("count-24"), tmp_path / "c.json")
    assert error is not None and "not a JSON file" in str(error)
    _out, error = run("score", path("count-24"), write(tmp_path, "d.json", ["c01"], as_json=True))
    assert error is not None and "expected" in str(error)


# ---- loading versions ----


def _as_version(name, version, tmp_path):
    defn = definition(name)
    defn["version"] = version
    return write(tmp_path, f"{name}-v{version}.yaml", defn)


@pytest.mark.django_db
def test_load_command_stores_the_version_and_audits_it(tmp_path, network):
    source = path("count-24")
    out, error = run("load", source, "--organisation", "home")
    assert error is None and out.startswith("Loaded: test-count-24 v1, 24 items, 2 bands for home")
    instrument = Instrument.objects.get(code="test-count-24")
    import hashlib

    assert instrument.organisation == network.home and instrument.version == 1 and instrument.assesses == "victim"
    assert instrument.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert instrument.definition == definition("count-24")
    event = AuditEvent.objects.filter(action="risk.instrument_loaded").latest("seq")
    assert event.detail == {"code": "test-count-24", "version": 1, "organisation": "home"}
    assert event.organisation == network.home and event.object_id == str(instrument.pk)

    out, error = run("load", source, "--organisation", "home")
    assert error is not None and "not higher" in out
    _out, error = run("load", source, "--organisation", "nowhere")
    assert error is not None and "No organisation" in str(error)


@pytest.mark.django_db
def test_a_new_version_leaves_past_assessments_on_theirs(tmp_path, network):
    from rete.cases.tests.helpers import open_case
    from rete.risk.models import RiskAssessment

    worker = network["caseworker"]
    case = open_case(worker, network.home)
    assert run("load", _as_version("count-24", 1, tmp_path), "--organisation", "home")[1] is None
    v1 = Instrument.objects.get(code="test-count-24", version=1)
    assessment = services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=v1.pk)
    out, error = run("load", _as_version("count-24", 2, tmp_path), "--organisation", "home")
    assert error is None and "v2" in out
    assert RiskAssessment.objects.get(pk=assessment.pk).instrument_id == v1.pk
    assert Instrument.objects.filter(code="test-count-24").count() == 2
    from rete.risk.selectors import instruments_available

    assert [i.version for i in instruments_available(organisation=network.home) if i.code == "test-count-24"] == [2]
    # A lower version than the newest is refused, even one never loaded.
    with pytest.raises(InstrumentError) as caught:
        services.instrument_load(definition=definition("count-24"), source=b"", organisation=network.home)
    assert locations(caught.value.problems) == ["version"]


@pytest.mark.django_db
def test_load_refuses_invalid_definitions_and_another_owners_code(network):
    broken = definition("gate-11")
    broken["scoring"]["at_least"] = 20
    with pytest.raises(InstrumentError) as caught:
        services.instrument_load(definition=broken, source=b"x", organisation=network.home)
    assert locations(caught.value.problems) == ["scoring.at_least"]
    assert not Instrument.objects.filter(code="test-gate-11").exists()

    services.instrument_load(definition=definition("gate-11"), source=b"x", organisation=network.home)
    newer = definition("gate-11")
    newer["version"] = 2
    for owner in (network.other, None):  # another organisation, or everyone: the code is home's
        with pytest.raises(InstrumentError) as caught:
            services.instrument_load(definition=newer, source=b"x", organisation=owner)
        assert locations(caught.value.problems) == ["code"]


@pytest.mark.django_db
def test_only_a_loader_of_that_organisation_may_load(network):
    for person in (network["caseworker"], network.outsider, network["other_org_admin"]):
        with pytest.raises(Http404):
            services.instrument_load(definition=definition("judgement-20"), source=b"x", by=person, organisation=network.home)
    with pytest.raises(Http404):
        services.instrument_load(definition=definition("judgement-20"), source=b"x", by=network["org_admin"], organisation=None)
    loaded = services.instrument_load(definition=definition("judgement-20"), source=b"x", by=network["org_admin"], organisation=network.home)
    assert loaded.loaded_by == network["org_admin"]
    event = AuditEvent.objects.filter(action="risk.instrument_loaded").latest("seq")
    assert event.actor == network["org_admin"] and set(event.detail) == {"code", "version", "organisation"}


# ---- which instruments an organisation may use, and who reads them ----


@pytest.mark.django_db
def test_instruments_available(network, django_assert_num_queries):
    from django.utils import timezone

    from rete.risk.selectors import instruments_available

    Instrument.objects.filter(organisation__isnull=True).delete()  # the shipped ones are tested below
    shared = services.instrument_load(definition=definition("count-24"), source=b"x")
    for version in (1, 2):
        defn = definition("judgement-20")
        defn["version"] = version
        services.instrument_load(definition=defn, source=b"x", organisation=network.home)
    services.instrument_load(definition=definition("gate-11"), source=b"x", organisation=network.other)
    weighted = services.instrument_load(definition=definition("weighted-20"), source=b"x", organisation=network.home)

    with django_assert_num_queries(1):
        home = instruments_available(organisation=network.home)
    assert [(i.code, i.version) for i in home] == [("test-count-24", 1), ("test-judgement-20", 2), ("test-weighted-20", 1)]
    assert [i.code for i in instruments_available(organisation=network.other)] == ["test-count-24", "test-gate-11"]
    assert [i.code for i in instruments_available(organisation=network.home, assesses="perpetrator")] == ["test-judgement-20"]
    assert [i.code for i in instruments_available(organisation=network.home, assesses=("victim",))] == ["test-count-24", "test-weighted-20"]

    Instrument.objects.filter(pk=weighted.pk).update(retired_at=timezone.now())
    Instrument.objects.filter(pk=shared.pk).update(retired_at=timezone.now())
    assert [i.code for i in instruments_available(organisation=network.home)] == ["test-judgement-20"]


@pytest.mark.django_db
def test_instrument_list(network):
    from rete.risk.selectors import instrument_list

    Instrument.objects.filter(organisation__isnull=True).delete()
    services.instrument_load(definition=definition("count-24"), source=b"x")
    services.instrument_load(definition=definition("gate-11"), source=b"x", organisation=network.home)
    services.instrument_load(definition=definition("judgement-20"), source=b"x", organisation=network.other)
    assert [i.code for i in instrument_list(user=network["caseworker"])] == ["test-count-24", "test-gate-11"]
    assert [i.code for i in instrument_list(user=network["other_org_admin"])] == ["test-count-24", "test-judgement-20"]
    assert len(instrument_list(user=network.superuser)) == 3
    with pytest.raises(Http404):
        instrument_list(user=network["trainer"])


# ---- Rete's own instruments, installed after migrate ----


@pytest.mark.django_db
def test_install_shipped_is_idempotent(tmp_path, monkeypatch):
    for name in ("count-24", "judgement-20"):
        (tmp_path / f"{name}.yaml").write_bytes(path(name).read_bytes())
    monkeypatch.setattr(services, "SHIPPED_DIR", tmp_path)
    assert services.instruments_install_shipped() == 2
    assert services.instruments_install_shipped() == 0
    assert set(Instrument.objects.filter(organisation__isnull=True, code__startswith="test-").values_list("code", "version")) == {
        ("test-count-24", 1), ("test-judgement-20", 1)}
    # A newer file is loaded; the older one stays for the assessments made with it.
    _as_version("count-24", 2, tmp_path)
    assert services.instruments_install_shipped() == 1
    assert Instrument.objects.filter(code="test-count-24").count() == 2


@pytest.mark.django_db
def test_install_shipped_reports_a_broken_file_and_post_migrate_carries_on(tmp_path, monkeypatch):
    from django.apps import apps

    from rete.risk.apps import install_shipped_instruments

    broken = definition("gate-11")
    broken["bands"].pop()
    write(tmp_path, "a-broken.yaml", broken)
    (tmp_path / "b-count.yaml").write_bytes(path("count-24").read_bytes())
    monkeypatch.setattr(services, "SHIPPED_DIR", tmp_path)
    with pytest.raises(InstrumentError) as caught:
        services.instruments_install_shipped()
    assert caught.value.problems[0].location == "a-broken.yaml: bands"
    install_shipped_instruments(sender=apps.get_app_config("risk"), verbosity=0)
    assert Instrument.objects.filter(code="test-count-24").exists()
    assert not Instrument.objects.filter(code="test-gate-11").exists()


@pytest.mark.django_db
def test_the_real_shipped_instruments_are_installed_once():
    files = sorted(SHIPPED.glob("*.yaml"))
    services.instruments_install_shipped()  # after migrate they are already there
    assert services.instruments_install_shipped() == 0
    for file in files:
        defn = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert Instrument.objects.filter(code=defn["code"], version=defn["version"], organisation__isnull=True).exists()


@pytest.mark.django_db
def test_a_retired_instrument_is_no_longer_offered_but_past_assessments_keep_it(network):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from rete.cases.tests.helpers import open_case
    from rete.core.models import AuditEvent
    from rete.risk import selectors, services
    from rete.risk.models import RiskAssessment

    worker = network["caseworker"]
    case = open_case(worker, network.home)
    screen = next(i for i in selectors.instruments_available(organisation=network.home) if i.code == "rete-victim-screen")
    draft = services.assessment_start(by=worker, subject_type="case", subject_id=case.pk, instrument_id=screen.pk)
    out = StringIO()
    call_command("instruments", "retire", "rete-victim-screen", stdout=out)
    assert "Retired: rete-victim-screen" in out.getvalue()
    assert "rete-victim-screen" not in {i.code for i in selectors.instruments_available(organisation=network.home)}
    assert RiskAssessment.objects.get(pk=draft.pk).instrument_id == screen.pk
    assert AuditEvent.objects.filter(action="risk.instrument_retired").exists()
    with pytest.raises(CommandError):
        call_command("instruments", "retire", "rete-victim-screen", stdout=StringIO())  # nothing left in use
