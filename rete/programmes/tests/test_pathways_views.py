"""The pathway pages (views/pathways.py): who reaches them, the editor's 400 and 409 paths, the
version's page in plain words, and a bounded number of queries."""
import pytest

from rete.conftest import assert_denied, client_for, make_user, url
from rete.core.models import Role
from rete.programmes import pathways
from rete.programmes.models import EnrolmentState, PathwayStatus, PathwayVersion
from rete.programmes.services import pathways as services
from rete.programmes.tests.factories import Programme, make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return Programme()


@pytest.fixture
def draft(programme):
    return services.pathway_create(by=programme.coordinator, organisation=programme.organisation,
                                   name="Percorso Mandato 165")


def _fresh(version):
    return PathwayVersion.objects.get(pk=version.pk)


def _edit_urls(version):
    return {
        "describe": url("programmes:pathway_version_describe", pathway_draft_id=version.pk),
        "stage_add": url("programmes:pathway_stage_add", pathway_draft_id=version.pk),
        "stage_edit": url("programmes:pathway_stage_edit", pathway_draft_id=version.pk, stage_code="group"),
        "rules": url("programmes:pathway_version_rules", pathway_draft_id=version.pk),
        "notifications": url("programmes:pathway_version_notifications", pathway_draft_id=version.pk),
    }


def _post_urls(version):
    return {
        "publish": url("programmes:pathway_version_publish", pathway_draft_id=version.pk),
        "stage_remove": url("programmes:pathway_stage_remove", pathway_draft_id=version.pk, stage_code="group"),
        "stage_move": url("programmes:pathway_stage_move", pathway_draft_id=version.pk, stage_code="group"),
    }


def _strangers(network, programme):
    other = Programme("elsewhere")
    return [other.coordinator, other.facilitator, programme.partner_worker, network["caseworker"],
            network["programme_coordinator"], network.outsider, network.superuser]


def test_it_checks_ownership_of_a_draft(network, programme, draft):
    """A draft: its programme's coordinators only, not even the programme's facilitators."""
    coordinator = client_for(programme.coordinator)
    detail = url("programmes:pathway_version_detail", pathway_version_id=draft.pk)
    assert coordinator.get(detail).status_code == 200
    strangers = [programme.facilitator, *_strangers(network, programme)]
    for name, path in _edit_urls(draft).items():
        assert coordinator.get(path).status_code == 200, name
        for person in strangers:
            assert_denied(client_for(person).get(path))
            assert_denied(client_for(person).post(path, {"version": draft.version, "name": "X", "code": "x"}))
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name, path in _post_urls(draft).items():
        assert coordinator.get(path).status_code == 405, name
        for person in [programme.facilitator, programme.partner_worker, network.outsider, network.superuser]:
            assert_denied(client_for(person).post(path, {"version": draft.version, "direction": "up"}))
    for person in [programme.facilitator, network.outsider]:
        assert_denied(client_for(person).get(detail))
        assert_denied(client_for(person).post(url("programmes:pathway_version_copy", pathway_version_id=draft.pk)))
    assert _fresh(draft).version == draft.version and _fresh(draft).status == PathwayStatus.DRAFT


def test_it_checks_ownership_of_a_version_in_use(network, programme):
    """In use: the programme's facilitators read it; nobody edits it, not even with a crafted POST."""
    version = programme.pathway_version
    detail = url("programmes:pathway_version_detail", pathway_version_id=version.pk)
    for person in (programme.coordinator, programme.facilitator):
        assert client_for(person).get(detail).status_code == 200
    strangers = _strangers(network, programme)
    for person in strangers:
        assert_denied(client_for(person).get(detail))
        assert_denied(client_for(person).post(url("programmes:pathway_version_retire", pathway_version_id=version.pk)))
        assert_denied(client_for(person).post(url("programmes:pathway_version_copy", pathway_version_id=version.pk)))
    coordinator = client_for(programme.coordinator)
    for path in _edit_urls(version).values():
        assert_denied(coordinator.get(path))
        assert_denied(coordinator.post(path, {"version": version.version, "name": "X", "code": "x", "kind": "group"}))
    for path in _post_urls(version).values():
        assert_denied(coordinator.post(path, {"version": version.version, "direction": "up"}))
    # The facilitator reads it but cannot retire it or start a version from it.
    facilitator = client_for(programme.facilitator)
    assert_denied(facilitator.post(url("programmes:pathway_version_retire", pathway_version_id=version.pk)))
    assert_denied(facilitator.post(url("programmes:pathway_version_copy", pathway_version_id=version.pk)))
    assert _fresh(version).stages == pathways.DEFAULT_STAGES and _fresh(version).status == PathwayStatus.PUBLISHED
    assert_denied(coordinator.get(url("programmes:pathway_version_detail", pathway_version_id=999999)))


