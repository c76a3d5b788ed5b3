"""Pages made of sections, each owned by one part of the module: the practice page
("practice"), the event page for its trainers ("event"), and the participant's page of her
registration ("participant"). A part registers its section (from its views module, imported by
urls.py) with a template and a context function (request, obj) -> dict, or None to leave the
section out. Each context function issues a fixed number of queries, whatever the data.
`render_sections(request, page, obj)` returns the HTML of each section, in order."""
from dataclasses import dataclass
from typing import Callable

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template: str
    context: Callable


_sections: dict[tuple[str, str], Section] = {}


def register_section(page, key, *, order, template, context):
    _sections[(page, key)] = Section(page, key, order, template, context)


def render_sections(request, page, obj, **extra) -> list[dict]:
    """[{key, html}] for the page. `extra` (e.g. a form with errors after a failed post) goes to
    the section whose key it is keyed under: {key: {...}}."""
    shown = []
    for section in sorted((s for s in _sections.values() if s.page == page), key=lambda s: (s.order, s.key)):
        context = section.context(request, obj)
        if context is None:
            continue
        context = {**context, **extra.get(section.key, {}), "object": obj}
        shown.append({"key": section.key, "html": render_to_string(section.template, context, request=request)})
    return shown
