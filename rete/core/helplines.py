"""National helplines for women facing violence, by country: reference data shared by printed
documents (the rights leaflet) and, later, the public portal's directory. 112 works everywhere."""
from django.utils.translation import gettext_lazy as _

NATIONAL_HELPLINES = {
    "IT": [("1522", _("National anti-violence and stalking helpline: free, day and night, anonymous, in many languages."))],
    "CY": [("1440", _("Helpline against domestic violence: day and night, also by chat and text message."))],
    "CZ": [("116 006", _("Helpline for victims of crime and domestic violence (Bílý kruh bezpečí): free, day and night."))],
    "BG": [("0800 1 8676", _("National helpline for victims of domestic violence (Animus Association): free.")),
           ("0800 11 977", _("Helpline of the Alliance for Protection against Gender-Based Violence: day and night."))],
}


def national_helplines(country: str) -> list[tuple]:
    """(number, description) pairs for a country code; empty when none is recorded."""
    return NATIONAL_HELPLINES.get(country, [])


def all_national_helplines() -> list[tuple]:
    """(country code, [(number, description), ...]) for every country with recorded helplines."""
    return [(country, numbers) for country, numbers in NATIONAL_HELPLINES.items()]


# The country whose helplines a page in this language shows first (a public page never asks
# where the visitor is; English shows every country).
COUNTRY_BY_LANGUAGE = {"it": "IT", "el": "CY", "cs": "CZ", "bg": "BG"}


def country_for_language(language: str) -> str:
    return COUNTRY_BY_LANGUAGE.get((language or "")[:2], "")


def helpline_groups(*, country="", first="") -> list[dict]:
    """[{"code", "name", "numbers"}] for one country, or every country with `first` first and
    the others by name."""
    from rete.core.models import Country

    labels = dict(Country.choices)
    groups = [{"code": code, "name": labels[code], "numbers": numbers}
              for code, numbers in all_national_helplines() if not country or code == country]
    return sorted(groups, key=lambda group: (group["code"] != first, str(group["name"])))
