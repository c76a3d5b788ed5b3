"""pathways.validate and its parts: what may be published (pure, no database)."""
import copy

from rete.programmes import pathways


def _valid():
    return {"stages": copy.deepcopy(pathways.DEFAULT_STAGES), "rules": dict(pathways.DEFAULT_RULES),
            "notifications": copy.deepcopy(pathways.DEFAULT_NOTIFICATIONS)}


def test_the_defaults_are_valid():
    assert pathways.validate(**_valid()) == {}


def test_a_pathway_needs_stages_and_one_after_the_assessment():
    assert list(pathways.validate(**{**_valid(), "stages": []})) == ["stages"]
    only_assessment = [{"code": "assessment", "kind": "assessment", "name": "Assessment", "min_sessions": 3, "min_hours": 0}]
    assert list(pathways.validate(**{**_valid(), "stages": only_assessment})) == ["stages"]
    too_many = [{"code": f"s{i}", "kind": "group", "name": f"Stage {i}", "min_sessions": 1, "min_hours": 0}
                for i in range(pathways.MAX_STAGES + 1)]
    assert list(pathways.validate(**{**_valid(), "stages": too_many})) == ["stages"]


def test_each_stage_is_checked_where_it_stands():
    data = _valid()
    data["stages"][1]["code"] = "Motivational"  # capitals
    data["stages"][2]["code"] = "assessment"  # the first stage's code again
    data["stages"][2]["kind"] = "therapy"
    data["stages"][3]["name"] = "  "
    data["stages"][3]["min_hours"] = -1
    data["stages"].append("not a stage")
    problems = pathways.validate(**data)
    assert set(problems) == {"stages.1", "stages.2", "stages.3", "stages.4"}
    assert len(problems["stages.2"]) == 2 and "assessment" in str(problems["stages.2"][0])
    assert len(problems["stages.3"]) == 2


def test_stage_problems_name_the_field():
    good = {"code": "group", "kind": "group", "name": "Group", "min_sessions": 44, "min_hours": 88}
    assert pathways.stage_problems(good) == {}
    assert set(pathways.stage_problems(good, other_codes=["group"])) == {"code"}
    assert set(pathways.stage_problems({**good, "min_sessions": True, "min_hours": 1001})) == {"min_sessions", "min_hours"}
    assert set(pathways.stage_problems({**good, "min_sessions": "4"})) == {"min_sessions"}
    assert set(pathways.stage_problems({**good, "name": "x" * 201})) == {"name"}
    assert set(pathways.stage_problems({**good, "kind": ""})) == {"kind"}


def test_rules_are_whole_numbers_in_range_with_the_warning_first():
    for bad in (-1, 101, "3", 2.5, True, None):
        problems = pathways.validate(**{**_valid(), "rules": {**pathways.DEFAULT_RULES, "lates_per_absence": bad}})
        assert list(problems) == ["rules.lates_per_absence"], bad
    late_warning = {**pathways.DEFAULT_RULES, "warning_after_absences": 5, "non_compliance_after_absences": 4}
    assert list(pathways.validate(**{**_valid(), "rules": late_warning})) == ["rules.warning_after_absences"]
    # With non-compliance switched off (0), any warning is fine.
    assert pathways.validate(**{**_valid(), "rules": {**late_warning, "non_compliance_after_absences": 0}}) == {}
    attitude = {**pathways.DEFAULT_RULES, "oppositional_warning_after": 3, "oppositional_non_compliance_after": 1}
    assert list(pathways.validate(**{**_valid(), "rules": attitude})) == ["rules.oppositional_warning_after"]
    weekly = {**pathways.DEFAULT_RULES, "sessions_per_week": 15}
    assert list(pathways.validate(**{**_valid(), "rules": weekly})) == ["rules.sessions_per_week"]


def test_excuses_and_unknown_rules():
    problems = pathways.validate(**{**_valid(), "rules": {**pathways.DEFAULT_RULES, "excusable": ["holiday"]}})
    assert list(problems) == ["rules.excusable"]
    problems = pathways.validate(**{**_valid(), "rules": {**pathways.DEFAULT_RULES, "excusable": [["illness"]]}})
    assert list(problems) == ["rules.excusable"]
    problems = pathways.validate(**{**_valid(), "rules": {**pathways.DEFAULT_RULES, "absences_allowed": 3}})
    assert list(problems) == ["rules"]
    assert list(pathways.validate(**{**_valid(), "rules": None})) == ["rules"]


def test_notifications_name_known_events_and_targets():
    assert list(pathways.validate(**{**_valid(), "notifications": {"started": ["police"]}})) == ["notifications"]
    assert list(pathways.validate(**{**_valid(), "notifications": {"arrested": ["court"]}})) == ["notifications"]
    assert list(pathways.validate(**{**_valid(), "notifications": {"started": "court"}})) == ["notifications"]
    assert pathways.validate(**{**_valid(), "notifications": {}}) == {}


def test_her_service_is_always_told_of_what_matters_for_her_safety():
    nobody = {event: [] for event in pathways.NOTIFICATION_EVENTS}
    for event in pathways.NOTIFICATION_EVENTS:
        assert ("partner" in pathways.notified(nobody, event)) == (event in pathways.PARTNER_ALWAYS)
        assert "court" not in pathways.notified(nobody, event)
    assert pathways.notified(None, "completed") == {"partner"}
    assert pathways.notified({"completed": ["court", "press"]}, "completed") == {"partner", "court"}


def test_the_empty_start_and_the_helpers():
    problems = pathways.validate(stages=[], rules=pathways.EMPTY_RULES, notifications=pathways.EMPTY_NOTIFICATIONS)
    assert list(problems) == ["stages"]
    assert pathways.stage(pathways.DEFAULT_STAGES, "group")["kind"] == "group"
    assert pathways.stage(pathways.DEFAULT_STAGES, "nothing") is None
    assert pathways.first_programme_stage(pathways.DEFAULT_STAGES)["code"] == "motivational"
    assert pathways.first_programme_stage([]) is None
