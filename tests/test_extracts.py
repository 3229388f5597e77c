"""Certified extracts: composed from verified evidence, PDF/A, signed, verifiable, revocable."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import ImageFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from sqlalchemy import select

from archive.models import AuditEntry, Extract
from archive.users import Role
from bench.extract import SOURCES
from decoder.registry import Registry
from decoder.registry_json import parse_registry_json
from extracts.compose import compose
from extracts.keys import import_office_key, office_key
from extracts.model import Office
from extracts.render import render_pdf, vietnamese_date
from extracts.sign import sign_pdf
from extracts.verify import check_pdf
from tests.app_client import add_staff, context_of, make_client, worker_for
from tests.cli_runner import Cli
from tests.conftest import skip_or_fail
from tests.java_tools import PdfaValidator, java_problem
from tests.test_api_staff import PASSWORD, as_role, png
from tests.test_web_pages import csrf, sign_in
from usecases.staff import check_audit_log

PERSON = {"id": "hn-1972-0042", "full_name": "Nguyễn Văn Thành", "birth_year": 1950,
          "hometown": "xã Quỳnh Lưu, tỉnh Nghệ An", "rank": "Hạ sĩ", "unit_text": "c2 d5 e88 f308",
          "death_date": "1972-07-15", "death_place": "Quảng Trị",
          "burial_place": "Nghĩa trang Liệt sĩ Quốc gia Trường Sơn", "sources": [{"scan": "1", "page": 1}]}
FAMILY = {"requester": {"name": "Nguyễn Thị Hoa", "contact": "0912 345 678", "relation": "con"},
          "person": {"full_name": "Nguyễn Văn Thành", "unit_text": "c2 d5 e88 f308"}}


@pytest.fixture(scope="session")
def pdfa() -> Iterator[PdfaValidator | None]:
    """veraPDF, one process for the test process (None where Java is missing and not required)."""
    problem = java_problem()
    if problem:
        try:
            skip_or_fail(f"veraPDF cannot run: {problem}")
        except pytest.skip.Exception:
            yield None  # the extracts are still tested, only not by veraPDF
            return
    validator = PdfaValidator()
    yield validator
    validator.close()


def pdfa_failures(pdfa: PdfaValidator | None, pdf: bytes, folder: Path) -> str:
    """veraPDF's broken rules for a PDF as one text, empty when it is PDF/A-2b."""
    if pdfa is None:
        return ""
    path = folder / f"checked-{hashlib.sha256(pdf).hexdigest()[:16]}.pdf"
    path.write_bytes(pdf)
    return "; ".join(str(failure) for failure in pdfa.failures(path))


@pytest.fixture
def client(tmp_path: Path, pdfa: PdfaValidator | None) -> Iterator[TestClient]:
    """The demo registry, staff of every role, one read scan and the person it names.

    Every extract the test issued is then validated by veraPDF as PDF/A-2b.
    """
    with make_client(tmp_path / "data") as client:
        context = context_of(client)
        for role in Role:
            add_staff(context, role.value, PASSWORD, role)
        uploaded = client.post("/api/v1/scans", headers=as_role(client, Role.ARCHIVIST),
                               files={"file": ("giấy báo tử.png", png(5, dpi=100), "image/png")})
        assert uploaded.status_code == 202
        worker_for(context).run(
            threading.Event(), exit_when_idle=True)
        stored = client.post("/api/v1/persons", json=PERSON, headers=as_role(client, Role.OFFICER))
        assert stored.status_code == 201
        yield client
        with context.resources.sessions() as session:
            issued = session.execute(select(Extract.serial, Extract.pdf_sha256)).all()
        for serial, sha256 in issued:
            failures = pdfa_failures(pdfa, context.resources.blobs.read(sha256), tmp_path)
            if failures:
                pytest.fail(f"extract {serial} is not PDF/A-2b, veraPDF: {failures}")


def approved_request(client: TestClient) -> tuple[str, str]:
    created = client.post("/api/v1/requests", json=FAMILY).json()
    officer = as_role(client, Role.OFFICER)
    for status in ("in_review", "approved"):
        moved = client.post(f"/api/v1/requests/{created['tracking_code']}/transition",
                            json={"to": status}, headers=officer)
        assert moved.status_code == 200, moved.text
    return created["tracking_code"], created["secret"]


