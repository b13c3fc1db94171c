"""An opened .qdpx: project.qde's XML and the source files beside it, with errors a person can act on."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from reports.qda_text import decode


class QdpxImportError(ValueError):
    """A file that is not a usable REFI-QDA project, with what to do about it."""


@dataclass
class Package:
    """An opened .qdpx: project.qde's root element, its namespace, and the zip for the sources."""

    root: ET.Element
    ns: str
    zip: zipfile.ZipFile
    names: dict[str, str]  # member name lower-cased -> as stored

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def text(self, el: ET.Element, tag: str) -> str:
        child = el.find(self.q(tag))
        return (child.text or "") if child is not None else ""

    def source_text(self, src: ET.Element) -> str | None:
        """A TextSource's text as the tool stores it (BOM removed), from PlainTextContent or its internal:// file."""
        content = src.find(self.q("PlainTextContent"))
        if content is not None:
            return (content.text or "").removeprefix("\ufeff")
        path = src.get("plainTextPath") or ""
        member = self.names.get(("sources/" + path.removeprefix("internal://")).lower())
        if path.startswith("internal://") and member:
            return decode(self.zip.read(member))
        return None


def read_project(data: bytes) -> Package:
    """Open .qdpx bytes, with errors a person can act on."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise QdpxImportError("not a .qdpx file (it is not a zip archive); export a REFI-QDA project (.qdpx) "
                              "from your QDA tool") from None
    names = {n.lower(): n for n in z.namelist()}
    qde = next((n for low, n in names.items() if PurePosixPath(low).name == "project.qde"), None)
    if qde is None:
        raise QdpxImportError("the .qdpx has no project.qde; is it a REFI-QDA project export?")
    try:
        root = ET.fromstring(z.read(qde))
    except ET.ParseError as exc:
        raise QdpxImportError(f"project.qde is not well-formed XML: {exc}") from None
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if root.tag.rsplit("}", 1)[-1] != "Project":
        raise QdpxImportError(f"project.qde's root is <{root.tag}>, not <Project>")
    return Package(root, ns, z, names)
