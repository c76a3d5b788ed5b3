"""Helpers for the history, start-page, caseload, reminder and network tests: signed
assessments made through the services, with the test instruments (invented wording)."""
from rete.risk import instruments, services
from rete.risk.tests import fixtures


def load(name="count-24", *, organisation=None, by=None, version=None, code=None):
    definition = fixtures.definition(name)
    if version is not None:
        definition["version"] = version
    if code is not None:
        definition["code"] = code
    return services.instrument_load(definition=definition, source=fixtures.path(name).read_bytes(), by=by, organisation=organisation)


def answers_with(instrument, yes=0):
    """The first `yes` items answered yes, the others no."""
    codes = [item["code"] for item in instruments.items(instrument.definition)]
    return {code: ("yes" if n < yes else "no") for n, code in enumerate(codes)}


def draft(user, case, instrument, *, yes=0):
    assessment = services.assessment_start(by=user, subject_type="case", subject_id=case.pk, instrument_id=instrument.pk)
    version = services.assessment_save_answers(by=user, assessment_id=assessment.pk, version=assessment.version,
                                               answers=answers_with(instrument, yes))
    return assessment, version


def signed(user, case, instrument, *, yes=0, override="", reason=""):
    """A signed count-24 assessment: 14 or more yes is "high", below "standard"."""
    assessment, version = draft(user, case, instrument, yes=yes)
    return services.assessment_sign(by=user, assessment_id=assessment.pk, version=version, override_band=override, override_reason=reason)
