"""The files_upload_v2 flow: files.getUploadURLExternal, the upload URL, files.completeUploadExternal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakeslack import ids
from tests.fakeslack.api import error, method, ok
from tests.fakeslack.records import Upload

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack


@method("files.getUploadURLExternal")
def get_upload_url(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    filename, length = body.get("filename"), str(body.get("length") or "")
    if not filename or not length.isdigit():
        return error("invalid_arguments", ["[ERROR] filename and length are required"])
    upload = Upload(file_id=ids.prefixed("F"), filename=str(filename), length=int(length))
    fake.uploads.append(upload)
    return ok(upload_url=f"{fake.base_url}/upload/v1/{upload.file_id}", file_id=upload.file_id)


@method("files.completeUploadExternal")
def complete_upload(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    files = body.get("files")
    if not isinstance(files, list) or not files:
        return error("invalid_arguments", ["[ERROR] files is required"])
    by_id = {u.file_id: u for u in fake.uploads}
    chosen = [by_id.get(f.get("id")) if isinstance(f, dict) else None for f in files]
    if any(u is None or u.data is None for u in chosen):
        return error("file_not_found")
    result = []
    for entry, upload in zip(files, chosen, strict=True):
        assert upload is not None
        upload.title = entry.get("title") or upload.filename
        upload.channel_id = body.get("channel_id") or body.get("channels")
        upload.initial_comment = body.get("initial_comment")
        upload.completed = True
        result.append(
            {"id": upload.file_id, "name": upload.filename, "title": upload.title, "size": upload.length}
        )
    return ok(files=result)
