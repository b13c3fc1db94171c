"""A reviewer's coding decisions and theme edits, each returning a Change that `undo` reverts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import AUTO_THRESHOLD
from storage.models import Code, Coding
from storage.review.answers import check_visible
from storage.review.scope import ReviewError, ReviewScope, load_codebook


@dataclass(frozen=True)
class CodingChange:
    """The human coding of one (answer, code) before and after; status None means no human row."""

    answer_id: int
    code_id: str
    before: str | None
    before_coder: str | None
    after: str | None


@dataclass(frozen=True)
class Change:
    """One undoable action of the reviewer, described for the undo message."""

    label: str
    codings: tuple[CodingChange, ...] = ()
    created_code: str | None = None
    renamed: tuple[str, str, str | None] | None = None  # code id, previous English and Chinese labels
    merged: tuple[str, str | None] | None = None  # code id, what it was merged into before


async def _human(s: AsyncSession, answer_id: int, code_id: str) -> Coding | None:
    row: Coding | None = await s.scalar(select(Coding).where(
        Coding.answer_id == answer_id, Coding.code_id == code_id, Coding.source == "human"))
    return row


async def _set_human(s: AsyncSession, answer_id: int, code_id: str, status: str | None,
                     coder: str | None) -> CodingChange:
    row = await _human(s, answer_id, code_id)
    before, before_coder = (row.status, row.coder) if row else (None, None)
    if status is None:
        if row is not None:
            await s.delete(row)
    elif row is None:
        s.add(Coding(answer_id=answer_id, code_id=code_id, source="human", status=status,
                     coder=coder or "lead"))
    else:
        row.status, row.coder = status, coder or row.coder
    await s.flush()
    return CodingChange(answer_id, code_id, before, before_coder, status)


async def _usable_code(s: AsyncSession, code_id: str) -> str:
    """The code to store: a merged theme is applied as the code it was merged into."""
    cb = await load_codebook(s)
    if code_id not in cb.codes:
        raise ReviewError(f"no code {code_id!r}; pick one from the code list (t) or create a theme (T)")
    return cb.survivor(code_id)


async def apply_code(s: AsyncSession, scope: ReviewScope, answer_ids: Sequence[int] | int,
                     code_id: str) -> Change:
    """Tag answers with a code (a human 'applied' coding); accepting an auto proposal is the same act."""
    ids = [answer_ids] if isinstance(answer_ids, int) else list(answer_ids)
    await check_visible(s, scope, ids)
    code = await _usable_code(s, code_id)
    changes = tuple([await _set_human(s, a, code, "applied", scope.coder) for a in ids])
    return Change(f"tag {code} on {_which(ids)}", changes)


async def accept_code(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str) -> Change:
    change = await apply_code(s, scope, answer_id, code_id)
    return Change(f"accept {code_id} on {_which([answer_id])}", change.codings)


async def reject_code(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str) -> Change:
    """Record that the code does not fit the answer (kept, so agreement with the auto coder is measurable)."""
    await check_visible(s, scope, [answer_id])
    c = await _set_human(s, answer_id, code_id, "rejected", scope.coder)
    return Change(f"reject {code_id} on {_which([answer_id])}", (c,))


async def remove_code(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str) -> Change:
    """Untag: the code no longer counts. Where the auto coder proposed it, the removal is kept as a
    rejection; a code only a person had added simply goes."""
    await check_visible(s, scope, [answer_id])
    proposed = await s.scalar(select(Coding.id).where(
        Coding.answer_id == answer_id, Coding.code_id == code_id, Coding.source == "auto",
        Coding.confidence >= AUTO_THRESHOLD))
    c = await _set_human(s, answer_id, code_id, "rejected" if proposed else None, scope.coder)
    return Change(f"untag {code_id} on {_which([answer_id])}", (c,))


async def clear_decision(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str) -> Change:
    """Forget the person's decision on this code: the auto proposal (if any) counts again."""
    await check_visible(s, scope, [answer_id])
    c = await _set_human(s, answer_id, code_id, None, None)
    return Change(f"reset {code_id} on {_which([answer_id])}", (c,))


