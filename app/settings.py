"""The one typed Settings object for `cna serve`, read from the environment or .env; built only in entry points."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MANIFEST_HINT = ("Create the Slack app from slack/manifest.yaml (api.slack.com/apps > Create New App > "
                 "From a manifest), then see docs/slack.md.")

# Where each variable comes from, for error messages a person can act on.
WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) on the app's 'OAuth & Permissions' page, "
                       "after 'Install to Workspace'",
    "SLACK_APP_TOKEN": "an app-level token (xapp-...) with the connections:write scope, made under "
                       "'Basic Information > App-Level Tokens' (needed for Socket Mode; or run with --http)",
    "SLACK_SIGNING_SECRET": "the Signing Secret under 'Basic Information > App Credentials' "
                            "(needed in HTTP mode to verify that requests come from Slack)",
    "CNA_LEADS": "comma-separated Slack user ids (U...) of the CNA leads; a profile's "
                 "'... > Copy member ID' gives one",
}


class SettingsError(ValueError):
    """Settings that cannot work, with one line per problem: which variable and how to fix it."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Settings(BaseSettings):
    """Everything `cna serve` reads from its environment. Slack's own variable names where Slack has one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    slack_bot_token: str = Field("", alias="SLACK_BOT_TOKEN", repr=False)
    slack_app_token: str = Field("", alias="SLACK_APP_TOKEN", repr=False)
    slack_signing_secret: str = Field("", alias="SLACK_SIGNING_SECRET", repr=False)
    database_url: str | None = Field(None, alias="CNA_DATABASE_URL")
    slack_api_url: str = Field("https://slack.com/api/", alias="CNA_SLACK_API_URL")
    slash_command: str = Field("/cna", alias="CNA_SLASH_COMMAND")  # as in slack/manifest.yaml
    leads: Annotated[tuple[str, ...], NoDecode] = Field((), alias="CNA_LEADS")
    # Outbox limits (slack-facts.md): postMessage about 1/s per channel, a workspace-wide cap we choose.
    post_per_minute: int = Field(300, alias="CNA_POST_PER_MINUTE", ge=1)
    per_channel_interval: float = Field(1.0, alias="CNA_PER_CHANNEL_INTERVAL", ge=0)
    open_per_minute: int = Field(50, alias="CNA_OPEN_PER_MINUTE", ge=1)
    web_timeout: float = Field(30.0, alias="CNA_WEB_TIMEOUT", gt=0)
    # Calls of one method in flight at once (one per channel); one at a time for a minute after a 429. Above 1, a
    # call already on its way when the first 429 comes lands inside the Retry-After window: 1 keeps it exact.
    send_parallel: int = Field(1, alias="CNA_SEND_PARALLEL", ge=1)
    # Added to a 429's Retry-After (uniform 0..this, seconds). Jitter spreads many clients returning at once; there
    # is one sender per database, so a little is enough, and each second of it is a second of a kickoff lost.
    retry_jitter: float = Field(0.2, alias="CNA_RETRY_JITTER", ge=0, le=1)
    # `cna serve` freezes its start-up heap out of the garbage collector's full scans (bot/serve.py).
    gc_freeze: bool = Field(True, alias="CNA_GC_FREEZE")
    inbox_max_attempts: int = Field(5, alias="CNA_INBOX_MAX_ATTEMPTS", ge=1)
    inbox_backoff: float = Field(2.0, alias="CNA_INBOX_BACKOFF", gt=0)
    inbox_lease: float = Field(30.0, alias="CNA_INBOX_LEASE", gt=0)  # a crashed worker's rows return after this
    send_max_attempts: int = Field(5, alias="CNA_SEND_MAX_ATTEMPTS", ge=1)
    worker_concurrency: int = Field(8, alias="CNA_WORKER_CONCURRENCY", ge=1)
    worker_batch: int = Field(32, alias="CNA_WORKER_BATCH", ge=1)  # inbox rows decided and stored per transaction
    # The worker's engine (judge, prober, coder) in a second process (app/engine_process.py), so its CPU leaves the
    # serve process's GIL; off: decided in the serve process. A child that takes longer than the timeout is killed.
    engine_process: bool = Field(True, alias="CNA_ENGINE_PROCESS")
    engine_timeout: float = Field(10.0, alias="CNA_ENGINE_TIMEOUT", gt=0)
    poll_interval: float = Field(1.0, alias="CNA_POLL_INTERVAL", gt=0)
    # Socket Mode: a connection without a pong for 4 intervals is stale and replaced (slack_sdk does it).
    socket_ping_interval: float = Field(5.0, alias="CNA_SOCKET_PING_INTERVAL", gt=0)
    # The scheduler's sweep: how often due work (reminders, new rounds, nudges, waves) is looked for.
    schedule_interval: float = Field(60.0, alias="CNA_SCHEDULE_INTERVAL", gt=0)

    @field_validator("leads", mode="before")
    @classmethod
    def _split_leads(cls, v: object) -> object:
        if isinstance(v, str):
            return tuple(p.strip() for p in v.replace(";", ",").split(",") if p.strip())
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, v: str) -> str:
        # slack_sdk joins with urljoin: a base URL with a path must end in "/".
        return v if v.endswith("/") else v + "/"

    def problems(self, *, http: bool) -> list[str]:
        """What stops the bot from running in the chosen mode, one actionable line each."""
        out: list[str] = []

        def need(var: str, value: str, prefix: str | None = None) -> None:
            if not value.strip():
                out.append(f"{var} is not set: use {WHERE[var]}.")
            elif prefix and not value.startswith(prefix):
                out.append(f"{var} should start with '{prefix}' but does not: use {WHERE[var]}.")

        need("SLACK_BOT_TOKEN", self.slack_bot_token, "xoxb-")
        if http:
            # bolt would fall back to an empty secret and accept forged requests: refuse instead.
            need("SLACK_SIGNING_SECRET", self.slack_signing_secret)
        else:
            need("SLACK_APP_TOKEN", self.slack_app_token, "xapp-")
        bad = [u for u in self.leads if not (u[:1] in "UW" and u[1:].isalnum())]
        if bad:
            out.append(f"CNA_LEADS has values that are not Slack user ids ({', '.join(bad)}): "
                       f"use {WHERE['CNA_LEADS']}.")
        return out


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment and .env, turning type errors into a SettingsError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            var = str(err["loc"][0]) if err["loc"] else "?"
            lines.append(f"{var}: {err['msg']}")
        raise SettingsError(lines) from None
