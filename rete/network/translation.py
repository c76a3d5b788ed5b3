"""Fields translated per language (django-modeltranslation): each gets one column per portal
language (`purpose_it`, `purpose_el` …); the plain name reads the current language's, falling
back to the version's source language through `rete.network.texts`."""
from modeltranslation.translator import TranslationOptions, register

from rete.network.models import SECTION_FIELDS, Pathway, PathwayStep, Protocol, ProtocolParty, ProtocolVersion, SharingRule


@register(Protocol)
class ProtocolTranslation(TranslationOptions):
    fields = ("title", "territory")


@register(ProtocolVersion)
class ProtocolVersionTranslation(TranslationOptions):
    fields = SECTION_FIELDS


@register(ProtocolParty)
class ProtocolPartyTranslation(TranslationOptions):
    fields = ("role",)


@register(Pathway)
class PathwayTranslation(TranslationOptions):
    fields = ("name", "criteria")


@register(PathwayStep)
class PathwayStepTranslation(TranslationOptions):
    fields = ("action",)


@register(SharingRule)
class SharingRuleTranslation(TranslationOptions):
    fields = ("note",)
