"""`/cna report` over real HTTP: a lead gets the rendered report as a file in the DM; others get nothing."""

from __future__ import annotations

from sqlalchemy import delete

from app.catalog import load_catalog
from bot.report_upload import parse_args
from cli.demo import seed_demo
from storage.models import Assessment
from tests.slack.harness import LEAD, Bot


async def _demo(bot: Bot) -> None:
    async with bot.deps.db.uow() as uow:  # the fixture's empty round makes way for the demo's two rounds
        await uow.session.execute(delete(Assessment))
        await uow.commit()
    await seed_demo(bot.deps.db, load_catalog())


async def test_lead_gets_the_report_in_the_dm(bot: Bot) -> None:
    await _demo(bot)
    url = await bot.command(LEAD, "report zh")
    uploads = await bot.fake.wait_for(lambda _c: [u for u in bot.fake.uploads if u.completed], 20, "an upload")
    up = uploads[0]
    assert up.filename == "cna-report-round-2-zh.html" and up.channel_id and up.channel_id.startswith("D")
    html = up.data.decode("utf-8")
    assert '<svg class="chart timeline"' in html and "路线图" in html and "https://" not in html
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 5, "the command's answer")
    assert "direct messages" in str(bot.fake.response_url_uses(url)[-1].body)

    url = await bot.command(LEAD, "report md round 1")
    await bot.fake.wait_for(lambda _c: len([u for u in bot.fake.uploads if u.completed]) == 2, 20, "2nd upload")
    assert bot.fake.uploads[-1].filename == "cna-report-round-1-en.md"


async def test_report_is_for_leads_only(bot: Bot) -> None:
    url = await bot.command("UPEON", "report")
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 5, "the refusal")
    assert "for the CNA leads only" in str(bot.fake.response_url_uses(url)[-1].body)
    assert not bot.fake.uploads


def test_report_arguments() -> None:
    assert parse_args("") == ("html", "en", None)
    assert parse_args("md zh round 3") == ("md", "zh", 3)
    assert parse_args("--lang zh 2") == ("html", "zh", 2)
    for bad in ("pdf", "--lang fr"):
        try:
            parse_args(bad)
        except ValueError as exc:
            assert "Usage" in str(exc)
        else:
            raise AssertionError(bad)