def issue(client: TestClient, code: str, **body: Any) -> str:
    response = client.post(f"/api/v1/requests/{code}/extract", json={"person_id": PERSON["id"], **body},
                           headers=as_role(client, Role.OFFICER))
    assert response.status_code == 201, response.text
    serial: str = response.json()["serial"]
    return serial


def download(client: TestClient, serial: str, secret: str) -> bytes:
    response = client.get(f"/api/v1/extracts/{serial}.pdf", headers={"X-Request-Secret": secret})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def verify(client: TestClient, data: bytes) -> dict[str, Any]:
    response = client.post("/api/v1/verify", files={"file": ("trich-luc.pdf", data, "application/pdf")})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_request_review_approve_issue_download_verify(client: TestClient) -> None:
    code, secret = approved_request(client)
    serial = issue(client, code)
    assert re.fullmatch(r"TL-\d{4}-[A-Z2-9]{8}", serial)
    status = client.get(f"/api/v1/requests/{code}", headers={"X-Request-Secret": secret}).json()
    assert status["status"] == "issued"
    assert status["status_text"]["vi"] == "Trích lục đã cấp; có thể tải về."
    pdf = download(client, serial, secret)
    public = client.get(f"/api/v1/verify/{serial}").json()
    assert (public["valid"], public["revoked"], public["subject"]) == (True, False, "Nguyễn Văn Thành")
    assert verify(client, pdf) == {"valid": True, "serial": serial, "revoked": False, "reason": None}
    # Another family's secret opens nothing; staff download with their role.
    other_secret = client.post("/api/v1/requests", json=FAMILY).json()["secret"]
    assert client.get(f"/api/v1/extracts/{serial}.pdf",
                      headers={"X-Request-Secret": other_secret}).status_code == 404
    assert client.get(f"/api/v1/extracts/{serial}.pdf",
                      headers=as_role(client, Role.OFFICER)).content == pdf
    archivist = as_role(client, Role.ARCHIVIST)
    assert client.get(f"/api/v1/extracts/{serial}.pdf", headers=archivist).status_code == 403
    # Issued once: the request is no longer approved.
    again = client.post(f"/api/v1/requests/{code}/extract", json={"person_id": PERSON["id"]},
                        headers=as_role(client, Role.OFFICER))
    assert again.status_code == 409
    context = context_of(client)
    report = check_audit_log(sessions=context.resources.sessions)
    assert report.intact
    with context.resources.sessions() as session:
        actions = [entry.action for entry in session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert actions.count("extract.issue") == 1
    assert actions.count("extract.download") == 2


def test_the_issued_pdf_is_pdfa_signed_and_says_who_where_and_which_unit(
        client: TestClient, pdfa: PdfaValidator | None, tmp_path: Path) -> None:
    code, secret = approved_request(client)
    serial = issue(client, code)
    pdf = download(client, serial, secret)
    assert pdfa_failures(pdfa, pdf, tmp_path) == "", "veraPDF finds it PDF/A-2b"
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.xmp_metadata
    assert metadata is not None
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp or "<pdfaid:part>2</pdfaid:part>" in xmp
    assert 'pdfaid:conformance="B"' in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert reader.trailer["/Root"]["/OutputIntents"]
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    document = pdfium.PdfDocument(pdf)
    text = " ".join(" ".join(document[index].get_textpage().get_text_bounded().split())
                    for index in range(len(document)))
    for expected in ("Nguyễn Văn Thành", "Trung đoàn 88", "Sư đoàn 308", serial, "xã Quỳnh Lưu, tỉnh Nghệ An",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Chiến dịch Trị Thiên", "giấy báo tử.png"):
        assert expected in text, expected
    check = check_pdf(pdf, context_of(client).extracts.office_key.trusted_certificates())
    assert (check.intact, check.trusted, check.serial, check.problem) == (True, True, serial, None)


def test_verapdf_names_the_rules_a_pdf_that_is_not_pdfa_breaks(pdfa: PdfaValidator | None,
                                                               tmp_path: Path) -> None:
    if pdfa is None:
        pytest.skip("veraPDF cannot run here")
    import weasyprint

    plain = weasyprint.HTML(string="<p>Trích lục</p>").write_pdf()  # no PDF/A variant asked for
    failures = pdfa_failures(pdfa, plain, tmp_path)
    assert "6.6.2.1-1" in failures, failures  # no XMP metadata in the catalog
    assert pdfa_failures(pdfa, b"%PDF-1.7 nothing else", tmp_path)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed "
                    "(scripts/bootstrap.sh test installs poppler-utils)")
def test_an_ordinary_reader_finds_the_signature_valid(client: TestClient, tmp_path: Path) -> None:
    code, secret = approved_request(client)
    path = tmp_path / "extract.pdf"
    path.write_bytes(download(client, issue(client, code), secret))
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report


def test_one_changed_byte_fails_verification(client: TestClient) -> None:
    code, secret = approved_request(client)
    serial = issue(client, code)
    pdf = download(client, serial, secret)
    inside = pdf.index(b"stream") + 40
    for tampered in (pdf[:inside] + bytes([pdf[inside] ^ 1]) + pdf[inside + 1:], pdf + b"\n% appended\n"):
        result = verify(client, tampered)
        assert result["valid"] is False
        assert result["reason"]
    assert verify(client, b"%PDF-1.7 not really")["reason"].startswith("not a readable PDF")
    for not_pdf in (b"", b"false", b"\x89PNG\r\n\x1a\n"):
        refused = client.post("/api/v1/verify", files={"file": ("x.pdf", not_pdf, "application/pdf")})
        assert refused.status_code == 422
        assert refused.json()["detail"] == "The file is not a PDF; send the extract as it was downloaded."


def test_rendering_an_extract_leaves_truncated_scans_refused() -> None:
    office = Office(name="Phòng thử", place="Hà Nội", verify_url="http://127.0.0.1/verify")
    demo = parse_registry_json(files("archive").joinpath("demo", "registry.json").read_bytes())
    content = compose(PERSON, Registry(demo.units), SOURCES,
                      serial="TL-THU-1", issued_at=datetime.now(UTC), office=office)
    assert render_pdf(content).startswith(b"%PDF-")  # WeasyPrint imported and run
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_revoked_extract_verifies_as_revoked(client: TestClient) -> None:
    code, secret = approved_request(client)
    serial = issue(client, code)
    pdf = download(client, serial, secret)
    officer = as_role(client, Role.OFFICER)
    revoked = client.post(f"/api/v1/extracts/{serial}/revoke", json={"reason": "cấp nhầm người"},
                          headers=officer)
    assert revoked.status_code == 200
    assert client.get(f"/api/v1/verify/{serial}").json()["revoked"] is True
    result = verify(client, pdf)
    assert (result["valid"], result["revoked"]) == (False, True)
    assert "cấp nhầm người" in result["reason"]
    assert client.post(f"/api/v1/extracts/{serial}/revoke", json={"reason": "again"},
                       headers=officer).status_code == 409
    assert client.get("/api/v1/verify/TL-2026-NOSUCH00").status_code == 404


def test_a_revoked_extract_is_replaced_by_a_corrected_one(client: TestClient) -> None:
    code, secret = approved_request(client)
    first = issue(client, code)
    officer = as_role(client, Role.OFFICER)
    assert client.post(f"/api/v1/requests/{code}/extract", json={"person_id": PERSON["id"]},
                       headers=officer).status_code == 409  # issued: one standing extract
    client.post(f"/api/v1/extracts/{first}/revoke", json={"reason": "sai năm sinh"}, headers=officer)
    family = {"X-Request-Secret": secret}
    assert client.get(f"/api/v1/requests/{code}", headers=family).json()["status"] == "approved"
    second = issue(client, code)
    assert second != first
    assert client.get(f"/api/v1/requests/{code}", headers=family).json()["status"] == "issued"
    assert verify(client, download(client, second, secret))["valid"] is True
    assert client.get(f"/api/v1/verify/{first}").json()["revoked"] is True
    # Revoking the superseded one again changes nothing; the standing one is untouched.
    assert client.post(f"/api/v1/extracts/{first}/revoke", json={"reason": "once more"},
                       headers=officer).status_code == 409
    assert client.get(f"/api/v1/requests/{code}", headers=family).json()["status"] == "issued"
    with context_of(client).resources.sessions() as session:
        moves = [json.loads(entry.details) for entry in session.query(AuditEntry).filter(
            AuditEntry.subject == f"request:{code}", AuditEntry.action == "request.transition")]
    assert {"from": "issued", "to": "approved", "note": f"{first} revoked: sai năm sinh"} in moves


def test_an_unverified_mapping_blocks_the_extract(client: TestClient) -> None:
    officer = as_role(client, Role.OFFICER)
    record = PERSON | {"id": "hn-1974-0001", "unit_text": "Hòm thư 47120 HN", "death_date": "1974-05"}
    assert client.post("/api/v1/persons", json=record, headers=officer).status_code == 201
    code, _ = approved_request(client)
    refused = client.post(f"/api/v1/requests/{code}/extract", json={"person_id": "hn-1974-0001"},
                          headers=officer)
    assert refused.status_code == 409
    assert "not verified" in refused.json()["detail"]
    assert client.get(f"/api/v1/requests/{code}", headers=officer).json()["status"] == "approved"
    # Nor without an archived page, nor for a request not approved.
    bare = PERSON | {"id": "hn-1972-0099", "sources": []}
    assert client.post("/api/v1/persons", json=bare, headers=officer).status_code == 201
    no_page = client.post(f"/api/v1/requests/{code}/extract", json={"person_id": "hn-1972-0099"},
                          headers=officer)
    assert no_page.status_code == 409
    assert "cites no archived page" in no_page.json()["detail"]
    fresh = client.post("/api/v1/requests", json=FAMILY).json()["tracking_code"]
    assert client.post(f"/api/v1/requests/{fresh}/extract", json={"person_id": PERSON["id"]},
                       headers=officer).status_code == 409


def test_a_pdf_signed_by_another_office_is_not_valid(client: TestClient, tmp_path: Path) -> None:
    code, secret = approved_request(client)
    serial = issue(client, code)
    context = context_of(client)
    stranger = office_key(tmp_path / "elsewhere", "Cơ quan khác")
    pdf = download(client, serial, secret)
    unsigned = pdf[:pdf.index(b"%%EOF") + 5]  # the document as rendered, before the office signed it
    forged = sign_pdf(unsigned, stranger, reason="giả mạo", location="?")
    result = verify(client, forged)
    assert result["valid"] is False
    assert result["serial"] == serial
    assert check_pdf(forged, context.extracts.office_key.trusted_certificates()).trusted is False


def test_an_imported_office_key_signs_from_then_on_and_old_extracts_still_verify(
        client: TestClient, tmp_path: Path) -> None:
    code, secret = approved_request(client)
    old = download(client, issue(client, code), secret)
    context = context_of(client)
    assert oct(context.extracts.office_key.key_path.stat().st_mode & 0o777) == "0o600"
    source = office_key(tmp_path / "real", "Sở Nội vụ tỉnh Nghệ An")
    with pytest.raises(Exception, match="does not belong"):
        import_office_key(context.settings.data_dir, source.key_path.read_bytes(),
                          context.extracts.office_key.cert_path.read_bytes())
    import_office_key(context.settings.data_dir, source.key_path.read_bytes(), source.cert_path.read_bytes())
    assert verify(client, old)["valid"] is True
    second, second_secret = approved_request(client)
    new = download(client, issue(client, second), second_secret)
    assert verify(client, new)["valid"] is True
    signer = PdfFileReader(io.BytesIO(new)).embedded_signatures[0].signer_cert
    assert "Sở Nội vụ tỉnh Nghệ An" in signer.subject.human_friendly


@pytest.mark.parametrize(("written", "spoken"), [
    ("1972-07-15", "ngày 15 tháng 7 năm 1972"), ("1972-07", "tháng 7 năm 1972"), ("1972", "năm 1972"),
    ("khoảng 1972", "khoảng 1972"), (None, "")])
def test_dates_are_written_the_vietnamese_way(written: str | None, spoken: str) -> None:
    assert vietnamese_date(written) == spoken


def test_the_pages_issue_deliver_and_verify_an_extract(client: TestClient) -> None:
    code, secret = approved_request(client)
    sign_in(client, Role.OFFICER)
    item = client.get(f"/queue/{code}")
    assert "Ký số và cấp" in item.text
    sessions = context_of(client).resources.sessions
    entries = check_audit_log(sessions=sessions).entries
    preview = client.get(f"/queue/{code}/extract/preview", params={"person_id": PERSON["id"]})
    assert preview.status_code == 200
    assert check_audit_log(sessions=sessions).entries == entries, "a GET writes nothing"
    assert "TRÍCH LỤC HỒ SƠ LIỆT SĨ" in preview.text
    assert "TL-XEM-TRUOC" in preview.text
    blocked = client.post(f"/queue/{code}/extract", data={"person_id": "nobody", "csrf_token": csrf(client)})
    assert blocked.status_code == 409
    issued = client.post(f"/queue/{code}/extract",
                         data={"person_id": PERSON["id"], "csrf_token": csrf(client)}, follow_redirects=False)
    assert issued.status_code == 303
    found = re.search(r'id="serial">([^<]+)<', client.get(f"/queue/{code}").text)
    assert found
    serial = found.group(1)
    client.cookies.clear()
    status = client.post("/track", data={"code": code, "secret": secret, "csrf_token": csrf(client)})
    assert "Tải trích lục (PDF)" in status.text
    pdf = client.post("/track/extract", data={"code": code, "secret": secret, "csrf_token": csrf(client)})
    assert pdf.headers["content-type"] == "application/pdf"
    wrong = client.post("/track/extract", data={"code": code, "secret": "guess", "csrf_token": csrf(client)})
    assert wrong.status_code == 404
    page = client.get(f"/verify/{serial}")
    assert "còn hiệu lực" in page.text
    assert client.get("/verify", params={"serial": serial.lower()}, follow_redirects=False
                      ).headers["location"] == f"/verify/{serial}"
    checked = client.post("/verify", data={"csrf_token": csrf(client)},
                          files={"file": ("x.pdf", pdf.content, "application/pdf")})
    assert "chưa bị sửa đổi" in checked.text
    forged = client.post("/verify", data={"csrf_token": csrf(client)},
                         files={"file": ("x.pdf", pdf.content + b"%", "application/pdf")})
    assert "Không thể tin tệp PDF này" in forged.text
    assert client.get("/verify/TL-0000-NONE").status_code == 404
    # Revoked from the request's page, the extract gives way to a corrected one.
    sign_in(client, Role.OFFICER)
    assert "Ký số và cấp" not in client.get(f"/queue/{code}").text
    client.post(f"/extracts/{serial}/revoke", data={"reason": "sai quê quán", "code": code,
                                                    "csrf_token": csrf(client)})
    item = client.get(f"/queue/{code}").text
    assert "Ký số và cấp" in item
    client.cookies.clear()
    status = client.post("/track", data={"code": code, "secret": secret, "csrf_token": csrf(client)})
    assert "sai quê quán" in status.text
    assert "Tải trích lục (PDF)" not in status.text


def test_office_commands_show_and_import_the_signing_identity(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data", f"sqlite:///{tmp_path / 'office.sqlite3'}")
    shown = cli("office", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    first = json.loads(shown.stdout)
    assert first["self_signed"] is True
    assert "Phòng Chính sách người có công" in first["subject"]
    real = office_key(tmp_path / "real", "Sở Nội vụ tỉnh Nghệ An")
    other = office_key(tmp_path / "other", "Khác")
    mismatched = cli("office", "import", str(real.key_path), str(other.cert_path))
    assert mismatched.returncode == 3
    assert mismatched.stderr.strip() == "Error: The certificate does not belong to this key."
    missing = cli("office", "import", str(tmp_path / "nope.pem"), str(real.cert_path))
    assert missing.returncode == 3
    assert "Traceback" not in missing.stderr
    imported = cli("office", "import", str(real.key_path), str(real.cert_path), "--json")
    assert imported.returncode == 0, imported.stderr
    assert "Sở Nội vụ tỉnh Nghệ An" in json.loads(imported.stdout)["subject"]
    assert json.loads(cli("office", "show", "--json").stdout)["sha256"] != first["sha256"]
