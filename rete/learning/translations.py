"""Which translations of a practice are out of date. Each edit of a field in the source
language raises `source_revisions[field]`; a translation records the source revision it was
made from in `translation_revisions[language][field]`. A translation made from an older
revision is stale until someone updates it. Pure: works on the two dicts."""
from rete.learning.models import PRACTICE_TEXT_FIELDS


def bump(source_revisions: dict, changed_fields) -> dict:
    result = dict(source_revisions)
    for field in changed_fields:
        result[field] = int(result.get(field, 0)) + 1
    return result


def record(translation_revisions: dict, source_revisions: dict, language: str, fields) -> dict:
    """Marks `fields` in `language` as translated from the current source revision."""
    result = {code: dict(revs) for code, revs in translation_revisions.items()}
    mine = result.setdefault(language, {})
    for field in fields:
        mine[field] = int(source_revisions.get(field, 0))
    return result


def forget(translation_revisions: dict, language: str, fields) -> dict:
    result = {code: dict(revs) for code, revs in translation_revisions.items()}
    for field in fields:
        result.get(language, {}).pop(field, None)
    return result


def stale_fields(source_revisions: dict, translation_revisions: dict, language: str, present_fields) -> list[str]:
    """The fields of `language` that have a text made before the source last changed."""
    mine = translation_revisions.get(language, {})
    return [field for field in PRACTICE_TEXT_FIELDS if field in present_fields
            and int(mine.get(field, -1)) < int(source_revisions.get(field, 0))]
