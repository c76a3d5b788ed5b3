"""The enrolment page is made of sections, each owned by one part of the module: a part
registers its section (from its views module, imported by urls.py) with a template and a context
function (request, enrolment) -> dict, or None to leave the section out. Each context function
issues a fixed number of queries, whatever the data."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable


_sections: dict[str, Section] = {}


def register_section(key, *, order, template, context):
    _sections[key] = Section(key, order, template, context)


def sections_for(request, enrolment, **extra) -> list[dict]:
    """Each section's template and context, in order. `extra` (e.g. a form with errors after a
    failed post) goes to the section whose key it is keyed under: {key: {...}}."""
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, enrolment)
        if context is None:
            continue
        context = {**context, **extra.get(section.key, {})}
        shown.append({"key": section.key, "template": section.template, "context": context})
    return shown
