from django import template

from rete.core.models import Role

register = template.Library()
_ROLE_LABELS = dict(Role.choices)


@register.filter
def role_label(role):
    return _ROLE_LABELS.get(role, role)


@register.filter
def language_name(code):
    """The name of a language code in the reader's language ("it" → "Italian"/"Italiano")."""
    from django.conf import settings
    from django.utils.translation import gettext

    names = dict(settings.LANGUAGES)
    if code in names:
        return gettext(str(names[code]))
    if code == "other":
        return gettext("Another language")
    return code or "—"
