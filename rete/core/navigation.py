"""The staff navigation: what each role reaches from every page. Modules add their entries
here as they arrive, each with the capability that shows it."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rete.core import access
from rete.core.selectors import active_memberships, organisations_with


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def items_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    from rete.core.extensions import navigation

    items = [NavItem(_("Start"), reverse("core:start"), "start")]
    items.extend(navigation(user))
    for organisation in organisations_with(user=user, capability=access.MANAGE_MEMBERS):
        label = _("Members") if len(active_memberships(user=user)) == 1 else _("Members · %(org)s") % {"org": organisation}
        items.append(NavItem(label, reverse("core:member_list", kwargs={"org": organisation.slug}), f"members-{organisation.slug}"))
    if organisations_with(user=user, capability=access.READ_AUDIT) or user.is_superuser:
        items.append(NavItem(_("Audit trail"), reverse("core:audit_list"), "audit"))
    items.append(NavItem(_("My account"), reverse("core:preferences"), "account"))
    return items
