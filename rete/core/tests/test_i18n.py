"""The catalogs are complete: every string in the code is in every language, translated, not
fuzzy, with its placeholders intact."""
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
LOCALE = Path(settings.BASE_DIR) / "rete" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|<[^>]+>")


def catalog(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(code):
    po = catalog(code)
    assert not po.metadata_is_fuzzy, f"{code}: the header is marked fuzzy"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{code}: untranslated: {untranslated}"
    assert not fuzzy, f"{code}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_survive_translation(code):
    problems = []
    for entry in catalog(code).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            found = sorted(PLACEHOLDER.findall(text))
            if entry.msgid_plural:
                # A singular form may name the count in words instead of {{ counter }}.
                if not set(found) <= set(expected + sorted(PLACEHOLDER.findall(entry.msgid_plural))):
                    problems.append((entry.msgid, text))
            elif found != expected:
                problems.append((entry.msgid, text))
    assert not problems, f"{code}: placeholders differ: {problems}"


def test_catalogs_hold_every_string_of_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code and compare with the catalogs."""
    copy = tmp_path / "rete"
    shutil.copytree(Path(settings.BASE_DIR) / "rete", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=LANGUAGES, no_obsolete=True, no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
    for code in LANGUAGES:
        fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))}
        committed = {e.msgid for e in catalog(code) if not e.obsolete}
        missing = sorted(fresh - committed)
        stale = sorted(committed - fresh)
        assert not missing, f"{code}: strings missing from the catalog (run `make makemessages`): {missing}"
        assert not stale, f"{code}: strings no longer in the code: {stale}"
