from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def tel_digits(value):
    """A phone number for a tel: link: digits and a leading +."""
    value = str(value or "").strip()
    return ("+" if value.startswith("+") else "") + "".join(ch for ch in value if ch.isdigit())


@register.filter
def language_names(codes):
    """Language codes as names in the page's language (codes Django does not know stay codes)."""
    names = []
    for code in codes or []:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(str(code))
    return ", ".join(names)


@register.filter
def website_text(value):
    """A website shown as text (no scheme, no link): the page references no other host."""
    value = str(value or "")
    for scheme in ("https://", "http://"):
        if value.lower().startswith(scheme):
            value = value[len(scheme):]
    return value.rstrip("/")
