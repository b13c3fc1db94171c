"""A reviewer's coding decisions and theme edits, each returning a Change that `undo` reverts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import AUTO_THRESHOLD
from storage.models import Answer, Code, Coding
from storage.review.answers import check_visible
from storage.review.history import (
    MemoState,
    OpportunityState,
    ProbeMarkState,
    WeightsState,
    restore_memo,
    restore_opportunity,
    restore_probe_mark,
    restore_weights,
)
from storage.review.scope import ReviewError, ReviewScope, load_codebook


@dataclass(frozen=True)
class CodingChange:
    """The human coding of one (answer, code) before and after; status None means no human row. With `span`
    the change is to that passage's coding; `passages_before` are passages a whole-answer decision removed."""

    answer_id: int
    code_id: str
    before: str | None
    before_coder: str | None
    after: str | None
    span: tuple[int, int] | None = None
    passages_before: tuple[tuple[int, int, str], ...] = ()  # (start, end, coder)


@dataclass(frozen=True)
class Change:
    """One undoable action of the reviewer, described for the undo message."""

    label: str
    codings: tuple[CodingChange, ...] = ()
    created_code: str | None = None
    renamed: tuple[str, str, str | None] | None = None  # code id, previous English and Chinese labels
    merged: tuple[str, str | None] | None = None  # code id, what it was merged into before
    opportunity: OpportunityState | None = None  # the opportunity before the change (absent: it was created)
    weights: WeightsState | None = None  # the round's weights before the change
    memo: MemoState | None = None  # the memo before the change
    probe_mark: ProbeMarkState | None = None  # the reviewer's probe mark before the change


async def _human(s: AsyncSession, answer_id: int, code_id: str,
                 span: tuple[int, int] | None = None) -> Coding | None:
    """The person's coding on the whole answer (span None) or on exactly that passage."""
    where = ([Coding.span_start.is_(None)] if span is None
             else [Coding.span_start == span[0], Coding.span_end == span[1]])
    row: Coding | None = await s.scalar(select(Coding).where(
        Coding.answer_id == answer_id, Coding.code_id == code_id, Coding.source == "human", *where))
    return row


async def _passages(s: AsyncSession, answer_id: int, code_id: str) -> list[Coding]:
    return list((await s.scalars(select(Coding).where(
        Coding.answer_id == answer_id, Coding.code_id == code_id, Coding.source == "human",
        Coding.span_start.is_not(None)).order_by(Coding.span_start, Coding.span_end))).all())


async def _set_human(s: AsyncSession, answer_id: int, code_id: str, status: str | None,
                     coder: str | None) -> CodingChange:
    row = await _human(s, answer_id, code_id)
    before, before_coder = (row.status, row.coder) if row else (None, None)
    removed: tuple[tuple[int, int, str], ...] = ()
    if status != "applied":  # rejecting or untagging the answer takes its coded passages with it
        passages = await _passages(s, answer_id, code_id)
        removed = tuple((p.span_start or 0, p.span_end or 0, p.coder) for p in passages)
        for p in passages:
            await s.delete(p)
    if status is None:
        if row is not None:
            await s.delete(row)
    elif row is None:
        s.add(Coding(answer_id=answer_id, code_id=code_id, source="human", status=status,
                     coder=coder or "lead"))
    else:
        row.status, row.coder = status, coder or row.coder
    await s.flush()
    return CodingChange(answer_id, code_id, before, before_coder, status, passages_before=removed)


async def _set_passage(s: AsyncSession, answer_id: int, code_id: str, span: tuple[int, int], applied: bool,
                       coder: str | None) -> CodingChange:
    row = await _human(s, answer_id, code_id, span)
    before, before_coder = (row.status, row.coder) if row else (None, None)
    if not applied:
        if row is not None:
            await s.delete(row)
    elif row is None:
        s.add(Coding(answer_id=answer_id, code_id=code_id, source="human", status="applied", coder=coder or "lead",
                     span_start=span[0], span_end=span[1]))
    else:
        row.coder = coder or row.coder
    await s.flush()
    return CodingChange(answer_id, code_id, before, before_coder, "applied" if applied else None, span)


def passage_text(answer_text: str) -> str:
    """The text passages are counted in: the answer with line endings as '\n' (as in exported transcripts)."""
    return answer_text.replace("\r\n", "\n").replace("\r", "\n")


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


async def code_passage(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str, start: int,
                       end: int) -> Change:
    """Tag part of an answer: characters [start, end) of its text (passage_text). The whole text is the same as
    apply_code; a passage replaces a whole-answer rejection of the code (the person now says it fits there)."""
    await check_visible(s, scope, [answer_id])
    answer = await s.get(Answer, answer_id)
    length = len(passage_text(answer.text if answer else ""))
    if not 0 <= start < end <= length:
        raise ReviewError(f"a passage of answer #{answer_id} must lie within its {length} characters "
                          f"(got {start}..{end})")
    code = await _usable_code(s, code_id)
    if (start, end) == (0, length):
        return await apply_code(s, scope, answer_id, code)
    changes = []
    whole = await _human(s, answer_id, code)
    if whole is not None and whole.status == "rejected":
        changes.append(await _set_human(s, answer_id, code, None, None))
    changes.append(await _set_passage(s, answer_id, code, (start, end), True, scope.coder))
    return Change(f"tag {code} on part of {_which([answer_id])}", tuple(changes))


async def remove_passage(s: AsyncSession, scope: ReviewScope, answer_id: int, code_id: str, start: int,
                         end: int) -> Change:
    """Untag one coded passage; the answer's other passages and whole-answer decision stay."""
    await check_visible(s, scope, [answer_id])
    c = await _set_passage(s, answer_id, code_id, (start, end), False, None)
    return Change(f"untag {code_id} on part of {_which([answer_id])}", (c,))


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
    if change.opportunity is not None:
        await restore_opportunity(s, change.opportunity)
    if change.weights is not None:
        await restore_weights(s, change.weights)
    if change.memo is not None:
        await restore_memo(s, change.memo)
    if change.probe_mark is not None:
        await restore_probe_mark(s, change.probe_mark)
    for c in reversed(change.codings):
        if c.span is not None:
            await _set_passage(s, c.answer_id, c.code_id, c.span, c.before is not None, c.before_coder)
            continue
        await _set_human(s, c.answer_id, c.code_id, c.before, c.before_coder)
        for start, end, coder in c.passages_before:
            await _set_passage(s, c.answer_id, c.code_id, (start, end), True, coder)
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
