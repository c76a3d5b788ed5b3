"""The test instruments (rete/risk/tests/instruments/): the structure of real instruments, with
invented wording in English and Italian."""
import copy
import functools
from pathlib import Path

from rete.risk import instruments

FIXTURES = Path(__file__).resolve().parent / "instruments"
NAMES = ("count-24", "weighted-20", "gate-11", "judgement-20")


@functools.cache
def _parsed(name):
    path = FIXTURES / f"{name}.yaml"
    return instruments.parse(path.read_text(encoding="utf-8"), filename=path.name)


def definition(name) -> dict:
    """A fresh copy of a fixture's definition (safe to change)."""
    return copy.deepcopy(_parsed(name))


def path(name) -> Path:
    return FIXTURES / f"{name}.yaml"
