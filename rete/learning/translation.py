"""Fields translated per language (django-modeltranslation), read and written through
rete.network.texts (one column per language; the source language is marked on the record)."""
from modeltranslation.translator import TranslationOptions, register

from rete.learning.models import PRACTICE_TEXT_FIELDS, Practice, ReviewCriterion


@register(Practice)
class PracticeTranslation(TranslationOptions):
    fields = PRACTICE_TEXT_FIELDS


@register(ReviewCriterion)
class ReviewCriterionTranslation(TranslationOptions):
    fields = ("label", "guidance")
