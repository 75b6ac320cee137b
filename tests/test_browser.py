"""The web chat in a real browser: `python -m assistant serve` on a free port, driven by Debian's Chromium.

The server answers from a copy of the bundled notices (tests/sandbox.py), so the upload test adds nothing to
the repository. Waits are event based (selectors and page conditions), with generous timeouts for the first
answers. Screenshots of every test go to the git-ignored test-artifacts/; `make screenshots` sets
TONGBAO_SCREENSHOTS=docs/screenshots to refresh the README's chat.png and targets.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.sandbox import ARTIFACTS, ROOT, running_server, sandbox_settings

CHROMIUM = Path("/usr/bin/chromium")
README_SHOTS = Path(os.environ.get("TONGBAO_SCREENSHOTS") or ARTIFACTS / "screenshots")
if not README_SHOTS.is_absolute():
    README_SHOTS = ROOT / README_SHOTS
LIYANG = Path(__file__).parent / "data" / "other-notices" / "liyang-2022-h1.txt"
ANSWER_MS = 60_000
UI_MS = 20_000

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Start the real app (real Assistant.load) in a subprocess and wait until it answers HTTP."""
    settings = sandbox_settings("browser")
    try:
        with running_server(settings.documents, ARTIFACTS / "server.log") as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class Session:
    page: sync_api.Page
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


@pytest.fixture()
def session(browser: sync_api.Browser, server_url: str, request: pytest.FixtureRequest) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(UI_MS)
    opened = Session(page)
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
    page.on("request", lambda r: None if r.url.startswith(local) else opened.external.append(r.url))
    page.goto(server_url)
    page.wait_for_selector("#question textarea", timeout=ANSWER_MS)
    yield opened
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def ask(s: Session, question: str) -> str:
    """Type a question, press Enter and wait for its answer; returns the answer's text."""
    bots = s.page.locator("#chat [data-testid='bot']")
    before = bots.count()
    s.page.fill("#question textarea", question)
    s.page.press("#question textarea", "Enter")
    s.page.wait_for_function(
        "n => document.querySelectorAll(\"#chat [data-testid='bot']\").length > n", arg=before, timeout=ANSWER_MS
    )
    s.page.wait_for_selector(
        f"#cite-panel .cite-panel[data-turn='{before}'], #cite-panel .cite-panel.empty", timeout=ANSWER_MS
    )
    return bots.nth(before).inner_text()


def test_first_screen_explains_itself(session: Session) -> None:
    page = session.page
    sync_api.expect(page.locator("#hero h1")).to_contain_text("通报问答")
    examples = page.locator("#examples button.example")
    sync_api.expect(examples.first).to_be_visible()
    shown = examples.all_inner_texts()  # made from the loaded notices' facts: a progress one and an English one
    assert len(shown) >= 3 and any(t.strip().endswith("进度?") for t in shown), shown
    assert any(re.match(r"[A-Za-z]", t.strip()) for t in shown), shown
    sync_api.expect(page.locator("#cite-panel")).to_contain_text("引用原文")
    assert session.external == [], f"the page reached out to the network: {session.external}"


def test_5g_answer_citation_follow_up_and_jump(session: Session) -> None:
    page = session.page
    reply = ask(session, "5G基站建设进度")
    assert "236" in reply and "1000" in reply and "23.6%" in reply
    chip = page.locator("#cite-panel .cite-panel[data-turn='0'] button.chip").first
    sync_api.expect(chip).to_contain_text("p013")
    chip.click()
    card = page.locator("#cite-panel .cite-card")
    sync_api.expect(card).to_contain_text("全市新建5G基站236座")
    sync_api.expect(card.locator("mark", has_text="236座")).to_be_visible()
    sync_api.expect(card).to_contain_text("236 / 1000 = 23.6%")
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SHOTS / "chat.png"))

    follow_up = ask(session, "目标呢?")
    assert "1000" in follow_up and not follow_up.startswith("⚠️")
    page.locator("#chat [data-testid='bot']").first.click()  # an earlier answer shows its citations again
    sync_api.expect(page.locator("#cite-panel .cite-panel[data-turn='0']")).to_be_visible()

    page.locator("#cite-panel button.jump").first.click()
    sync_api.expect(page.locator("#notice .hit")).to_have_attribute("id", "xianning-2021-q1-p013")
    sync_api.expect(page.locator("#notice .hit")).to_be_in_viewport()
    assert session.external == []


