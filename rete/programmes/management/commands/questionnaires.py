"""Outcome questionnaires from the command line (docs/outcome-questionnaires.md):

    rete questionnaires check FILE                        every problem with its location, or OK
    rete questionnaires load FILE [--organisation SLUG]   a new version (past answers keep theirs)
    rete questionnaires list                              every version loaded

Rete's own questionnaires are installed after `migrate`; an organisation loads a licensed one
with --organisation (only it may use it). Exit status 0 when all went well, 1 (CommandError)
otherwise; never a traceback for a bad file."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rete.programmes import questionnaires


class Command(BaseCommand):
    help = "Check, load or list outcome questionnaires (YAML or JSON files)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="List every problem of the file, or print OK.")
        check.add_argument("file")
        load = sub.add_parser("load", help="Load the file as a new version of its questionnaire.")
        load.add_argument("file")
        load.add_argument("--organisation", metavar="SLUG",
                          help="The organisation that holds the licence (default: every organisation).")
        sub.add_parser("list", help="List every questionnaire version loaded.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _definition(self, name):
        try:
            source = Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror or error}") from None
        try:
            definition = questionnaires.parse(source, filename=name)
        except questionnaires.QuestionnaireError as error:
            self._fail(name, error.problems)
        problems = questionnaires.validate(definition)
        if problems:
            self._fail(name, problems)
        return definition, source

    def _fail(self, name, problems):
        for problem in problems:
            self.stdout.write(str(problem))
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problem(s)"
        raise CommandError(f"{name}: {count}; nothing was done.")

    def _check(self, file, **options):
        definition, _source = self._definition(file)
        self.stdout.write(f"OK: {questionnaires.summary(definition)}")

    def _load(self, file, organisation=None, **options):
        from rete.core.models import Organisation
        from rete.programmes.services.outcomes import questionnaire_load

        definition, source = self._definition(file)
        owner = None
        if organisation:
            owner = Organisation.objects.filter(slug=organisation).first()
            if owner is None:
                raise CommandError(f"No organisation with the slug {organisation!r}.")
        try:
            loaded = questionnaire_load(definition=definition, source=source, organisation=owner)
        except questionnaires.QuestionnaireError as error:
            self._fail(file, error.problems)
        whose = f"for {owner.slug}" if owner else "for every organisation"
        self.stdout.write(f"Loaded: {questionnaires.summary(definition)} {whose} (sha256 {loaded.source_sha256[:12]}…).")

    def _list(self, **options):
        from rete.programmes.selectors.outcomes import questionnaire_list

        rows = questionnaire_list()
        if not rows:
            self.stdout.write("No questionnaire is loaded.")
            return
        for row in rows:
            whose = row.organisation.slug if row.organisation_id else "every organisation"
            state = f", retired {row.retired_at:%Y-%m-%d}" if row.retired_at else ""
            items = len(questionnaires.items(row.definition))
            self.stdout.write(f"{row.code} v{row.version} ({row.respondent}): {items} items, {whose}{state}")
