"""The web UI in a real browser: an archivist, an officer and a family each do their job.

One live server (``phienhieu serve`` with the demo registry and one OCR worker) serves
every test of this module; each test signs in or stays anonymous on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from bench.synth import make_page
from tests.browser import browser_page, chromium_path
from tests.cli_runner import Cli
from tests.conftest import skip_or_fail
from tests.live_server import live_server
from tests.test_api_leads import build_world

pytestmark = pytest.mark.browser
PASSWORD = "mật khẩu đủ dài 2026"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if chromium_path() is None:
        skip_or_fail("Debian's chromium is not installed (scripts/bootstrap.sh test installs it)")
    data_dir = tmp_path_factory.mktemp("site")
    with live_server(data_dir) as url:
        cli = Cli(data_dir, f"sqlite:///{data_dir / 'phienhieu.sqlite3'}")
        for name, role in (("luutru", "archivist"), ("canbo", "officer"), ("giamdinh", "lab")):
            added = cli("user", "add", name, "--role", role, stdin=f"{PASSWORD}\n")
            assert added.returncode == 0, added.stderr
        yield url


@pytest.fixture(scope="module")
def staff_api(site: str) -> dict[str, str]:
    """An officer's API token, asked for once: every sign-in counts against the address's
    ten tries in five minutes, and this module's tests sign in many times."""
    token = httpx.post(f"{site}/api/v1/auth/token", data={"username": "canbo", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture
def page(site: str) -> Iterator[Page]:
    with browser_page(site) as opened:
        yield opened


@contextmanager
def second_person(page: Page, site: str) -> Iterator[Page]:
    """Another person at another computer: a fresh context of the same browser."""
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(base_url=site, locale="vi-VN")
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.get_by_label("Tên").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text(f"Đang đăng nhập: {name}")).to_be_visible()


def test_an_archivist_uploads_a_scan_and_reads_its_text(page: Page, tmp_path: Path) -> None:
    synthetic = make_page(5, dpi=150)
    scan = tmp_path / "giay-bao-tu.png"
    Image.fromarray(synthetic.image).save(scan, dpi=(synthetic.dpi, synthetic.dpi))
    sign_in(page, "luutru")
    page.get_by_role("link", name="Tải bản quét lên").click()
    page.get_by_label("Phông lưu trữ").fill("Phông thử nghiệm")
    page.set_input_files("#files", str(scan))
    page.get_by_role("button", name="Tải lên").click()
    # The script sends the file, then follows its OCR job until every page is read.
    opened = page.locator("#file-list").get_by_role("link", name="mở")
    expect(opened).to_be_visible(timeout=90_000)
    expect(page.locator("#file-list")).to_contain_text("đã đọc")
    opened.click()
    expect(page.get_by_role("heading", name="giay-bao-tu.png")).to_be_visible()
    expect(page.get_by_text("Đã đọc xong tất cả các trang.")).to_be_visible()
    page.get_by_role("link", name="Trang 1").click()
    text = page.get_by_label("Sửa văn bản đã nhận dạng").input_value().lower()
    assert "giấy báo tử" in text
    # The words are drawn over the image; a search marks the matching ones.
    page.get_by_label("Tìm trên trang này").fill("báo tử")
    page.get_by_role("button", name="Tìm", exact=True).click()
    assert page.locator(".viewer .word.hit").count() >= 2
    assert page.locator(".viewer .word").count() > 20
    # A correction is saved and kept.
    page.get_by_label("Sửa văn bản đã nhận dạng").fill("GIẤY BÁO TỬ\nĐã hiệu đính.")
    page.get_by_role("button", name="Lưu bản hiệu đính").click()
    expect(page.get_by_text("Đã lưu bản hiệu đính")).to_be_visible()
    expect(page.get_by_text("Đã được luutru hiệu đính.")).to_be_visible()


def test_an_officer_decodes_a_chain_and_opens_the_unit(page: Page) -> None:
    sign_in(page, "canbo")
    page.get_by_role("link", name="Giải mã phiên hiệu").first.click()
    page.get_by_label("Phiên hiệu, mật danh hoặc một đoạn văn bản").fill("c2 d5 e88 f308")
    page.get_by_label("Ngày ghi trên giấy tờ").fill("1972-07")
    page.get_by_role("button", name="Giải mã", exact=True).click()
    candidate = page.locator("article.candidate").first
    expect(candidate).to_contain_text("Sư đoàn 308 › Trung đoàn 88")
    expect(candidate).to_contain_text("Chiến dịch Trị Thiên")
    expect(candidate.get_by_role("listitem").filter(
        has_text="trung đoàn 88 trực thuộc sư đoàn 308 vào 1972-07")).to_be_visible()
    candidate.get_by_role("link", name="Trung đoàn 88").click()
    expect(page.get_by_role("heading", name="Trung đoàn 88", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sư đoàn 308")).to_be_visible()
    # Every event with coordinates is a numbered point on the bundled map.
    assert page.locator(".map .event circle").count() >= 1
    page.get_by_role("link", name="Lịch sử dạng GeoJSON").click()
    assert '"FeatureCollection"' in page.content()


def test_a_family_requests_an_extract_and_follows_it(page: Page, site: str) -> None:
    page.goto("/")
    page.get_by_label("Họ tên liệt sĩ").fill("Nguyễn Văn Không Có")
    page.locator("#family-title ~ form").get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("heading", name="Không tìm thấy kết quả")).to_be_visible()
    page.get_by_role("link", name=re.compile("Gửi yêu cầu về")).click()
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Văn Không Có")
    page.get_by_label("Năm sinh").fill("1950")
    page.get_by_label("Đơn vị hoặc hòm thư, như ghi trên giấy tờ").fill("Hòm thư 47120 HN")
    page.get_by_label("Ngày hy sinh, nếu biết").fill("1972-07")
    page.get_by_label("Họ tên người gửi").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại hoặc địa chỉ liên hệ").fill("0912 345 678")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.get_by_role("heading", name="Yêu cầu đã được tiếp nhận")).to_be_visible()
    code = page.locator("#tracking-code").inner_text()
    secret = page.locator("#secret").inner_text()
    assert code.startswith("YC-")
    page.get_by_role("button", name="Xem tình trạng yêu cầu").click()
    expect(page.locator("#status-text")).to_have_text("Đã nhận yêu cầu, đang chờ xem xét.")

    # An officer takes it up from the queue; the family sees the new status.
    with second_person(page, site) as officer:
        sign_in(officer, "canbo")
        officer.goto("/queue")
        officer.get_by_role("link", name=code).click()
        officer.get_by_label("Cán bộ đang xem xét hồ sơ.").check()
        officer.get_by_label("Ghi chú cho gia đình").fill("Đang đối chiếu hòm thư 47120.")
        officer.get_by_role("button", name="Lưu quyết định").click()
        expect(officer.locator("#status")).to_have_text("Cán bộ đang xem xét hồ sơ.")
    page.goto("/track")
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_label("Mã bí mật").fill(secret)
    page.get_by_role("button", name="Xem tình trạng").click()
    expect(page.locator("#status-text")).to_have_text("Cán bộ đang xem xét hồ sơ.")
    expect(page.get_by_text("Đang đối chiếu hòm thư 47120.")).to_be_visible()


def test_a_script_in_a_request_stays_text_on_the_officers_page(page: Page, site: str) -> None:
    attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'
    page.goto("/request")
    page.get_by_label("Họ và tên").fill(attack[:200])
    page.get_by_label("Họ tên người gửi").fill(attack[:200])
    page.get_by_label("Số điện thoại hoặc địa chỉ liên hệ").fill("0912 345 678")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    code = page.locator("#tracking-code").inner_text()
    with second_person(page, site) as officer:
        sign_in(officer, "canbo")
        officer.goto(f"/queue/{code}")
        expect(officer.get_by_text(attack[:60]).first).to_be_visible()
        assert officer.evaluate("window.pwned") is None


def test_the_interface_speaks_english_on_request(page: Page) -> None:
    page.goto("/decode")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Decode a designation")).to_be_visible()
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Giải mã phiên hiệu")).to_be_visible()


def test_an_archivist_corrects_a_grave_and_the_count_changes(page: Page, site: str,
                                                             staff_api: dict[str, str]) -> None:
    staff = staff_api
    cemetery = {"id": "nt-trinh-duyet", "name": "Nghĩa trang thử trình duyệt", "province": "Quảng Trị"}
    assert httpx.post(f"{site}/api/v1/cemeteries", json=cemetery, headers=staff).status_code == 201
    for number in ("1", "2"):
        grave = {"id": f"td-{number}", "cemetery": "nt-trinh-duyet", "lot": "1", "row": "1", "number": number,
                 "status": "unidentified"}
        assert httpx.post(f"{site}/api/v1/graves", json=grave, headers=staff).status_code == 201
    sign_in(page, "luutru")
    page.goto("/cemeteries/nt-trinh-duyet")
    # named, partly identified, unidentified, named without remains, total; then disagreeing
    counts = page.locator("#counts tbody td")
    expect(counts).to_have_text(["0", "0", "2", "0", "2", "0"])
    page.locator("a.grave-cell", has_text="2").click()
    expect(page.locator("#status")).to_have_text("Vô danh")
    page.get_by_label("Tình trạng").select_option("partial")
    page.get_by_label("Năm sinh").fill("1950")
    page.get_by_label("Lý do sửa").fill("Đọc được năm sinh trên bia khi tu sửa")
    page.get_by_role("button", name="Lưu bản hiệu đính").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu thông tin sửa.")
    expect(page.locator("#status")).to_have_text("Có một phần thông tin")
    expect(page.locator("#history")).to_contain_text("Đọc được năm sinh trên bia khi tu sửa")
    page.get_by_role("link", name="Nghĩa trang thử trình duyệt").click()
    expect(counts).to_have_text(["0", "1", "1", "0", "2", "0"])


def _dna_world(site: str, staff: dict[str, str]) -> dict[str, str]:
    """A martyr record, an unidentified grave, and his family's request linked to the record."""
    for path, body in (("/api/v1/persons", {"id": "td-p1", "full_name": "Hoàng Văn Thử", "birth_year": 1951}),
                       ("/api/v1/cemeteries", {"id": "nt-adn", "name": "Nghĩa trang thử ADN"}),
                       ("/api/v1/graves", {"id": "adn-1", "cemetery": "nt-adn", "number": "1",
                                           "status": "unidentified"})):
        assert httpx.post(f"{site}{path}", json=body, headers=staff).status_code == 201
    request: dict[str, str] = httpx.post(f"{site}/api/v1/requests", json={
        "requester": {"name": "Hoàng Thị Hỏi", "contact": "0900 000 000", "relation": "cháu"},
        "person": {"full_name": "Hoàng Văn Thử"}}).json()
    linked = httpx.post(f"{site}/api/v1/requests/{request['tracking_code']}/person",
                        json={"person_id": "td-p1"}, headers=staff)
    assert linked.status_code == 200
    return request


def _lab_records_a_match(lab: Page, reference: str, remains: str) -> str:
    """The laboratory receives the reference sample and records its match; the match's id."""
    sign_in(lab, "giamdinh")
    lab.goto("/samples")
    lab.get_by_label("Mã vạch (quét hoặc gõ)").fill(reference)
    lab.get_by_role("button", name="Mở").click()
    lab.get_by_label("Sự kiện").select_option("received")
    lab.get_by_role("button", name="Ghi sự kiện").click()
    expect(lab.locator("#custody")).to_contain_text("đã nhận")
    lab.get_by_label("Mẫu hài cốt (mã vạch)").fill(remains)
    lab.get_by_label("Tỷ số khả dĩ (LR)").fill("2.5e7")
    lab.get_by_label("Kết luận").select_option("match")
    lab.get_by_role("button", name="Ghi kết quả so sánh").click()
    return lab.locator("#matches code").first.inner_text()


def test_a_sample_is_matched_the_grave_named_and_the_family_told(page: Page, site: str,
                                                                staff_api: dict[str, str]) -> None:
    request = _dna_world(site, staff_api)
    # The officer registers the mother's-line relative and takes a sample from her and one from the grave.
    sign_in(page, "canbo")
    page.goto("/persons/td-p1")
    page.get_by_role("link", name="Thân nhân và mẫu ADN").click()
    page.get_by_label("Tên", exact=True).fill("Hoàng Thị Mẫu")
    page.get_by_label("Quan hệ (mẹ, chị gái, cháu…)").fill("em gái")
    page.get_by_label("Dòng", exact=True).select_option("maternal")
    page.get_by_label("Đã đồng ý cho lấy mẫu").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#line-maternal")).to_contain_text("Hoàng Thị Mẫu")
    page.get_by_role("button", name="Lấy mẫu", exact=True).click()
    expect(page.locator("#chain")).to_have_text("Chuỗi bảo quản nguyên vẹn.")
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Mẫu ")
    page.goto("/graves/adn-1/dna")
    page.get_by_role("button", name="Lấy mẫu hài cốt").click()
    remains = page.get_by_role("heading", level=1).inner_text().removeprefix("Mẫu ")
    with second_person(page, site) as lab:
        match_id = _lab_records_a_match(lab, reference, remains)

    # The officer names the grave on that match.
    page.goto("/graves/adn-1/dna")
    page.get_by_label("Hồ sơ liệt sĩ (mã)").fill("td-p1")
    page.get_by_label("Các kết quả so sánh kết luận trùng khớp (mã, cách nhau bằng dấu phẩy)").fill(match_id)
    page.get_by_role("button", name="Gắn tên cho mộ").click()
    expect(page.locator("#status")).to_have_text("Có tên")
    expect(page.locator("#identifications")).to_contain_text("td-p1")

    # The family's tracking page now says so, and nothing about the samples themselves.
    with second_person(page, site) as family:
        family.goto("/track")
        family.get_by_label("Mã tra cứu").fill(request["tracking_code"])
        family.get_by_label("Mã bí mật").fill(request["secret"])
        family.get_by_role("button", name="Xem tình trạng").click()
        expect(family.locator("#progress")).to_contain_text("Đã lấy mẫu ADN của gia đình.")
        expect(family.locator("#progress")).to_contain_text("Đã xác định được mộ của liệt sĩ.")
        assert reference not in family.content()
        assert "Hoàng Thị Mẫu" not in family.content()


def test_an_officer_reads_a_search_map_toggles_its_layers_and_prints_it(page: Page, site: str,
                                                                        staff_api: dict[str, str]) -> None:
    with httpx.Client(base_url=site) as api:
        build_world(api, staff_api)
    sign_in(page, "canbo")
    page.goto("/persons/p-lam")
    page.get_by_role("link", name=re.compile("Bản đồ tìm kiếm")).click()
    expect(page.get_by_role("heading", name="Bản đồ tìm kiếm")).to_be_visible()
    graves = page.locator("svg .layer-graves")
    expect(graves).to_be_visible()
    page.get_by_label("Mộ có thể là của liệt sĩ").uncheck()
    expect(graves).to_be_hidden()
    expect(page.locator("svg .layer-areas")).to_be_visible()
    page.get_by_label("Mộ có thể là của liệt sĩ").check()
    expect(graves).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="In cho tổ công tác (PDF khổ A4)").click()
    assert download.value.suggested_filename == "ban-do-tim-kiem-p-lam.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