def test_english_question_gets_english_text(session: Session) -> None:
    session.page.locator("#examples button.example", has_text=re.compile(r"^\s*How")).first.click()
    session.page.wait_for_selector("#chat [data-testid='bot']", timeout=ANSWER_MS)
    session.page.wait_for_selector(
        "#cite-panel .cite-panel[data-turn='0'], #cite-panel .cite-panel.empty", timeout=ANSWER_MS
    )
    reply = session.page.locator("#chat [data-testid='bot']").first.inner_text().strip()
    assert re.match(r"[A-Za-z]", reply), reply
    assert len(re.findall(r"[A-Za-z]{2,}", reply)) >= 4, reply


def test_hostile_questions_show_as_text_and_run_nothing(session: Session) -> None:
    page = session.page
    for number, hostile in enumerate(
        ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]
    ):
        ask(session, hostile)
        sync_api.expect(page.locator("#chat [data-testid='user']").nth(number)).to_have_text(hostile)
    assert page.locator("#chat script, #chat img[src='x'], a[href^='javascript']").count() == 0
    assert session.dialogs == [], f"a dialog fired: {session.dialogs}"
    page.click("#clear")
    sync_api.expect(page.locator("#chat [data-testid='user']")).to_have_count(0)
    sync_api.expect(page.locator("#cite-panel")).to_contain_text("提问后")


def test_targets_tab_table_filter_chart_and_source(session: Session) -> None:
    page = session.page
    page.get_by_role("tab", name=re.compile("目标台账")).click()
    rows = page.locator("#ledger .virtual-row")  # gradio 6 renders only a window of rows (a virtual list)
    sync_api.expect(rows.first).to_be_visible()
    total = int(re.search(r"共\s*(\d+)\s*项目标", page.locator("#ledger-summary").inner_text()).group(1))
    assert total > 10 and rows.count() > 5
    sync_api.expect(page.locator("#ledger-chart .chart-row").first).to_be_visible()
    series = page.locator("#ledger-series .series-row", has_text="亿元以上项目")
    sync_api.expect(series.first).to_contain_text("一季度")
    sync_api.expect(series.first).to_contain_text("上半年")

    page.fill("#ledger-filter textarea", "5G")
    sync_api.expect(page.locator("#ledger-summary")).not_to_contain_text(f"共 {total} 项目标")
    texts = rows.all_inner_texts()
    assert texts and all("5G" in t for t in texts)
    rows.filter(has_text="新建5G基站").first.get_by_role("gridcell").nth(3).click()
    source = page.locator("#ledger-source")
    sync_api.expect(source).to_contain_text("全市新建5G基站236座")
    sync_api.expect(source.locator("mark", has_text="1000座")).to_be_visible()

    page.fill("#ledger-filter textarea", "")
    sync_api.expect(page.locator("#ledger-summary")).to_contain_text(f"共 {total} 项目标")
    page.locator("#hero h1").click()  # move focus off the table so no stale cell selection shows
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SHOTS / "targets.png"), full_page=True)


def test_notice_tab_finds_a_paragraph_by_id(session: Session) -> None:
    page = session.page
    page.get_by_role("tab", name=re.compile("通报原文")).click()
    sync_api.expect(page.locator("#notice .meta")).to_be_visible()
    assert page.locator("#notice p.para[id^='xianning-2021-q1-p']").count() > 50
    page.fill("#notice-find textarea", "13")
    page.press("#notice-find textarea", "Enter")
    hit = page.locator("#notice .hit")
    sync_api.expect(hit).to_have_attribute("id", "xianning-2021-q1-p013")
    sync_api.expect(hit).to_contain_text("p013")
    sync_api.expect(hit).to_be_in_viewport()


def _ledger_total(page: sync_api.Page) -> int:
    page.get_by_role("tab", name=re.compile("目标台账")).click()
    summary = page.locator("#ledger-summary")
    sync_api.expect(summary).to_contain_text("项目标")
    return int(re.search(r"共\s*(\d+)\s*项目标", summary.inner_text()).group(1))