async def accept_all(s: AsyncSession, scope: ReviewScope, answer_id: int) -> Change:
    """Accept every confident auto proposal on the answer that no person has decided on."""
    await check_visible(s, scope, [answer_id])
    decided = set((await s.scalars(select(Coding.code_id).where(Coding.answer_id == answer_id,
                                                                Coding.source == "human"))).all())
    proposed = (await s.scalars(select(Coding.code_id).where(
        Coding.answer_id == answer_id, Coding.source == "auto", Coding.confidence >= AUTO_THRESHOLD)
        .order_by(Coding.id))).all()
    changes = tuple([await _set_human(s, answer_id, c, "applied", scope.coder)
                     for c in proposed if c not in decided])
    return Change(f"accept {len(changes)} code(s) on {_which([answer_id])}", changes)


def _which(ids: Sequence[int]) -> str:
    return f"answer #{ids[0]}" if len(ids) == 1 else f"{len(ids)} answers"


# --- themes ---------------------------------------------------------------------------------------------

def slug(text: str) -> str:
    """'Predictable billing!' -> 'predictable-billing'; non-Latin text keeps its letters."""
    norm = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", norm).strip("-_")[:40] or "theme"


async def create_theme(s: AsyncSession, scope: ReviewScope, label_en: str, *, label_zh: str | None = None,
                       description: str | None = None, parent_id: str | None = None,
                       answer_ids: Iterable[int] = ()) -> tuple[str, Change]:
    """A new theme (a code of kind 'theme'), optionally applied to answers at once; returns its id."""
    label = " ".join(label_en.split())
    if not label:
        raise ReviewError("a theme needs a name")
    ids = list(answer_ids)
    await check_visible(s, scope, ids)
    base = "theme-" + slug(label)
    code_id, n = base, 1
    while await s.get(Code, code_id) is not None:
        n += 1
        code_id = f"{base}-{n}"
    s.add(Code(id=code_id, kind="theme", label_en=label, label_zh=label_zh, description=description,
               parent_id=parent_id, created_by=scope.coder))
    await s.flush()
    changes = tuple([await _set_human(s, a, code_id, "applied", scope.coder) for a in ids])
    where = f" on {_which(ids)}" if ids else ""
    return code_id, Change(f"create theme '{label}'{where}", changes, created_code=code_id)


async def rename_theme(s: AsyncSession, code_id: str, label_en: str, label_zh: str | None = None) -> Change:
    """Rename a theme (codebook codes come from codebook.yaml and are renamed there)."""
    code = await s.get(Code, code_id)
    if code is None or code.kind != "theme":
        raise ReviewError(f"{code_id!r} is not a theme; codebook codes are renamed in "
                          "interview_scripts/codebook.yaml")
    label = " ".join(label_en.split())
    if not label:
        raise ReviewError("a theme needs a name")
    change = Change(f"rename theme '{code.label_en}' to '{label}'",
                    renamed=(code_id, code.label_en, code.label_zh))
    code.label_en = label
    if label_zh is not None:
        code.label_zh = label_zh or None
    await s.flush()
    return change


async def merge_themes(s: AsyncSession, source_id: str, target_id: str) -> Change:
    """Merge a theme into another theme or code: its answers count for the target from now on. Nothing is
    deleted (the source points at the target), so the merge can be undone."""
    cb = await load_codebook(s)
    source, target = cb.codes.get(source_id), cb.codes.get(target_id)
    if source is None or source.kind != "theme":
        raise ReviewError(f"{source_id!r} is not a theme; only themes can be merged into others")
    if target is None:
        raise ReviewError(f"no code {target_id!r} to merge into")
    if source.merged_into:
        raise ReviewError(f"theme {source_id!r} is already merged into {source.merged_into!r}")
    if cb.survivor(target_id) == source_id:
        raise ReviewError(f"cannot merge {source_id!r} into {target_id!r}: that would make a loop")
    row = await s.get(Code, source_id)
    assert row is not None
    row.merged_into = cb.survivor(target_id)
    await s.flush()
    return Change(f"merge theme '{source.label_en}' into '{cb.label(target_id)}'", merged=(source_id, None))


async def undo(s: AsyncSession, change: Change) -> None:
    """Revert one change; later changes to the same codings should be undone first (a stack)."""
    for c in reversed(change.codings):
        await _set_human(s, c.answer_id, c.code_id, c.before, c.before_coder)
    if change.merged:
        row = await s.get(Code, change.merged[0])
        if row is not None:
            row.merged_into = change.merged[1]
    if change.renamed:
        row = await s.get(Code, change.renamed[0])
        if row is not None:
            row.label_en, row.label_zh = change.renamed[1], change.renamed[2]
    if change.created_code:
        await s.execute(delete(Coding).where(Coding.code_id == change.created_code))
        await s.execute(delete(Code).where(Code.id == change.created_code))
    await s.flush()
