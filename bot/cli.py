"""The `cna` command line: one group, with subcommands registered from small modules."""

from __future__ import annotations

import click

from bot import (
    cli_assessment,
    cli_db,
    cli_dryrun,
    cli_privacy,
    cli_reports,
    cli_schedule,
    cli_scripts,
    cli_serve,
    cli_slack,
    cli_try,
    cli_tui,
)
from bot.cli_common import setup_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (may include answer text: not for production).")
@click.version_option(package_name="cna")
def cli(verbose: bool) -> None:
    """cna: CRM Needs Assessment interviews in Slack and in the terminal."""
    setup_logging(verbose)


for module in (cli_db, cli_assessment, cli_scripts, cli_try, cli_dryrun, cli_schedule, cli_reports, cli_serve,
               cli_tui, cli_privacy, cli_slack):
    module.register(cli)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
