"""A click group that imports a subcommand's module only when that subcommand runs.

Why: importing every command module pulls in SQLAlchemy, the storage layer, Textual and slack_sdk, about
half a second of start-up that `cna probe` and `cna code` (streaming filters) never use, and that every
CLI call in the end-to-end tests paid."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """Subcommands named in `lazy` ({name: "module:attribute"}) are imported on first use."""

    def __init__(self, *args: object, lazy: dict[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):  # a wrong table entry is a bug, said plainly
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
