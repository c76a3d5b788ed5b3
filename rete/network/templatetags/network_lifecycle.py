"""The lifecycle panel of a protocol version page: `{% lifecycle_panel_context version as lifecycle %}`
gives what selectors.lifecycle.lifecycle_context says about the version for the person reading
it, with the forms of the actions she may take."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def lifecycle_panel_context(context, version):
    from rete.network.selectors.lifecycle import lifecycle_context
    from rete.network.views.lifecycle import panel_forms

    existing = context.get("lifecycle")
    if isinstance(existing, dict) and existing.get("version") is version:
        return existing  # the version page computed it already
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    found = lifecycle_context(user=user, version=version)
    found.update(panel_forms(found))
    return found


@register.filter
def hours_as_days(hours):
    """72 → 3 (days) when a time limit is a whole number of days, else None."""
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        return None
    return hours // 24 if hours >= 24 and hours % 24 == 0 else None


@register.filter
def comment_section(section):
    """The heading of the part of the protocol a comment is on."""
    from rete.network.selectors.lifecycle import section_label

    return section_label(section)
