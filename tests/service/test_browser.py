"""End to end: a real uvicorn server and Debian's Chromium driven by Playwright.

Screenshots are saved under $UNSPUN_ARTIFACTS (default: a tmp_path of the run) and listed at
the end of the run, so a CI run can keep them."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make test installs Debian's chromium when run as root)"
)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip


@contextlib.contextmanager
def serving(app):
    """Run ``app`` under uvicorn on a free loopback port; yield its base URL once it answers."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        # The socket listens already, so this request waits in its backlog until the server
        # accepts it: no polling loop and no sleep.
        health = httpx.get(f"{base}/api/health", timeout=60)
        assert health.status_code == 200, health.text
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def base_url(pipeline):
    from unspun.service.app import create_app

    with serving(create_app(pipeline)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def _check_text(page, text: str) -> None:
    page.fill("#text", text)
    page.click("#check")
    page.wait_for_selector("#results:not([hidden])")


def test_paste_see_injected_marked_then_clean_text(page, base_url, pipeline, example_path, shot):
    text = example_path.read_text(encoding="utf-8")
    report = pipeline.check(text)
    injected = [text[f.start : f.end] for f in report.findings_of("injected")]
    assert injected, "the example should have an injected passage"
    phrase = injected[0].split("\n")[-1][:60]  # a line of the injected passage

    page.goto(base_url)
    _check_text(page, text)
    assert page.text_content("#verdict-label") == report.verdict.label
    assert report.metadata["title"].value in page.text_content("#meta")
    marked = " ".join(page.locator("#article .k-injected").all_text_contents())
    assert phrase in marked
    # Struck through, as the legend says.
    deco = page.locator("#article span.k-injected").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deco
    # Quotes carry their speaker on hover.
    speakers = [f.details["speaker"] for f in report.findings_of("quote") if f.details.get("speaker")]
    titles = page.locator("#article span.k-quote").evaluate_all("els => els.map(e => e.title)")
    assert speakers and any(speakers[0] in t for t in titles)
    # No reference index was given.
    assert "No reference index" in page.text_content("#sources")
    shot(page, "report.png")

    page.click("#toggle-clean")
    assert page.get_attribute("#toggle-clean", "aria-pressed") == "true"
    assert page.is_hidden("#article-view") and page.is_visible("#clean-view")
    clean = page.text_content("#clean")
    assert phrase not in clean
    body_sentence = text[report.sentences[3].start : report.sentences[3].end]
    assert body_sentence in clean
    shot(page, "clean.png")
    assert not page.errors, page.errors


def test_keyboard_only(page, base_url, example_path):
    page.goto(base_url)
    page.focus("#text")
    page.keyboard.insert_text(example_path.read_text(encoding="utf-8"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "check"
    page.keyboard.press("Enter")
    page.wait_for_selector("#results:not([hidden])")
    # Ctrl+Enter in the text box checks it too.
    page.fill("#text", "The council met on Monday to agree the budget. It passed by nine votes.")
    page.focus("#text")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict-label")).to_have_text("clean")
    # The switch is a real button: it takes focus and Space presses it.
    page.focus("#toggle-clean")
    page.keyboard.press("Space")
    assert page.get_attribute("#toggle-clean", "aria-pressed") == "true"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_upload_a_file_and_download_the_json(page, base_url, example_path):
    page.goto(base_url)
    page.set_input_files("#file", str(example_path))
    page.wait_for_selector("#results:not([hidden])")
    assert example_path.name in page.text_content("#source-name")
    with page.expect_download() as info:
        page.click("#download")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["schema"] == "unspun.report/1"
    assert data["source"]["name"] == example_path.name


def test_errors_are_shown(page, base_url, tmp_path, example_path):
    page.goto(base_url)
    page.set_input_files("#file", str(example_path))
    page.wait_for_selector("#results:not([hidden])")
    assert page.title().startswith("unspun: polluted")
    page.fill("#text", "")
    page.click("#check")
    assert "Paste an article first" in page.text_content("#status")
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01\x02" * 100)
    page.set_input_files("#file", str(blob))
    # The page's policy forbids eval, so waits go through locators rather than JS strings.
    expect(page.locator("#status")).to_have_class(re.compile(r"\berror\b"))
    assert "binary" in page.text_content("#status")
    assert page.is_hidden("#results")


def test_narrow_window_has_no_sideways_scroll(browser, base_url, example_path, shot):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base_url)
    _check_text(page, example_path.read_text(encoding="utf-8"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(page, "narrow.png")
    context.close()


class TracedPipeline:
    """The real pipeline, with a made-up provenance added to its report, so the page's sources
    panel is exercised before any reference index is built."""

    def __init__(self, real):
        self.real = real

    def check(self, source, name="<text>"):
        report = self.real.check(source, name=name)
        data = report.to_dict()
        s = next(s for s in data["sentences"] if not s["flags"])
        words = data["text"][s["start"] : s["end"]].split()
        doc = {"id": "ref-1", "url": "javascript:alert(1)", "title": "The original story", "outlet": "Wire"}
        s["source"] = {
            "status": "spun", "similarity": 0.8, "document": doc,
            "match": {"start": 0, "end": 10, "text": "x"},
            "edits": [{"op": "keep", "from": " ".join(words[:2]), "to": " ".join(words[:2])},
                      {"op": "sub", "from": "ORIGINALWORD", "to": words[2]},
                      {"op": "keep", "from": " ".join(words[3:]), "to": " ".join(words[3:])}],
            "numbers": [],
        }  # fmt: skip
        data["provenance"] = {"index": "refs.duckdb", "traced_sentences": 1, "body_sentences": 10,
                              "documents": [dict(doc, sentences=[s["index"]], copied=0, spun=1)]}  # fmt: skip

        class Done:
            def to_dict(self):
                return data

        return Done()


def test_sources_panel_shows_the_edits_as_a_diff(browser, pipeline, example_path, shot):
    from unspun.service.app import create_app

    with serving(create_app(TracedPipeline(pipeline))) as base:
        page = browser.new_page()
        page.goto(base)
        _check_text(page, example_path.read_text(encoding="utf-8"))
        panel = page.locator("#sources")
        assert "1 of 10 body sentences traced to 1 document in refs.duckdb" in panel.text_content()
        assert panel.locator("del").first.text_content() == "ORIGINALWORD"
        assert panel.locator("ins").count() == 1
        assert panel.locator("h3").text_content() == "The original story"
        assert panel.locator("h3 a").count() == 0  # a javascript: address is never made a link
        assert page.locator("#article .traced-spun").count() >= 1
        # Its link in the panel points the reader at the sentence in the article.
        panel.locator(".match a").first.click()
        assert "target" in page.locator("#article .traced-spun").first.get_attribute("class")
        shot(page, "sources.png")
        page.close()


def test_conflicts_and_repeats_link_to_their_figures(page, base_url, specimen, specimen_text, shot):
    pairs = [f for f in specimen.findings if f.kind in ("conflict", "repeat")]
    assert pairs, "the specimen has a conflict and a repeat"
    page.goto(base_url)
    _check_text(page, specimen_text)
    # Each conflict or repeat marker is followed by a link to the figure it names, and back.
    for f in pairs:
        other_text = specimen_text[f.details["other"][0] : f.details["other"][1]]
        marker = page.locator(f"#article a.ref.k-{f.kind}").first
        number = marker.text_content().strip("[]")
        link = page.locator(f"#article a.ref.link[aria-label^='{f.kind} with finding']").first
        assert link.count() == 1
        target = link.get_attribute("href").lstrip("#")
        link.click()
        figure_ref = page.locator(f"#{target}")
        assert "k-figure" in figure_ref.get_attribute("class")
        assert "target" in figure_ref.get_attribute("class")
        # The figure's marker follows the figure's own text.
        figure_number = figure_ref.text_content().strip("[]")
        item = page.locator(f"#item-{figure_number}")
        assert other_text in item.text_content()
        assert item.locator(f"a.ref.link[href='#ref-{number}']").count() == 1
    assert specimen.verdict.label == page.text_content("#verdict-label")
    shot(page, "specimen.png")


def test_docs_render_offline_and_nothing_leaves_the_server(page, base_url, example_path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("unspun")
    expect(page.locator(".swagger-ui")).to_contain_text("/api/check")
    page.goto(base_url)
    _check_text(page, example_path.read_text(encoding="utf-8"))
    outside = [u for u in requests if not u.startswith(base_url) and not u.startswith("data:")]
    assert not outside, outside


class ContractPipeline:
    """The real pipeline's report with the fields other parts of unspun add to the schema
    (a dangling reference, story threads, the stitched verdict), to show the page renders them."""

    def __init__(self, real):
        self.real = real

    def check(self, source, name="<text>"):
        data = json.loads(self.real.check(source, name=name).to_json())
        body = [s for s in data["sentences"] if not s["flags"]]
        first, switch = body[0], body[len(body) // 2]
        phrase_end = first["start"] + len(data["text"][first["start"] : first["end"]].split()[0])
        data["findings"].append({
            "kind": "dangling_reference", "start": first["start"], "end": phrase_end, "score": 0.7,
            "reason": "refers to something the text never introduces", "step": "test",
            "details": {"phrase": data["text"][first["start"] : phrase_end], "missing": "an earlier mention"},
            "id": len(data["findings"]),
        })  # fmt: skip
        data["findings"].append({"kind": "thread", "start": switch["start"], "end": data["sentences"][-1]["end"],
                                 "score": 0.6, "reason": "a second story", "step": "test",
                                 "details": {"thread": 2}, "id": len(data["findings"])})  # fmt: skip
        for s in data["sentences"]:
            s["thread"] = 2 if s["index"] >= switch["index"] else 1
        data["threads"] = {"count": 2, "switches": [switch["index"]]}
        data["verdict"]["label"] = "stitched"

        class Done:
            def to_dict(self):
                return data

        return Done(), switch["paragraph"]


def test_dangling_references_threads_and_stitched(browser, pipeline, example_path):
    from unspun.service.app import create_app

    contract = ContractPipeline(pipeline)
    done, switch_paragraph = contract.check(example_path.read_text(encoding="utf-8"))
    threads = sum(f["kind"] == "thread" for f in done.to_dict()["findings"])

    class Serve:
        def check(self, source, name="<text>"):
            return contract.check(source, name=name)[0]

    with serving(create_app(Serve())) as base:
        page = browser.new_page()
        page.goto(base)
        _check_text(page, example_path.read_text(encoding="utf-8"))
        assert "verdict-stitched" in page.get_attribute("#verdict", "class")
        dangling = page.locator("#article span.k-dangling_reference").first
        assert "underline" in dangling.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "an earlier mention" in dangling.get_attribute("title")
        start = page.locator("#article p.thread-start")
        assert start.count() == 1 and start.get_attribute("id") == f"p-{switch_paragraph}"
        # A thread covers a run of sentences: listed with the findings, not painted over the text.
        assert page.locator("#article .k-thread").count() == 0
        assert page.locator("#findings .kind", has_text="thread").count() == threads
        page.close()


def test_drop_a_file(page, base_url, example_path):
    page.goto(base_url)
    page.evaluate(
        """(text) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], "dropped.txt", {type: "text/plain"}));
            const drop = new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true});
            document.getElementById("text").dispatchEvent(drop);
        }""",
        example_path.read_text(encoding="utf-8"),
    )
    page.wait_for_selector("#results:not([hidden])")
    assert "dropped.txt" in page.text_content("#source-name")
    assert page.locator("#article .k-injected").count() >= 1
