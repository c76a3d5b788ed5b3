from django import template

from rete.core.models import Role

register = template.Library()
_ROLE_LABELS = dict(Role.choices)


@register.filter
def role_label(role):
    return _ROLE_LABELS.get(role, role)
