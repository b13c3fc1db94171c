"""The file's codebook against cna's: each code by GUID, cna id, English or Chinese label, else a theme to create."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from reports.guids import code_guid, norm_guid
from reports.qdpx_package import Package
from reports.qdpx_result import ImportResult
from storage.models import Code
from storage.review import Codebook

_CNA_ID = re.compile(r"^cna id: (\S+)", re.MULTILINE)
_CJK = re.compile(r"[\u3400-\u9fff]")


def _slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:48]


@dataclass
class _New:
    """A code made in the other tool; it becomes a theme only once one of its codings lands on an answer."""

    guid: str
    name: str
    parent_guid: str | None
    colour: str | None
    description: str | None
    created: str | None = None


class CodeMap:
    """File code GUID -> cna code id; themes for new codes are created when first used, not before."""

    def __init__(self, pkg: Package, cb: Codebook, result: ImportResult) -> None:
        self.known = set(cb.codes)
        self.result = result
        self.ids: dict[str, str] = {}
        self.new: dict[str, _New] = {}
        by_guid = {code_guid(cid): cid for cid in cb.codes}
        by_label: dict[str, str] = {}
        for c in cb.codes.values():
            for label in (c.label_zh, c.label_en):
                if label:
                    by_label[label.strip().casefold()] = c.id
        pending_by_name: dict[str, _New] = {}
        book = pkg.root.find(pkg.q("CodeBook"))
        codes_el = book.find(pkg.q("Codes")) if book is not None else None

        def walk(el: ET.Element, parent: str | None) -> None:
            for c in el.findall(pkg.q("Code")):
                g, name = norm_guid(c.get("guid")), (c.get("name") or "").strip()
                desc = pkg.text(c, "Description")
                said = _CNA_ID.search(desc)
                if g in by_guid:
                    self.ids[g] = by_guid[g]
                elif said and said.group(1) in cb.codes:  # our description travelled, the GUID did not
                    self.ids[g] = said.group(1)
                elif name.casefold() in by_label:
                    self.ids[g] = by_label[name.casefold()]
                elif name.casefold() in pending_by_name:  # the same new code twice: one theme
                    self.new[g] = pending_by_name[name.casefold()]
                else:
                    self.new[g] = pending_by_name[name.casefold()] = _New(
                        g, name, parent, c.get("color") or None, desc or None)
                walk(c, g)

        if codes_el is not None:
            walk(codes_el, None)

    async def resolve(self, s: AsyncSession, g: str) -> str | None:
        """The code id for a file code GUID, creating its theme on first use; None when the file lacks it."""
        if g in self.ids:
            return self.ids[g]
        new = self.new.get(g)
        if new is None:
            return None
        if new.created is None:
            base = "theme-" + (_slug(new.name) or new.guid[:8].lower())
            cid, n = base, 2
            while cid in self.known:
                cid, n = f"{base}-{n}", n + 1
            s.add(Code(id=cid, kind="theme", label_en=(new.name or cid)[:200],
                       label_zh=new.name[:200] if _CJK.search(new.name) else None, colour=new.colour,
                       description=new.description, created_by="qda-import"))
            await s.flush()
            self.known.add(cid)
            self.result.themes.append(cid)
            new.created = cid
        return new.created

    async def place_parents(self, s: AsyncSession) -> None:
        """Created themes sit under their parent from the file when that parent is a code here."""
        for new in {id(n): n for n in self.new.values()}.values():
            if new.created is None or new.parent_guid is None:
                continue
            parent = self.ids.get(new.parent_guid) or (self.new[new.parent_guid].created
                                                       if new.parent_guid in self.new else None)
            if parent and parent != new.created:
                row = await s.get(Code, new.created)
                if row is not None:
                    row.parent_id = parent
        await s.flush()
