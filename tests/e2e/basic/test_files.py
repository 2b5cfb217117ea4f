"""File upload (multipart), limits, metadata, download and delete, per company."""

from __future__ import annotations

import hashlib
import uuid
from uuid import UUID

from tests.e2e.basic.conftest import FILE_LIMIT, BasicApi


async def _upload(api: BasicApi, caller: object, company: UUID, name: str, content: bytes, kind: str) -> object:
    return await api.call("POST", "/api/files/upload", caller, company, files={"file": (name, content, kind)})  # type: ignore[arg-type]


async def test_upload_list_download_rename_delete(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    content = b"%PDF-1.4 example"
    uploaded = await _upload(api, caller, company, "example.pdf", content, "application/pdf")
    assert uploaded.status_code == 201, uploaded.text  # type: ignore[attr-defined]
    meta = uploaded.json()  # type: ignore[attr-defined]
    assert (meta["name"], meta["contentType"], meta["sizeBytes"]) == ("example.pdf", "application/pdf", len(content))
    assert meta["sha256"] == hashlib.sha256(content).hexdigest()
    assert meta["uploadedBy"] == str(caller.user_id)  # type: ignore[attr-defined]

    listed = (await api.call("GET", "/api/files", caller, company)).json()
    assert [item["id"] for item in listed["items"]] == [meta["id"]]
    assert (await api.call("GET", f"/api/files/{meta['id']}", caller, company)).json() == meta

    download = await api.call("GET", f"/api/files/{meta['id']}/content", caller, company)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-disposition"] == "attachment; filename*=UTF-8''example.pdf"
    assert download.headers["x-content-type-options"] == "nosniff"

    renamed = await api.call("PUT", f"/api/files/{meta['id']}", caller, company, json={"name": "contract.pdf"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "contract.pdf"

    stored = list((api.data_dir / "files" / "basic").rglob("*"))
    assert any(path.is_file() for path in stored)
    assert (await api.call("DELETE", f"/api/files/{meta['id']}", caller, company)).status_code == 204
    assert (await api.call("GET", f"/api/files/{meta['id']}/content", caller, company)).status_code == 404
    assert not any(path.is_file() for path in (api.data_dir / "files" / "basic").rglob("*"))


async def test_file_of_another_company_is_404_including_content(api: BasicApi) -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    caller = api.member(acme, globex)
    meta = (await _upload(api, caller, acme, "a.txt", b"secret", "text/plain")).json()  # type: ignore[attr-defined]
    for path in (f"/api/files/{meta['id']}", f"/api/files/{meta['id']}/content"):
        response = await api.call("GET", path, caller, globex)
        assert response.status_code == 404
        assert "secret" not in response.text
    assert (await api.call("DELETE", f"/api/files/{meta['id']}", caller, globex)).status_code == 404
    assert (await api.call("GET", f"/api/files/{meta['id']}/content", caller, acme)).content == b"secret"


async def test_file_over_the_limit_is_refused(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    just_over = await _upload(api, caller, company, "big.txt", b"x" * (FILE_LIMIT + 1), "text/plain")
    assert just_over.status_code == 400
    assert just_over.json()["code"] == "FILE_TOO_LARGE"
    far_over = await _upload(api, caller, company, "huge.txt", b"x" * (FILE_LIMIT + 200_000), "text/plain")
    assert far_over.status_code == 413  # type: ignore[attr-defined]
    at_limit = await _upload(api, caller, company, "ok.txt", b"x" * FILE_LIMIT, "text/plain")
    assert at_limit.status_code == 201  # type: ignore[attr-defined]
    assert (await api.call("GET", "/api/files", caller, company)).json()["total"] == 1


async def test_file_type_outside_the_allow_list_is_refused(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    response = await _upload(api, caller, company, "run.exe", b"MZ", "application/x-msdownload")
    assert response.status_code == 400
    assert response.json()["code"] == "FILE_TYPE_NOT_ALLOWED"
    assert (await api.call("GET", "/api/files", caller, company)).json()["total"] == 0


async def test_upload_without_the_file_field_is_400(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    response = await api.call(
        "POST", "/api/files/upload", caller, company, files={"other": ("a.txt", b"x", "text/plain")}
    )
    assert response.status_code == 400
    assert "file" in response.json()["detail"]


async def test_upload_needs_the_create_permission(api: BasicApi, company: UUID) -> None:
    caller = api.member(company, permissions=["basic.file.view"])
    response = await _upload(api, caller, company, "a.txt", b"x", "text/plain")
    assert response.status_code == 403
    assert response.json()["code"] == "PERMISSION_DENIED"


async def test_file_name_cannot_escape_storage(api: BasicApi, company: UUID) -> None:
    caller = api.member(company)
    meta = (await _upload(api, caller, company, "../../etc/passwd", b"x", "text/plain")).json()  # type: ignore[attr-defined]
    assert meta["name"] == "passwd"
    assert all(api.data_dir in path.parents for path in (api.data_dir / "files").rglob("*"))
