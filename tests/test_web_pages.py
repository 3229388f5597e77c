"""The web UI's pages over HTTP: languages, sessions, CSRF, roles, escaping, bad input."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from PIL import Image

from api.security import CSRF_COOKIE, SESSION_COOKIE
from api.web.i18n import LOCALE_DIR
from api.web.map import HEIGHT, WIDTH, event_points, project
from api.web.navigation import safe_next
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client, worker_for
from tests.test_api_staff import PASSWORD, png

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("
PUBLIC_PAGES = ["/", "/decode", "/decode?text=c2+d5+e88+f308&date=1972-07", "/units/f308-e88",
                "/search?q=308", "/request", "/track", "/login"]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", max_upload_bytes=3_000_000) as client:
        context = context_of(client)
        for role in Role:
            add_staff(context, role.value, PASSWORD, role)
        yield client


class _Markup(HTMLParser):
    """Collects the elements and attributes a browser would act on."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.found += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("img src=x")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append("script alert")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def injected_markup(page: str) -> list[str]:
    """Event handlers, injected images and scripts in a page (none should come from input)."""
    parser = _Markup()
    parser.feed(page)
    return parser.found


def csrf(client: TestClient) -> str:
    """The visitor's CSRF token, as a page gives it."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return client.cookies[CSRF_COOKIE]


def sign_in(client: TestClient, role: Role) -> None:
    response = client.post("/login", data={"username": role.value, "password": PASSWORD,
                                           "csrf_token": csrf(client), "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def submit_request(client: TestClient, **fields: str) -> str:
    data = {"full_name": "Trần Văn Bình", "requester_name": "Trần Thị Lan", "contact": "0912 000 111",
            "csrf_token": csrf(client), **fields}
    response = client.post("/request", data=data)
    assert response.status_code == 201, response.text
    found = re.search(r'id="tracking-code">([A-Z0-9-]+)<', response.text)
    assert found
    return found.group(1)


def test_public_pages_speak_vietnamese_first_and_english_on_request(client: TestClient) -> None:
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="vi">' in response.text
        assert response.headers["content-language"] == "vi"
    assert "Giải mã phiên hiệu" in client.get("/decode").text
    switched = client.get("/lang/en?next=/decode", follow_redirects=False)
    assert switched.headers["location"] == "/decode"
    page = client.get("/decode")
    assert '<html lang="en">' in page.text
    assert "Decode a designation" in page.text
    assert "Giải mã phiên hiệu" not in page.text


def test_every_message_of_the_interface_has_its_vietnamese_text() -> None:
    root = Path(__file__).resolve().parents[1]
    method_map = [("api/web/**.py", "python"), ("templates/web/**.html", "jinja2")]
    options = {"templates/web/**.html": {"extensions": "jinja2.ext.i18n"}}
    wanted = {found[2] for found in extract_from_dir(
        str(root), method_map, options, keywords={"gettext": (2,), "N_": None, "_": None,
                                                    "ngettext": (1, 2)})}
    assert len(wanted) > 200
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {message.id: message.string for message in catalog if message.id}
    for message in wanted:
        assert message in translated, f"not in the catalog (run scripts/messages.sh): {message!r}"
        text = translated[message]
        forms = text if isinstance(text, tuple) else (text,)
        assert all(forms), f"not translated: {message!r}"
        source = message[0] if isinstance(message, tuple) else message
        target = text[0] if isinstance(text, tuple) else text
        assert sorted(re.findall(r"%\(\w+\)\w", source)) == sorted(re.findall(r"%\(\w+\)\w", target)), message


def test_staff_pages_send_strangers_to_sign_in_and_refuse_other_roles(client: TestClient) -> None:
    pages = {"/upload": {Role.ARCHIVIST, Role.ADMIN}, "/scans": {Role.ARCHIVIST, Role.OFFICER, Role.ADMIN},
             "/queue": {Role.OFFICER, Role.ADMIN}, "/admin/users": {Role.ADMIN}}
    for path in pages:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    for role in Role:
        client.cookies.clear()
        sign_in(client, role)
        for path, allowed in pages.items():
            response = client.get(path)
            assert response.status_code == (200 if role in allowed else 403), (role, path)
            assert "<html" in response.text  # a page for people, not JSON


def test_sign_in_sets_a_hardened_cookie_and_never_redirects_off_site(client: TestClient) -> None:
    wrong = client.post("/login", data={"username": "officer", "password": "nope nope nope",
                                        "csrf_token": csrf(client)})
    assert wrong.status_code == 401
    assert "Tên hoặc mật khẩu không đúng." in wrong.text
    response = client.post("/login", data={"username": "officer", "password": PASSWORD,
                                            "csrf_token": csrf(client), "next": "//evil.example/steal"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert SESSION_COOKIE in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert client.get("/queue").status_code == 200
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert client.get("/queue", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1", ""])
def test_next_pages_stay_on_this_site(target: str) -> None:
    assert safe_next(target) == "/"
    assert safe_next("/scans?page=2") == "/scans?page=2"


def test_forms_and_cookie_api_calls_need_the_csrf_token(client: TestClient) -> None:
    login = {"username": "archivist", "password": PASSWORD}
    assert client.post("/login", data=login).status_code == 403
    csrf(client)
    assert client.post("/login", data=login | {"csrf_token": "forged"}).status_code == 403
    sign_in(client, Role.ARCHIVIST)
    upload = {"file": ("page.png", png(3, dpi=100), "image/png")}
    refused = client.post("/api/v1/scans", files=upload)
    assert refused.status_code == 403
    assert "reload the page" in refused.json()["detail"]
    accepted = client.post("/api/v1/scans", files=upload, headers={"X-CSRF-Token": csrf(client)})
    assert accepted.status_code == 202, accepted.text
    # Reading with the session cookie needs no token.
    assert client.get(f"/api/v1/jobs/{accepted.json()['scans'][0]['job_id']}").status_code == 200


def test_every_page_escapes_what_people_typed(client: TestClient) -> None:
    assert injected_markup(f"<p>{XSS}</p>") == ["script alert", "img onerror", "img src=x"]
    context = context_of(client)
    code = submit_request(client, full_name=XSS[:200], requester_name=XSS[:200], contact=XSS[:200],
                          relation=XSS[:100], hometown=XSS[:200], unit_text=XSS[:200], death_place=XSS[:200],
                          note=XSS)
    sign_in(client, Role.ADMIN)
    token = csrf(client)
    uploaded = client.post("/upload", data={"csrf_token": token, "collection": XSS[:200]},
                           files={"file": (f"{XSS}.png", png(4, dpi=100), "image/png")})
    assert uploaded.status_code == 200, uploaded.text
    add_staff(context, "writer", PASSWORD, Role.ARCHIVIST)
    pages = [f"/queue/{code}", "/queue", "/upload", "/scans", "/scans/1",
             f"/search?q={XSS}", f"/decode?text={XSS}", "/admin/users"]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 422), path
        assert injected_markup(response.text) == [], path
    assert ESCAPED in client.get(f"/queue/{code}").text
    assert ESCAPED in client.get("/scans").text
    status = client.post("/track", data={"code": code, "secret": "wrong", "csrf_token": token})
    assert status.status_code == 404


class _Controls(HTMLParser):
    """Form controls a person fills in, and the labels that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.labelled.add(str(attributes["for"]))
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes | {"_wrapped": "yes" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def test_every_form_control_has_a_label(client: TestClient) -> None:
    unlabelled = _Controls()
    unlabelled.feed('<label for="a">A</label><input id="a"><input id="b">')
    ids = [control["id"] for control in unlabelled.controls]
    assert [name for name in ids if name not in unlabelled.labelled] == ["b"]
    code = submit_request(client)
    sign_in(client, Role.ADMIN)
    for path in [*PUBLIC_PAGES, "/upload", "/scans", "/queue", f"/queue/{code}", "/admin/users"]:
        parser = _Controls()
        parser.feed(client.get(path).text)
        for control in parser.controls:
            named = control["_wrapped"] or control.get("aria-label") or control.get("id") in parser.labelled
            assert named, (path, control)


def test_sql_in_a_request_is_kept_as_text(client: TestClient) -> None:
    injection = "Robert'); DROP TABLE family_requests; --"
    code = submit_request(client, full_name=injection, note="' OR 1=1 --")
    sign_in(client, Role.OFFICER)
    page = client.get(f"/queue/{code}")
    assert "Robert&#39;); DROP TABLE family_requests; --" in page.text
    assert client.get("/queue").status_code == 200


def test_a_family_secret_opens_only_its_own_request(client: TestClient) -> None:
    first = client.post("/request", data={"full_name": "Lê Văn A", "requester_name": "Lê Thị B",
                                          "contact": "0900", "csrf_token": csrf(client)})
    secret = re.search(r'id="secret">([^<]+)<', first.text)
    other = submit_request(client)
    assert secret
    own = re.search(r'id="tracking-code">([^<]+)<', first.text)
    assert own
    mine = client.post("/track", data={"code": own.group(1), "secret": secret.group(1),
                                       "csrf_token": csrf(client)})
    assert mine.status_code == 200
    assert "Đã nhận yêu cầu, đang chờ xem xét." in mine.text
    theirs = client.post("/track", data={"code": other, "secret": secret.group(1),
                                         "csrf_token": csrf(client)})
    assert theirs.status_code == 404
    assert "Trần Văn Bình" not in theirs.text


def test_request_form_reports_each_bad_field_and_keeps_what_was_typed(client: TestClient) -> None:
    response = client.post("/request", data={
        "full_name": "Phạm Văn C", "birth_year": "19x0", "death_date": "1972-13",
        "requester_name": "", "contact": "0900", "csrf_token": csrf(client)})
    assert response.status_code == 422
    assert response.text.count('aria-invalid="true"') == 3
    assert 'value="Phạm Văn C"' in response.text


def test_request_photos_are_kept_for_the_officer_and_bad_ones_refused(client: TestClient) -> None:
    photo = io.BytesIO()
    Image.new("L", (60, 40), 200).save(photo, format="JPEG")
    code = None
    response = client.post("/request", data={"full_name": "Võ Văn D", "requester_name": "Võ Thị E",
                                             "contact": "0900", "csrf_token": csrf(client)},
                           files=[("photos", ("giấy báo tử.jpg", photo.getvalue(), "image/jpeg"))])
    assert response.status_code == 201
    found = re.search(r'id="tracking-code">([^<]+)<', response.text)
    assert found
    code = found.group(1)
    bad = client.post("/request", data={"full_name": "Võ Văn F", "requester_name": "Võ Thị G",
                                        "contact": "0900", "csrf_token": csrf(client)},
                      files=[("photos", ("../../etc/passwd", b"root:x:0:0", "image/jpeg"))])
    assert bad.status_code == 422
    assert "passwd" in bad.text
    sign_in(client, Role.OFFICER)
    assert client.get("/queue").text.count("Võ Văn") == 1  # the refused request was not stored
    item = client.get(f"/queue/{code}")
    assert "giấy báo tử.jpg" in item.text
    image = client.get(f"/queue/{code}/attachments/1")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert client.get(f"/queue/{code}/attachments/2").status_code == 404


def test_uploads_through_the_form_refuse_bad_files_and_keep_nothing(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    token = csrf(client)
    for name, content in [("empty.png", b""), ("lies.png", b"%PDF-1.4 not really"),
                          ("a" * 1000 + ".png", b"\x89PNG\r\n\x1a\n broken"), ("nul\x00.png", b"x")]:
        response = client.post("/upload", data={"csrf_token": token},
                               files={"file": (name, content, "image/png")})
        assert response.status_code == 422, name
        assert 'class="flash error"' in response.text
    too_big = client.post("/upload", data={"csrf_token": token},
                          files={"file": ("big.png", b"\0" * 3_500_000, "image/png")})
    assert too_big.status_code == 413
    assert "Chưa có bản quét nào." in client.get("/scans").text


def test_an_archivist_corrects_a_page_and_search_finds_the_correction(client: TestClient) -> None:
    context = context_of(client)
    sign_in(client, Role.ARCHIVIST)
    accepted = client.post("/api/v1/scans", files={"file": ("p.png", png(6, dpi=100), "image/png")},
                           headers={"X-CSRF-Token": csrf(client)})
    assert accepted.status_code == 202
    worker_for(context).run_one()
    viewer = client.get("/scans/1/pages/1")
    assert viewer.status_code == 200
    assert viewer.text.count('class="word') > 10
    saved = client.post("/scans/1/pages/1/text",
                        data={"text": "Bản hiệu đính: Quỳnh Lưu", "csrf_token": csrf(client)},
                        follow_redirects=False)
    assert saved.status_code == 303
    hits = client.get("/api/v1/search", params={"q": "quỳnh lưu", "type": "page"}).json()["hits"]
    assert [hit["scan_id"] for hit in hits] == [1]
    add_staff(context, "reader", PASSWORD, Role.OFFICER)
    client.cookies.clear()
    sign_in(client, Role.OFFICER)
    refused = client.post("/scans/1/pages/1/text", data={"text": "x", "csrf_token": csrf(client)})
    assert refused.status_code == 403


def test_a_disabled_account_is_signed_out_at_once(client: TestClient, tmp_path: Path) -> None:
    sign_in(client, Role.OFFICER)
    assert client.get("/queue").status_code == 200
    with make_client(tmp_path / "data", demo=False) as admin:
        sign_in(admin, Role.ADMIN)
        response = admin.post("/admin/users/officer/active",
                              data={"active": "false", "csrf_token": csrf(admin)})
        assert response.status_code == 200
        assert "đã khoá" in response.text
        assert admin.post("/admin/users/admin/active",
                          data={"active": "false", "csrf_token": csrf(admin)}).status_code == 422
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_decode_page_takes_a_csv_and_gives_one_back(client: TestClient) -> None:
    body = "text,date\nc2 d5 e88 f308,1972-07\nCông trường 9,1968\n"
    response = client.post("/decode/csv", data={"csrf_token": csrf(client)},
                           files={"file": ("in.csv", body.encode(), "text/csv")})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="decoded.csv"'
    rows = response.text.splitlines()
    assert rows[0].startswith("text,date,best_unit_id")
    assert ",f308-e88," in rows[1]
    assert ",f9," in rows[2]
    bad = client.post("/decode/csv", data={"csrf_token": csrf(client)},
                      files={"file": ("in.csv", b"\xff\xfe\x00bad", "text/csv")})
    assert bad.status_code == 422
    assert "UTF-8" in bad.text


def test_html_pages_carry_security_headers_and_errors_are_pages(client: TestClient) -> None:
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert "Không có trang nào ở địa chỉ này." in missing.text
    assert client.get("/api/v1/nowhere").json() == {"detail": "Not Found"}
    assert client.get("/units/none").status_code == 404
    assert client.get("/search?q=" + "x" * 600).status_code == 422


def test_the_map_puts_places_where_they_are() -> None:
    hanoi = project(105.85, 21.03)
    saigon = project(106.70, 10.78)
    assert 0 < hanoi[0] < WIDTH
    assert 0 < hanoi[1] < HEIGHT
    assert saigon[1] > hanoi[1]  # south is down
    points = event_points([{"title": "a", "lat": 21.03, "lon": 105.85}, {"title": "b"},
                           {"title": "c", "lat": 48.85, "lon": 2.35},
                           {"title": "d", "lat": 16.8, "lon": 107.1}])
    assert [point.label for point in points] == ["1", "4"]


def test_the_decode_page_gives_the_reasons_in_the_visitors_language(client: TestClient) -> None:
    path = "/decode?text=c2+d5+e88+f308&date=1972-07"
    vietnamese = client.get(path).text
    assert "<li>trung đoàn 88 trực thuộc sư đoàn 308 vào 1972-07</li>" in vietnamese
    assert "<li>đại đội 2, tiểu đoàn 5: cấp dưới mà sổ đăng ký chưa ghi của Trung đoàn 88</li>" in vietnamese
    assert "is under" not in vietnamese
    client.get("/lang/en")
    english = client.get(path).text
    assert "<li>regiment 88 is under division 308 in 1972-07</li>" in english
    assert "trực thuộc" not in english


def test_request_statuses_read_in_the_visitors_language_on_the_staff_pages(client: TestClient) -> None:
    code = submit_request(client)
    sign_in(client, Role.OFFICER)
    item = client.get(f"/queue/{code}").text
    assert '<span id="status">Đã nhận yêu cầu, đang chờ xem xét.</span>' in item
    assert "Cán bộ đang xem xét hồ sơ." in item
    assert "Chưa thể cấp trích lục; xem ghi chú của cán bộ." in item
    assert 'value="issued"' not in item  # issuing is the extract's step, never a decision here
    assert client.get("/queue?status=submitted").text.count(code) >= 1
    assert client.get("/queue?status=approved").text.count(code) == 0
    assert client.get("/queue?status=nonsense").status_code == 422
    client.get("/lang/en")
    assert '<span id="status">Received; waiting to be reviewed.</span>' in client.get(f"/queue/{code}").text
