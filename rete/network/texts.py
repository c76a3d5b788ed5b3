"""Reading and writing the per-language columns of translated fields (rete/network/translation.py).
Code never assigns the plain field name (django-modeltranslation would write the *current*
language's column): it names the language. A missing translation falls back to the text's own
source language, then to any language that has it, and says which one it shows."""
from dataclasses import dataclass

from django.conf import settings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def column(field: str, language: str) -> str:
    return f"{field}_{language.replace('-', '_')}"


@dataclass(frozen=True)
class Shown:
    text: str
    language: str  # the language of `text`; "" when no language has it

    def __str__(self):
        return self.text


def get(obj, field: str, language: str, *, source: str = "") -> Shown:
    """The text of `field` in `language`, else in `source`, else in the first language that has it."""
    for code in [language, source, *LANGUAGE_CODES]:
        if code and code in LANGUAGE_CODES:
            value = getattr(obj, column(field, code), "") or ""
            if value.strip():
                return Shown(value, code)
    return Shown("", "")


def put(obj, field: str, language: str, value: str) -> None:
    """Sets `field` in `language` (not saved). The plain column mirrors English, as the library keeps it."""
    setattr(obj, column(field, language), value or "")
    if language == "en":
        # Not through the library's descriptor: that would also write the *active* language's column.
        obj.__dict__[field] = value or ""


def translated_languages(obj, fields) -> list[str]:
    """The languages in which every non-empty field of the source has a text."""
    return [code for code in LANGUAGE_CODES
            if all((getattr(obj, column(f, code), "") or "").strip() for f in fields
                   if any((getattr(obj, column(f, c), "") or "").strip() for c in LANGUAGE_CODES))]
