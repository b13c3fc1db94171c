"""The `cna` command line: one group, with subcommands registered from small modules."""

from __future__ import annotations

import click

from cli import assessment as cli_assessment
from cli import customers as cli_customers
from cli import db as cli_db
from cli import dryrun as cli_dryrun
from cli import interview as cli_try
from cli import privacy as cli_privacy
from cli import reports as cli_reports
from cli import sample as cli_sample
from cli import schedule as cli_schedule
from cli import scripts as cli_scripts
from cli import serve as cli_serve
from cli import slack as cli_slack
from cli import train as cli_train
from cli import tui as cli_tui
from cli.common import setup_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (may include answer text: not for production).")
@click.version_option(package_name="cna")
def cli(verbose: bool) -> None:
    """cna: CRM Needs Assessment interviews in Slack and in the terminal."""
    setup_logging(verbose)


for module in (cli_db, cli_assessment, cli_scripts, cli_try, cli_dryrun, cli_schedule, cli_reports, cli_serve,
               cli_tui, cli_privacy, cli_slack, cli_train, cli_customers, cli_sample):
    module.register(cli)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
