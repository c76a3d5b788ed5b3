"""Loading outcome questionnaires (part "outcomes"): Rete's own after `migrate` (once), licensed
ones with `rete questionnaires load FILE --organisation SLUG` for that organisation only, the
list, the refusals (bad file, version not higher, a code owned by someone else)."""
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from rete.conftest import make_organisation
from rete.core.models import AuditEvent
from rete.programmes import questionnaires
from rete.programmes.models import OutcomeQuestionnaire
from rete.programmes.selectors.outcomes import questionnaire_for, questionnaires_available
from rete.programmes.services import outcomes as services
from rete.programmes.services.outcomes import SHIPPED_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped():
    services.questionnaires_install_shipped()


def licensed(tmp_path, *, code="licensed-partner-scale", version=1, respondent="partner", name="licensed.yaml", **changes):
    definition = yaml.safe_load((SHIPPED_DIR / "rete-partner-outcomes.yaml").read_text())
    definition.update(code=code, version=version, respondent=respondent, licence="Licensed to the test centre only.", **changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("questionnaires", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_questionnaires_are_installed_once():
    assert set(OutcomeQuestionnaire.objects.filter(organisation__isnull=True).values_list("code", flat=True)) == {
        "rete-men-outcomes", "rete-partner-outcomes"}
    assert services.questionnaires_install_shipped() == 0
    OutcomeQuestionnaire.objects.all().delete()
    assert services.questionnaires_install_shipped() == 2


def test_check_and_list(tmp_path):
    assert run("check", str(SHIPPED_DIR / "rete-men-outcomes.yaml")).startswith("OK: rete-men-outcomes v1 (man), 13 items")
    listing = run("list")
    assert "rete-men-outcomes v1 (man): 13 items, every organisation" in listing
    assert "rete-partner-outcomes v1 (partner): 12 items, every organisation" in listing


def test_a_bad_file_is_refused_with_every_problem_and_nothing_loaded(tmp_path):
    path = licensed(tmp_path)
    text = path.read_text().replace("  bg: ", "  xx: ", 1)
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was done"):
        call_command("questionnaires", "load", str(path), stdout=out)
    assert '"bg"' in out.getvalue() and "xx" in out.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        run("check", str(tmp_path / "missing.yaml"))
    assert not OutcomeQuestionnaire.objects.filter(code="licensed-partner-scale").exists()


def test_a_licensed_questionnaire_is_for_its_organisation_only(tmp_path):
    centre = make_organisation("licensee", name="Licensee Centre")
    other = make_organisation("elsewhere", name="Elsewhere Centre")
    out = run("load", str(licensed(tmp_path)), "--organisation", "licensee")
    assert "Loaded: licensed-partner-scale v1 (partner), 12 items for licensee" in out
    loaded = OutcomeQuestionnaire.objects.get(code="licensed-partner-scale")
    assert loaded.organisation == centre and len(loaded.source_sha256) == 64
    assert {q.code for q in questionnaires_available(respondent="partner", organisation_id=centre.pk)} == {
        "licensed-partner-scale", "rete-partner-outcomes"}
    assert questionnaires_available(respondent="partner", organisation_id=centre.pk)[0] == loaded  # its own first
    assert {q.code for q in questionnaires_available(respondent="partner", organisation_id=other.pk)} == {"rete-partner-outcomes"}
    with pytest.raises(Exception) as refused:
        questionnaire_for(respondent="partner", organisation_id=other.pk, questionnaire_id=loaded.pk)
    assert refused.type.__name__ == "Http404"
    event = AuditEvent.objects.get(action="programmes.questionnaire_loaded", object_id=str(loaded.pk))
    assert event.organisation == centre and event.detail["code"] == "licensed-partner-scale"
    assert "licensed-partner-scale v1 (partner): 12 items, licensee" in run("list")


def test_versions_and_owners_are_checked(tmp_path):
    make_organisation("licensee")
    make_organisation("elsewhere")
    run("load", str(licensed(tmp_path)), "--organisation", "licensee")
    with pytest.raises(CommandError):
        run("load", str(licensed(tmp_path)), "--organisation", "licensee")  # version 1 again
    with pytest.raises(CommandError):
        run("load", str(licensed(tmp_path, version=2)), "--organisation", "elsewhere")  # someone else's code
    with pytest.raises(CommandError):
        run("load", str(licensed(tmp_path, version=2)))  # for everyone: still someone else's code
    with pytest.raises(CommandError, match="No organisation"):
        run("load", str(licensed(tmp_path, version=2)), "--organisation", "nobody")
    run("load", str(licensed(tmp_path, version=2)), "--organisation", "licensee")
    newest = questionnaires_available(respondent="partner", organisation_id=OutcomeQuestionnaire.objects.get(
        code="licensed-partner-scale", version=2).organisation_id)[0]
    assert newest.version == 2


def test_the_service_refuses_people_who_do_not_coordinate_the_programme(network, tmp_path):
    from django.http import Http404

    path = licensed(tmp_path)
    definition = questionnaires.load_file(path)
    with pytest.raises(Http404):
        services.questionnaire_load(definition=definition, source=path.read_bytes(), by=network["facilitator"],
                                    organisation=network.home)
    loaded = services.questionnaire_load(definition=definition, source=path.read_bytes(), by=network["programme_coordinator"],
                                         organisation=network.home)
    assert loaded.loaded_by == network["programme_coordinator"]
