"""Risk instruments from the command line (docs/risk-instruments.md):

    rete instruments check FILE                        every problem with its location, or OK
    rete instruments load FILE [--organisation SLUG]   a new version (past assessments keep theirs)
    rete instruments score FILE ANSWERS.json [--band CODE]

Exit status 0 when all went well, 1 (CommandError) otherwise; never a traceback for a bad file."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rete.risk import instruments, scoring


class Command(BaseCommand):
    help = "Check, load or try out a risk instrument file (YAML or JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="List every problem of the file, or print OK.")
        check.add_argument("file")
        load = sub.add_parser("load", help="Load the file as a new version of its instrument.")
        load.add_argument("file")
        load.add_argument("--organisation", metavar="SLUG", help="The organisation that holds the licence (default: every organisation).")
        score = sub.add_parser("score", help="Score a set of answers with the file.")
        score.add_argument("file")
        score.add_argument("answers", metavar="ANSWERS.json", help='{"item_code": "option_code", …}')
        score.add_argument("--band", metavar="CODE", help="The judged band (judgement instruments).")
        retire = sub.add_parser("retire", help="Stop offering an instrument for new assessments (past ones keep it).")
        retire.add_argument("code")

    # ---- helpers ----

    def _read(self, name) -> bytes:
        path = Path(name)
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror or error}") from None

    def _definition(self, name):
        """(definition, source) of a valid file; otherwise prints every problem and fails."""
        source = self._read(name)
        try:
            definition = instruments.parse(source, filename=name)
        except instruments.InstrumentError as error:
            self._fail(name, error.problems)
        problems = instruments.validate(definition)
        if problems:
            self._fail(name, problems)
        return definition, source

    def _fail(self, name, problems):
        for problem in problems:
            self.stdout.write(str(problem))
        raise CommandError(f"{name}: {len(problems)} problem(s); nothing was done." if len(problems) != 1 else f"{name}: 1 problem; nothing was done.")

    # ---- the subcommands ----

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _check(self, file, **options):
        definition, _source = self._definition(file)
        self.stdout.write(f"OK: {instruments.summary(definition)}")

    def _load(self, file, organisation=None, **options):
        from rete.core.models import Organisation
        from rete.risk.services import instrument_load

        definition, source = self._definition(file)
        owner = None
        if organisation:
            owner = Organisation.objects.filter(slug=organisation).first()
            if owner is None:
                raise CommandError(f"No organisation with the slug {organisation!r}.")
        try:
            loaded = instrument_load(definition=definition, source=source, organisation=owner)
        except instruments.InstrumentError as error:
            self._fail(file, error.problems)
        whose = f"for {owner.slug}" if owner else "for every organisation"
        self.stdout.write(f"Loaded: {instruments.summary(definition)} {whose} (sha256 {loaded.source_sha256[:12]}…).")

    def _retire(self, code, **options):
        from rete.risk.services import instrument_retire

        try:
            count = instrument_retire(code=code)
        except instruments.InstrumentError as error:
            raise CommandError(str(error.problems[0].message)) from None
        self.stdout.write(f"Retired: {code} ({count} version(s)). Past assessments keep it; new ones cannot use it.")

    def _score(self, file, answers, band=None, **options):
        definition, _source = self._definition(file)
        raw = self._read(answers)
        try:
            given = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{answers}: not a JSON file ({error}).") from None
        if not isinstance(given, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in given.items()):
            raise CommandError(f'{answers}: expected {{"item_code": "option_code", …}}.')
        judgement = definition["scoring"]["kind"] == "judgement"
        if band and not judgement:
            raise CommandError(f"--band is for judgement instruments; {definition['code']} scores by {definition['scoring']['kind']}.")
        try:
            result = scoring.score(definition, given, judged_band=band)
        except ValueError as error:
            raise CommandError(f"{answers}: {error}.") from None
        lines = [f"Instrument: {definition['code']} v{definition['version']} ({definition['scoring']['kind']})"]
        lines.append("Score: none (judgement)" if result.score is None else f"Score: {_number(result.score)}")
        if result.band is None:
            lines.append("Band: none (the assessor judges it: --band CODE)" if judgement else "Band: none (no band holds this score)")
        else:
            label = instruments.text(instruments.band(definition, result.band)["label"], "en", definition=definition)
            lines.append(f"Band: {result.band} ({label}), rank {result.band_rank} of {len(definition['bands']) - 1}")
        lines.append(f"Gate triggered: {'yes' if result.gate_triggered else 'no'}")
        lines.append(f"Positive answers: {result.positives}")
        lines.append(f"Answered: {result.answered} of {result.answered + len(result.missing)}")
        lines.append(f"Missing: {', '.join(result.missing) if result.missing else 'none'}")
        self.stdout.write("\n".join(lines))


def _number(value):
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
