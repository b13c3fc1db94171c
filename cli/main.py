"""The `cna` command line: one group whose subcommands load from small modules when they run."""

from __future__ import annotations

import logging

import click

from cli.lazy import LazyGroup

# name -> "module:click object". Each module is imported only when its command runs (or for `cna --help`),
# so `cna probe` / `cna code` never import SQLAlchemy, storage or Textual.
COMMANDS = {
    "assessment": "cli.assessment:assessment",
    "code": "cli.dryrun:code",
    "customers": "cli.customers:customers",
    "db": "cli.db:db",
    "demo": "cli.interview:demo",
    "export": "cli.reports:export",
    "import": "cli.reports:import_",
    "privacy": "cli.privacy:privacy",
    "probe": "cli.dryrun:probe",
    "report": "cli.reports:report",
    "round": "cli.round:round_",
    "sample": "cli.sample:sample",
    "schedule": "cli.schedule:schedule",
    "scripts": "cli.scripts:scripts",
    "serve": "cli.serve:serve",
    "slack": "cli.slack:slack",
    "train": "cli.train:train",
    "try": "cli.interview:try_",
    "tui": "cli.tui:tui",
}


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (may include answer text: not for production).")
@click.version_option(package_name="cna")
def cli(verbose: bool) -> None:
    """cna: CRM Needs Assessment interviews in Slack and in the terminal."""
    setup_logging(verbose)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
