"""The self-check questionnaires of the public portal, in Rete's own words, built from common
signs of abuse and danger. They are answered in the browser only (static/rete/selfcheck.js): the
server renders the questions and never receives an answer. A question marked "danger" is a sign
of serious danger: one of them ticked is enough for the highest level."""
from django.utils.translation import gettext_lazy as _

from rete.core.helplines import country_for_language, helpline_groups

# (text, danger)
ME = [
    (_("He checks your phone, your messages or your accounts, or wants your passwords."), False),
    (_("He controls your money, takes what you earn, or stops you from working or studying."), False),
    (_("He keeps you away from your friends or family, or makes it hard to see them."), False),
    (_("He always wants to know where you are and who you are with."), False),
    (_("He puts you down, insults you or humiliates you, alone or in front of others."), False),
    (_("You have changed the way you behave to avoid making him angry."), False),
    (_("He threatens you, your children, your pets or people close to you."), False),
    (_("He makes you have sex, or do sexual things, when you do not want to."), False),
    (_("He has hurt you physically: pushed, slapped, hit, kicked or burned you."), True),
    (_("He has put his hands around your neck or tried to strangle or suffocate you."), True),
    (_("He has threatened to kill you, or to kill himself if you leave."), True),
    (_("He has a weapon, or has threatened you with one."), True),
    (_("The violence is happening more often or getting worse."), True),
    (_("You are afraid of what he might do to you or your children."), True),
]

OTHER = [
    (_("Her partner checks her phone or messages, or she has to answer his calls at once."), False),
    (_("He controls her money, or she never seems to have any of her own."), False),
    (_("She sees less of her friends and family, or has stopped going out."), False),
    (_("He always wants to know where she is and who she is with."), False),
    (_("He puts her down, mocks her or shouts at her, even in front of others."), False),
    (_("He answers for her, or she looks to him before she speaks."), False),
    (_("She seems anxious, on edge or careful not to upset him."), False),
    (_("She has injuries she does not explain, or explains in ways that do not fit, or covers them up."), False),
    (_("He has hurt her physically, or she has told you he has."), True),
    (_("He has put his hands around her neck or tried to strangle her."), True),
    (_("He has threatened to kill her, her children, or himself if she leaves."), True),
    (_("He has a weapon, or has threatened her with one."), True),
    (_("The violence seems to be happening more often or getting worse."), True),
    (_("She is afraid of him, or afraid of what he will do if she leaves."), True),
]

def questions(which):
    """[(number, text, danger)] for "me" or "other"."""
    source = ME if which == "me" else OTHER
    return [(number, text, danger) for number, (text, danger) in enumerate(source, start=1)]


def danger_range(items):
    numbers = [number for number, _text, danger in items if danger]
    return numbers[0], numbers[-1]


def helplines_by_country(language):
    """Every country's helplines, the one of the page's language first (everyone sees them all)."""
    return [(group["name"], group["numbers"]) for group in helpline_groups(first=country_for_language(language))]
