"""`cna try --customer KEY`: the assisted interview pre-filled from a customer drawn for the round's sample."""

from __future__ import annotations

import click

from cli.common import open_db, run
from storage import repos


def from_sample(db_url: str | None, key: str, assessment_id: int | None) -> tuple[str, str, int]:
    """(participant name 'Organisation / Contact', script id, round id) for a sampled customer."""
    from app.sample_invite import member_by_key, participant_name, script_for
    from core.sampling import SamplingError

    async def go() -> tuple[str, str, int]:
        db = await open_db(db_url)
        try:
            async with db.uow() as uow:
                a = (await repos.get_assessment(uow.session, assessment_id) if assessment_id is not None
                     else await repos.current_assessment(uow.session))
                if a is None:
                    raise SamplingError("there is no round yet; create one with 'cna assessment create'")
                _m, contact, segment = await member_by_key(uow.session, a.id, key)
                return participant_name(contact), script_for(segment), a.id
        finally:
            await db.close()

    try:
        return run(go())
    except SamplingError as exc:
        raise click.ClickException(str(exc)) from None
