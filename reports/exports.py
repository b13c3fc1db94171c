"""Entry points for exports and the REFI-QDA import, shared by the CLI and the Slack app; each is audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from reports.data import load_answers, resolve_round
from reports.qdpx import Memos, codebook_xml, qdpx_bytes
from reports.qdpx_import import import_qdpx
from reports.qdpx_result import ImportResult
from reports.qdpx_selections import coded_passages
from reports.tabular import record, to_csv, to_json
from storage.models import Assessment, AuditEntry
from storage.review import Codebook, list_memos, load_codebook, ranking
from storage.review.probe_marks import answer_marks
from storage.uow import Database

EXPORT_FORMATS = ("csv", "json", "qdpx", "qdc")


class ExportError(ValueError):
    """An export option that cannot be used, with what to use instead."""


@dataclass(frozen=True)
class Exported:
    data: bytes
    answers: int  # answers in the file
    withheld: int  # restricted answers left out for this reviewer
    rounds: tuple[int, ...]


async def export_data(db: Database, fmt: str, round_id: int | None = None, reviewer: Reviewer | None = None,
                      all_rounds: bool = False, bom: bool = True, proposals: bool = True) -> Exported:
    """The file content for one round (None: the current one) or every round; restricted answers only for
    reviewers allowed to read them. `proposals` False leaves unreviewed auto proposals out of a .qdpx."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    reviewer = reviewer or Reviewer()
    async with db.uow() as uow:
        s = uow.session
        if all_rounds:
            rounds = list((await s.scalars(select(Assessment).order_by(Assessment.id))).all())
            if not rounds:
                raise ExportError("no assessment yet; create one with 'cna assessment create'")
        else:
            rounds = [await resolve_round(s, round_id)]
        cb = await load_codebook(s)
        if fmt == "qdc":
            data, n, withheld = codebook_xml(cb.codes), 0, 0
        else:
            loaded = await load_answers(s, [r.id for r in rounds], reviewer)
            n, withheld = len(loaded.answers), loaded.withheld
            round_no = {r.id: r.round_no for r in rounds}
            if fmt == "qdpx":
                passages = await coded_passages(s, [a.id for a in loaded.answers])
                memos = await export_memos(s, rounds, cb)
                data = qdpx_bytes(rounds, cb.codes, loaded.answers, reviewer.name, passages, proposals, memos)
            else:
                records = [record(a, round_no[a.round_id], cb) for a in loaded.answers]
                marks = [] if fmt == "csv" else await answer_marks(s, [a.id for a in loaded.answers])
                text = to_csv(records, bom=bom) if fmt == "csv" else to_json(rounds, cb, records, withheld, marks)
                data = text.encode("utf-8")
        for r in rounds:
            s.add(AuditEntry(actor=reviewer.name, action=f"export.{fmt}", subject=f"assessment:{r.id}",
                             detail={"answers": n, "withheld": withheld}))
        await uow.commit()
    return Exported(data, n, withheld, tuple(r.id for r in rounds))


async def export_memos(s: AsyncSession, rounds: list[Assessment], cb: Codebook) -> Memos:
    """Every memo of the rounds with a title for its note (answer memos go only with exported answers)."""
    out = []
    for r in rounds:
        opps = {o.id: o.title for o in (await ranking(s, r.id)).opportunities}
        for m in await list_memos(s, r.id):
            title = {"round": f"{r.name} round {r.round_no}", "code": cb.label(m.target),
                     "answer": f"#{m.target}"}.get(m.kind) or opps.get(int(m.target), f"#{m.target}")
            out.append((r.id, m, title))
    return out


async def import_project(db: Database, data: bytes, reviewer: Reviewer | None = None, round_id: int | None = None,
                         dry_run: bool = False, reapply_rejected: bool = False) -> ImportResult:
    """Bring codings from a .qdpx back as human codings (see reports.qdpx_import); `dry_run` changes nothing."""
    reviewer = reviewer or Reviewer()
    async with db.uow() as uow:
        result = await import_qdpx(uow.session, data, reviewer, round_id, reapply_rejected)
        if not dry_run:
            uow.session.add(AuditEntry(actor=reviewer.name, action="import.qdpx",
                                       subject=f"assessment:{round_id}" if round_id else None,
                                       detail={"created": result.created, "reapplied": result.reapplied,
                                               "restored": result.restored, "themes": len(result.themes),
                                               "codings": result.codings, "mapped": result.mapped}))
            await uow.commit()
    return result