def test_an_uploaded_notice_shows_in_every_tab_without_a_restart(session: Session, browser, server_url: str) -> None:
    """Runs last: it adds a notice to the server the other tests share."""
    page = session.page
    sync_api.expect(page.locator("#hero .badge")).to_have_text("2 份通报")
    before = _ledger_total(page)
    page.get_by_role("tab", name=re.compile("通报原文")).click()
    page.get_by_text("添加一份通报").click()
    page.set_input_files("#upload input[type=file]", str(LIYANG))
    message = page.locator("#upload .upload-message")
    sync_api.expect(message).to_contain_text("已添加并索引", timeout=ANSWER_MS)
    sync_api.expect(page.locator("#hero .badge")).to_have_text("3 份通报")
    sync_api.expect(page.locator("#notice")).to_contain_text("丽阳大道")
    page.set_input_files("#upload input[type=file]", str(LIYANG))  # the same file again: refused, said plainly
    sync_api.expect(message).to_contain_text("未添加", timeout=ANSWER_MS)
    sync_api.expect(message).to_contain_text("same text")

    after = _ledger_total(page)
    assert after > before
    sync_api.expect(page.locator("#ledger .virtual-row", has_text="liyang-2022-h1").first).to_be_attached()
    page.get_by_role("tab", name=re.compile("问答")).click()
    assert "主线桥梁桩基施工" in ask(session, "丽阳大道快速化改造工程进展")

    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    other = context.new_page()
    other.goto(server_url)  # a page opened after the upload shows it too, although the app was built before
    sync_api.expect(other.locator("#hero .badge")).to_have_text("3 份通报", timeout=ANSWER_MS)
    assert _ledger_total(other) == after
    other.get_by_role("tab", name=re.compile("通报原文")).click()
    other.locator("#notice-doc input").click()
    sync_api.expect(other.get_by_role("option", name=re.compile("liyang-2022-h1"))).to_be_visible()
    context.close()


def test_every_format_uploads_and_every_bad_file_is_refused(session: Session, tmp_path: Path) -> None:
    """Runs after the .txt upload: a table notice as .docx and the table alone as .xlsx are added; the .docx's
    text as .pdf, and the Q1 notice as a web page, are read and refused as the same text; a bad file of each kind
    is refused by name."""
    from tests.fixtures import formats
    from tests.fixtures.font import cjk_font

    font = cjk_font(formats.all_text(), tmp_path / "font.ttf")
    page = session.page
    page.get_by_role("tab", name=re.compile("通报原文")).click()
    page.get_by_text("添加一份通报").click()
    message = page.locator("#upload .upload-message")
    badge = page.locator("#hero .badge")
    count = int(re.search(r"\d+", badge.inner_text()).group())

    def upload(path: Path, expected: str) -> None:
        page.set_input_files("#upload input[type=file]", str(path))
        sync_api.expect(message).to_contain_text(expected, timeout=3 * ANSWER_MS)

    upload(formats.table_docx(tmp_path / "targets-2024-q1.docx"), "已添加并索引")
    count += 1
    sync_api.expect(badge).to_have_text(f"{count} 份通报")
    upload(formats.table_xlsx(tmp_path / "targets.xlsx"), "已添加并索引")  # the table alone: another text
    count += 1
    sync_api.expect(badge).to_have_text(f"{count} 份通报")
    # the .docx's text read from a PDF, and the bundled Q1 notice read from a web page: duplicates, refused
    for same in (formats.table_pdf(tmp_path / "targets.pdf", font), formats.q1_html(tmp_path / "q1.html")):
        upload(same, "same text")
    good_docx = formats.q1_docx(tmp_path / "q1.docx")
    for bad in (
        formats.corrupt_docx(tmp_path / "broken.docx", good_docx),
        formats.encrypted_pdf(tmp_path / "locked.pdf", font),
        formats.scanned_pdf(tmp_path / "scan.pdf"),
        formats.chrome_only_html(tmp_path / "nav.html"),
        formats.empty_table_xlsx(tmp_path / "empty.xlsx"),
    ):
        upload(bad, bad.name)
        sync_api.expect(message).to_contain_text("未添加")
    sync_api.expect(badge).to_have_text(f"{count} 份通报")
    page.get_by_role("tab", name=re.compile("问答")).click()
    reply = ask(session, "新建5G基站完成了多少?进度多少?")
    assert "236" in reply and "23.6%" in reply