def test_the_list_the_navigation_and_a_new_pathway(network, programme, draft):
    coordinator = client_for(programme.coordinator)
    page = coordinator.get(url("programmes:pathway_list")).content.decode()
    assert "Standard pathway" in page and "Percorso Mandato 165" in page and url("programmes:pathway_add") in page
    start = coordinator.get(url("core:start")).content.decode()
    assert f'href="{url("programmes:pathway_list")}"' in start  # the navigation entry
    page = client_for(programme.facilitator).get(url("programmes:pathway_list")).content.decode()
    assert "Standard pathway" in page and "Percorso Mandato 165" not in page and url("programmes:pathway_add") not in page
    start = client_for(programme.facilitator).get(url("core:start")).content.decode()
    assert f'href="{url("programmes:pathway_list")}"' not in start  # coordinators only in the navigation
    for person in (network["caseworker"], programme.partner_worker, network.outsider, network.superuser):
        assert_denied(client_for(person).get(url("programmes:pathway_list")))
    assert_denied(client_for(programme.facilitator).get(url("programmes:pathway_add")))
    assert_denied(client_for(programme.facilitator).post(url("programmes:pathway_add"), {"name": "X"}))

    add = url("programmes:pathway_add")
    response = coordinator.post(add, {"organisation": programme.organisation.pk, "name": "",
                                      "description": "Per chi arriva dal carcere", "from_defaults": "on"})
    assert response.status_code == 400 and "Per chi arriva dal carcere" in response.content.decode()
    elsewhere = Programme("elsewhere")
    response = coordinator.post(add, {"organisation": elsewhere.organisation.pk, "name": "Percorso carcere"})
    assert response.status_code == 400  # not her programme
    response = coordinator.post(add, {"organisation": programme.organisation.pk, "name": "Percorso carcere",
                                      "description": "", "from_defaults": ""})
    version = PathwayVersion.objects.get(pathway__name="Percorso carcere")
    assert response.status_code == 302
    assert response["Location"] == url("programmes:pathway_version_detail", pathway_version_id=version.pk)
    assert version.stages == [] and version.status == PathwayStatus.DRAFT


def test_the_version_page_says_the_rules_in_plain_words(programme):
    version = programme.pathway_version
    make_enrolment(programme, state=EnrolmentState.ACTIVE)
    make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name="Luca")
    page = client_for(programme.facilitator).get(
        url("programmes:pathway_version_detail", pathway_version_id=version.pk)).content.decode()
    for text in ("Group programme", "After 2 absences that count, he gets a warning.",
                 "After 4 absences that count, he is non-compliant.",
                 "Missing 3 sessions in a row (absences that count) is non-compliance.",
                 "Every 3 late arrivals count as one absence.", "Illness, Work, Court hearing, Family emergency",
                 "Up to 4 excused absences do not count", "within 14 days counts as attended",
                 "being there while refusing to take part is not compliance",
                 "No weekly attendance rule of the pathway", "The partner-support service", "(always)"):
        assert text in page, text
    assert "<dt>Men on this version now</dt><dd>2</dd>" in page.replace("\n", "")
    assert "Publish this version" not in page and "Retire this version" not in page  # she only reads
    page = client_for(programme.coordinator).get(
        url("programmes:pathway_version_detail", pathway_version_id=version.pk)).content.decode()
    assert "Retire this version" in page and "Start a new version from this one" in page
    assert "Publish this version" not in page


def test_stages_are_edited_from_the_pages_with_400_and_409(programme, draft):
    coordinator = client_for(programme.coordinator)
    add = url("programmes:pathway_stage_add", pathway_draft_id=draft.pk)
    data = {"version": draft.version, "code": "Colloqui", "kind": "individual", "name": "Colloqui individuali",
            "min_sessions": "6", "min_hours": "6"}
    response = coordinator.post(add, data)
    assert response.status_code == 400 and "Colloqui individuali" in response.content.decode()
    response = coordinator.post(add, {**data, "code": "group"})  # another stage's code
    assert response.status_code == 400 and "Two stages have the code" in response.content.decode()
    response = coordinator.post(add, {**data, "code": "colloqui", "min_hours": "-3"})
    assert response.status_code == 400 and 'value="-3"' in response.content.decode()
    response = coordinator.post(add, {**data, "code": "colloqui"})
    assert response.status_code == 302
    assert [s["code"] for s in _fresh(draft).stages][-1] == "colloqui"

    # The same form, opened before that save: 409, both versions shown, nothing saved.
    edit = url("programmes:pathway_stage_edit", pathway_draft_id=draft.pk, stage_code="group")
    response = coordinator.post(edit, {**data, "code": "group", "kind": "group", "name": "Gruppo del martedì"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this record" in page and "Gruppo del martedì" in page and "Group programme" in page
    assert pathways.stage(_fresh(draft).stages, "group")["name"] == "Group programme"
    # Saved again from the conflict page (it carries the saved version): kept.
    response = coordinator.post(edit, {**data, "version": _fresh(draft).version, "code": "group", "kind": "group",
                                       "name": "Gruppo del martedì"})
    assert response.status_code == 302
    assert pathways.stage(_fresh(draft).stages, "group")["name"] == "Gruppo del martedì"
    assert_denied(coordinator.get(url("programmes:pathway_stage_edit", pathway_draft_id=draft.pk, stage_code="nothing")))

    # Move and remove; a stale one is 409 with the saved order beside what she asked.
    seen = _fresh(draft).version
    move = url("programmes:pathway_stage_move", pathway_draft_id=draft.pk, stage_code="colloqui")
    assert coordinator.post(move, {"version": seen, "direction": "up"}).status_code == 302
    assert [s["code"] for s in _fresh(draft).stages] == ["assessment", "motivational", "group", "colloqui", "follow_up"]
    remove = url("programmes:pathway_stage_remove", pathway_draft_id=draft.pk, stage_code="motivational")
    response = coordinator.post(remove, {"version": seen})
    page = response.content.decode()
    assert response.status_code == 409 and "Remove “Motivational work”" in page
    assert "Assessment, Motivational work, Gruppo del martedì, Colloqui individuali, Follow-up" in page
    assert coordinator.post(remove, {"version": _fresh(draft).version}).status_code == 302
    assert coordinator.post(move, {"version": _fresh(draft).version, "direction": "sideways"}).status_code == 400
    assert coordinator.post(remove, {}).status_code == 400
    assert [s["code"] for s in _fresh(draft).stages] == ["assessment", "group", "colloqui", "follow_up"]


def test_the_rules_form_keeps_bad_numbers_and_answers_409(programme, draft):
    coordinator = client_for(programme.coordinator)
    path = url("programmes:pathway_version_rules", pathway_draft_id=draft.pk)
    page = coordinator.get(path).content.decode()
    assert "Excused absences and making up" in page and "0: absences cannot be made up" in page
    data = {"version": draft.version, "warning_after_absences": "2", "non_compliance_after_absences": "5",
            "max_consecutive_absences": "3", "lates_per_absence": "abc", "excusable": ["illness", "court"],
            "max_excused_absences": "3", "make_up_within_days": "101", "oppositional_warning_after": "1",
            "oppositional_non_compliance_after": "3", "sessions_per_week": "2"}
    response = coordinator.post(path, data)
    page = response.content.decode()
    assert response.status_code == 400 and 'value="abc"' in page and 'value="101"' in page and 'value="5"' in page
    response = coordinator.post(path, {**data, "lates_per_absence": "3", "make_up_within_days": "7",
                                       "warning_after_absences": "6"})
    assert response.status_code == 400 and "The warning must come before non-compliance." in response.content.decode()
    assert 'value="6"' in response.content.decode()
    response = coordinator.post(path, {**data, "lates_per_absence": "3", "make_up_within_days": "7"})
    assert response.status_code == 302
    rules = _fresh(draft).rules
    assert (rules["non_compliance_after_absences"], rules["excusable"], rules["sessions_per_week"]) == (5, ["illness", "court"], 2)
    response = coordinator.post(path, {**data, "lates_per_absence": "0", "make_up_within_days": "7"})
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else saved this record" in page
    assert _fresh(draft).rules["lates_per_absence"] == 3


def test_the_notifications_matrix(programme, draft):
    coordinator = client_for(programme.coordinator)
    path = url("programmes:pathway_version_notifications", pathway_draft_id=draft.pk)
    page = coordinator.get(path).content.decode()
    no_report = [event for event in pathways.NOTIFICATION_EVENTS if event not in pathways.COURT_REPORT_FOR]
    assert page.count("disabled") == len(pathways.PARTNER_ALWAYS) + len(no_report)
    assert "always told at once of what matters for her safety" in page
    # A crafted post leaving her service out changes nothing for her; the court's boxes are saved.
    # No report follows a disclosed threat: no box for the court, and a crafted one is dropped.
    response = coordinator.post(path, {"version": draft.version, "completed__court": "on", "threat__court": "on"})
    assert response.status_code == 302
    saved = _fresh(draft).notifications
    assert saved["completed"] == ["partner", "court"] and saved["threat"] == ["partner"]
    assert saved["started"] == ["partner"]
    response = coordinator.post(path, {"version": draft.version, "started__court": "on"})
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else saved this record" in page
    assert _fresh(draft).notifications["started"] == ["partner"]
    response = coordinator.post(path, {"version": "x"})
    assert response.status_code == 400


def test_details_are_edited_with_400_and_409(programme, draft):
    coordinator = client_for(programme.coordinator)
    path = url("programmes:pathway_version_describe", pathway_draft_id=draft.pk)
    response = coordinator.post(path, {"version": draft.version, "name": "", "description": "Solo per il tribunale"})
    assert response.status_code == 400 and "Solo per il tribunale" in response.content.decode()
    assert coordinator.post(path, {"version": draft.version, "name": "Percorso 165",
                                   "description": "Solo per il tribunale"}).status_code == 302
    response = coordinator.post(path, {"version": draft.version, "name": "Percorso 282", "description": ""})
    page = response.content.decode()
    assert response.status_code == 409 and "Percorso 282" in page and "Percorso 165" in page
    assert _fresh(draft).pathway.name == "Percorso 165"


def test_publishing_lists_the_problems_then_puts_the_version_in_use(programme):
    coordinator = client_for(programme.coordinator)
    empty = services.pathway_create(by=programme.coordinator, organisation=programme.organisation, name="Vuoto",
                                    from_defaults=False)
    publish = url("programmes:pathway_version_publish", pathway_draft_id=empty.pk)
    response = coordinator.post(publish, {"version": empty.version})
    page = response.content.decode()
    assert response.status_code == 400 and "This version cannot be published yet" in page
    assert "A pathway needs at least one stage." in page
    services.stage_save(by=programme.coordinator, version=empty, version_token=empty.version,
                        values={"code": "group", "kind": "group", "name": "Gruppo", "min_sessions": 40})
    response = coordinator.post(publish, {"version": empty.version})  # opened before the stage was added
    assert response.status_code == 409 and _fresh(empty).status == PathwayStatus.DRAFT
    response = coordinator.post(publish, {"version": _fresh(empty).version})
    assert response.status_code == 302
    assert _fresh(empty).status == PathwayStatus.PUBLISHED
    assert _fresh(programme.pathway_version).status == PathwayStatus.PUBLISHED  # nothing retired


def test_retiring_and_starting_a_new_version(programme):
    coordinator = client_for(programme.coordinator)
    version = programme.pathway_version
    copy_url = url("programmes:pathway_version_copy", pathway_version_id=version.pk)
    response = coordinator.post(copy_url)
    new = PathwayVersion.objects.get(pathway=version.pathway, number=2)
    assert response.status_code == 302
    assert response["Location"] == url("programmes:pathway_version_detail", pathway_version_id=new.pk)
    response = coordinator.post(copy_url)
    assert response.status_code == 400 and "already a draft" in response.content.decode()
    response = coordinator.post(url("programmes:pathway_version_retire", pathway_version_id=version.pk))
    assert response.status_code == 302 and _fresh(version).status == PathwayStatus.RETIRED
    response = coordinator.post(url("programmes:pathway_version_retire", pathway_version_id=version.pk))
    assert response.status_code == 400
    assert_denied(coordinator.post(url("programmes:pathway_version_retire", pathway_version_id=999999)))


def test_a_facilitator_elsewhere_with_a_coordinator_role_here(network, programme, draft):
    """Roles are per organisation: coordinating one programme gives nothing at another."""
    both = make_user("both@prog.example", roles=[Role.FACILITATOR], organisation=programme.organisation)
    other = Programme("elsewhere")
    from rete.core.models import Membership

    Membership.objects.create(user=both, organisation=other.organisation, role=Role.PROGRAMME_COORDINATOR)
    client = client_for(both)
    assert_denied(client.get(url("programmes:pathway_version_detail", pathway_version_id=draft.pk)))
    assert client.get(url("programmes:pathway_version_detail",
                          pathway_version_id=programme.pathway_version.pk)).status_code == 200
    assert_denied(client.get(url("programmes:pathway_version_rules", pathway_draft_id=draft.pk)))


def _many(programme, count):
    """`count` pathways, each with a published version carrying men and a draft version 2."""
    for index in range(count):
        version = services.pathway_create(by=programme.coordinator, organisation=programme.organisation,
                                          name=f"Percorso {index}")
        version = services.version_publish(by=programme.coordinator, version=version, version_token=version.version)
        services.version_copy(by=programme.coordinator, version=version)
        programme.pathway_version = version
        make_enrolment(programme, state=EnrolmentState.ACTIVE, given_name=f"Uomo{index}")


def test_the_list_and_the_version_page_run_a_fixed_number_of_queries(programme, django_assert_max_num_queries):
    coordinator = client_for(programme.coordinator)
    first = programme.pathway_version
    list_url = url("programmes:pathway_list")
    detail = url("programmes:pathway_version_detail", pathway_version_id=first.pk)
    _many(programme, 1)
    with django_assert_max_num_queries(12) as few_list:
        assert coordinator.get(list_url).status_code == 200
    with django_assert_max_num_queries(12) as few_detail:
        assert coordinator.get(detail).status_code == 200
    _many(programme, 6)
    # Many stages and versions on the walked pathway too.
    draft = services.version_copy(by=programme.coordinator, version=first)
    for index in range(20):
        draft = services.stage_save(by=programme.coordinator, version=draft, version_token=draft.version,
                                    values={"code": f"extra_{index}", "kind": "individual", "name": f"Extra {index}"})
    draft = services.version_publish(by=programme.coordinator, version=draft, version_token=draft.version)
    services.version_copy(by=programme.coordinator, version=draft)
    with django_assert_max_num_queries(len(few_list)):
        page = coordinator.get(list_url).content.decode()
    assert "Percorso 5" in page
    with django_assert_max_num_queries(len(few_detail)):
        assert coordinator.get(detail).status_code == 200
    with django_assert_max_num_queries(len(few_detail)):
        page = coordinator.get(url("programmes:pathway_version_detail", pathway_version_id=draft.pk)).content.decode()
    assert "Extra 19" in page
    facilitator = client_for(programme.facilitator)
    with django_assert_max_num_queries(len(few_list)):
        assert facilitator.get(list_url).status_code == 200
