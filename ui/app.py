"""The web chat: `build_app(assistant)` builds the whole gradio app; `create_server` mounts it beside the API
(`ui.serve.serve(settings)` loads and launches it).

Only the `ui` package imports gradio. Handlers live in `ui.handlers` (pure functions), HTML in `ui.render`.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # no analytics, no version check, whatever the caller's env
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402 - the environment above must be set before gradio reads it
from fastapi import FastAPI  # noqa: E402

from assistant.ledger_view import ledger_series  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from documents.loading import NOTICE_SUFFIXES  # noqa: E402
from ui import handlers, render, style  # noqa: E402
from ui.handlers import AssistantLike, ChatState  # noqa: E402
from ui.server import create_api  # noqa: E402

PLACEHOLDER = "**问问督查通报里的数字**\n\n例如:5G基站建设进度?失业率控制得怎么样?每个答案都附原文段落。"
HERO = (
    '<div id="hero"><h1>📊 通报问答 · 督查通报里的每个数字都有出处</h1>'
    '<p><span class="badge">{count} 份通报</span>用中文或英文提问,得到确切数字、对应目标和完成进度,'
    "并可查看被引用的原文段落。</p></div>"
)
DATATYPES = ["str", "str", "str", "str", "str", "str", "number", "html", "str"]


def _table(rows: list[dict[str, object]]) -> list[list[object]]:
    return [[row[column] for column in handlers.COLUMNS] for row in rows]


def _chat_tab(assistant: AssistantLike, tabs: gr.Tabs, jump_outputs: list[gr.components.Component]) -> None:
    state = gr.State(None)
    pending = gr.State("")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            chatbot = gr.Chatbot(
                label="对话",
                show_label=False,
                elem_id="chat",
                height=480,
                render_markdown=False,
                sanitize_html=True,
                feedback_options=None,
                buttons=["copy"],
                placeholder=PLACEHOLDER,
                layout="bubble",
            )
            with gr.Row():
                box = gr.Textbox(
                    show_label=False,
                    placeholder="输入问题,回车发送(例如:新增城镇就业完成了多少?)",
                    elem_id="question",
                    scale=5,
                    max_length=2000,
                    autofocus=True,
                )
                send = gr.Button("发送", variant="primary", scale=0, min_width=90, elem_id="send")
                clear = gr.Button("清空", variant="secondary", scale=0, min_width=80, elem_id="clear")
            examples = gr.HTML(
                render.examples_html(handlers.examples(assistant)), js_on_load=style.EXAMPLES_JS, elem_id="examples"
            )
            scope = gr.Dropdown(
                handlers.notice_choices(assistant),
                value=[],
                multiselect=True,
                label="只问这些通报(不选则问全部)",
                elem_id="chat-scope",
            )
        with gr.Column(scale=2, min_width=320):
            panel = gr.HTML(render.empty_panel(), js_on_load=style.PANEL_JS, elem_id="cite-panel")

    def start(message: str, chat: ChatState | None) -> tuple[str, list[dict[str, str]], str]:
        return "", handlers.pending_messages(chat, message), message

    def answer(
        message: str, chat: ChatState | None, chosen: list[str] | None
    ) -> tuple[list[dict[str, str]], ChatState, str]:
        return handlers.respond(assistant, message, chat, chosen)

    def start_example(chat: ChatState | None, evt: gr.EventData) -> tuple[str, list[dict[str, str]], str]:
        question = str((getattr(evt, "_data", None) or {}).get("question") or "")
        return start(question, chat)

    for event in (
        box.submit(start, [box, state], [box, chatbot, pending], queue=False),
        send.click(start, [box, state], [box, chatbot, pending], queue=False),
        examples.click(start_example, state, [box, chatbot, pending], queue=False),
    ):
        event.then(answer, [pending, state, scope], [chatbot, state, panel], show_progress="minimal")
    for clearing in (clear.click, chatbot.clear):
        clearing(handlers.clear_chat, None, [chatbot, state, panel], queue=False)

    def on_select(chat: ChatState | None, evt: gr.SelectData) -> str:
        return handlers.select_message(chat, evt.index)

    chatbot.select(on_select, state, panel, show_progress="hidden")

    def on_panel(chat: ChatState | None, evt: gr.EventData) -> tuple[object, ...]:
        data = getattr(evt, "_data", None) or {}
        if data.get("doc"):
            return (gr.skip(), *_jump(assistant, str(data["doc"]), str(data.get("pid", ""))))
        return (handlers.show_citation(chat, data.get("cite"), data.get("turn")), *[gr.skip()] * 4)

    panel.click(on_panel, state, [panel, tabs, *jump_outputs], show_progress="hidden")


def _jump(assistant: AssistantLike, doc_id: str, pid: str) -> tuple[object, ...]:
    return gr.Tabs(selected="notice"), doc_id, pid, handlers.notice_html(assistant, doc_id, pid)


def _targets_tab(
    assistant: AssistantLike, tabs: gr.Tabs, jump_outputs: list[gr.components.Component]
) -> dict[str, gr.components.Component]:
    """The ledger tab; returns the components that an upload refreshes (and the filters they depend on)."""
    rows = handlers.ledger_table(assistant)
    with gr.Row():
        query = gr.Textbox(
            label="筛选", placeholder="输入关键词,如 5G、就业、项目、p013", scale=3, elem_id="ledger-filter"
        )
        status = gr.Dropdown(
            handlers.status_choices(), value=handlers.ALL_STATUSES, label="状态", scale=1, elem_id="ledger-status"
        )
    summary = gr.HTML(handlers.ledger_summary(rows), elem_id="ledger-summary")
    gr.Markdown("点击表头排序;点击任意一行,在下方查看它的来源段落。", elem_classes=["hint"])
    table = gr.Dataframe(
        _table(rows),
        headers=handlers.COLUMNS,
        datatype=DATATYPES,
        interactive=False,
        wrap=True,
        max_height=440,
        elem_id="ledger",
        buttons=["copy", "fullscreen"],
        column_widths=["14%", "7%", "7%", "22%", "9%", "10%", "7%", "11%", "13%"],
    )
    with gr.Row(equal_height=False):
        source = gr.HTML(
            '<div class="cite-panel empty"><div class="panel-title">来源段落</div>'
            "<p>点击上表中的一行,这里显示它的来源段落,目标和完成数已高亮。</p></div>",
            js_on_load=style.PANEL_JS,
            elem_id="ledger-source",
        )
        chart = gr.HTML(render.ledger_html(rows), elem_id="ledger-chart")
    series = gr.HTML(render.series_html(ledger_series(assistant.ledger, assistant.notices)), elem_id="ledger-series")

    def refilter(text: str, chosen: str) -> tuple[list[list[object]], str, str]:
        found = handlers.ledger_table(assistant, text, chosen)
        return _table(found), handlers.ledger_summary(found), render.ledger_html(found)

    for event in (query.change, status.change):
        event(refilter, [query, status], [table, summary, chart], show_progress="hidden")

    def on_row(evt: gr.SelectData) -> str:
        row = dict(zip(handlers.COLUMNS, evt.row_value or [], strict=False))
        if "通报" not in row or "编号" not in row:
            return gr.skip()
        return handlers.ledger_source(assistant, str(row["通报"]), str(row["编号"]))

    table.select(on_row, None, source, show_progress="hidden")

    def on_source(evt: gr.EventData) -> tuple[object, ...]:
        data = getattr(evt, "_data", None) or {}
        if not data.get("doc"):
            return tuple([gr.skip()] * 4)
        return _jump(assistant, str(data["doc"]), str(data.get("pid", "")))

    source.click(on_source, None, [tabs, *jump_outputs], show_progress="hidden")
    return {"query": query, "status": status, "table": table, "summary": summary, "chart": chart, "series": series}


def _everything(assistant: AssistantLike, doc: str | None, query: str, status: str) -> tuple[object, ...]:
    """Every view that lists notices, as they are now: badge, notice choice and text, ledger table, chart, series."""
    choices = handlers.notice_choices(assistant)
    if doc not in {d for _, d in choices}:
        doc = handlers.default_notice(assistant)
    rows = handlers.ledger_table(assistant, query, status)
    return (
        HERO.format(count=len(choices)),
        gr.Dropdown(choices=choices, value=doc),
        "",
        handlers.notice_html(assistant, doc),
        _table(rows),
        handlers.ledger_summary(rows),
        render.ledger_html(rows),
        render.series_html(ledger_series(assistant.ledger, assistant.notices)),
    )


def _refreshing(
    assistant: AssistantLike, app: gr.Blocks, upload: gr.HTML, views: list[gr.components.Component], filters: list
) -> None:
    """After an upload (in this page) and on every page load (after an upload elsewhere), show the new notices."""
    built = handlers.notice_ids(assistant)

    def on_added(doc: str | None, query: str, status: str, evt: gr.EventData) -> tuple[object, ...]:
        added = str((getattr(evt, "_data", None) or {}).get("added") or "")
        if not added:
            return tuple([gr.skip()] * len(views))
        return _everything(assistant, added if added in handlers.notice_ids(assistant) else doc, query, status)

    def on_load(doc: str | None, query: str, status: str) -> tuple[object, ...]:
        if handlers.notice_ids(assistant) == built:  # nothing was added since the page was built: keep it
            return tuple([gr.skip()] * len(views))
        return _everything(assistant, doc, query, status)

    upload.click(on_added, filters, views, show_progress="hidden", queue=False)
    app.load(on_load, filters, views, show_progress="hidden", queue=False)


def build_app(assistant: AssistantLike) -> gr.Blocks:
    """The whole app for one loaded Assistant; per-user conversation state is kept in gr.State."""
    choices = handlers.notice_choices(assistant)
    first = handlers.default_notice(assistant)
    with gr.Blocks(title="通报问答 Tongbao QA", analytics_enabled=False) as app:
        hero = gr.HTML(HERO.format(count=len(choices)), js_on_load=None, elem_id="hero-box")
        with gr.Tabs(selected="chat") as tabs:
            # The notice tab's components are created first (unrendered) so chat citations can jump to them.
            doc = gr.Dropdown(choices, value=first, label="通报", scale=3, render=False, elem_id="notice-doc")
            find = gr.Textbox(
                label="定位段落",
                placeholder="段落编号(如 p013 或 13)或关键词",
                scale=2,
                render=False,
                elem_id="notice-find",
                submit_btn="定位",
            )
            view = gr.HTML(
                handlers.notice_html(assistant, first), js_on_load=style.NOTICE_JS, render=False, elem_id="notice"
            )
            jump_outputs: list[gr.components.Component] = [doc, find, view]
            with gr.Tab("💬 问答", id="chat"):
                _chat_tab(assistant, tabs, jump_outputs)
            with gr.Tab("🎯 目标台账", id="targets"):
                ledger = _targets_tab(assistant, tabs, jump_outputs)
            with gr.Tab("📄 通报原文", id="notice"):
                with gr.Row(equal_height=True):
                    doc.render()
                    find.render()
                view.render()
                kinds = "、".join(NOTICE_SUFFIXES)
                with gr.Accordion(f"添加一份通报({kinds},UTF-8 或 GBK)", open=False):
                    upload = gr.HTML(render.upload_html(NOTICE_SUFFIXES), js_on_load=style.UPLOAD_JS, elem_id="upload")
        views = [hero, doc, find, view, ledger["table"], ledger["summary"], ledger["chart"], ledger["series"]]
        _refreshing(assistant, app, upload, views, [doc, ledger["query"], ledger["status"]])
        doc.input(lambda d: ("", handlers.notice_html(assistant, d)), doc, [find, view], show_progress="hidden")
        find.submit(lambda d, f: handlers.notice_html(assistant, d, f), [doc, find], view, show_progress="hidden")
    return app


def create_server(assistant: AssistantLike, settings: Settings | None = None, with_api: bool = True) -> FastAPI:
    """One ASGI app: the JSON API under /api (unless `with_api` is False) and the gradio chat at /."""
    settings = settings or getattr(assistant, "settings", None) or Settings()
    blocks = build_app(assistant)
    blocks.queue(default_concurrency_limit=4)
    server = gr.mount_gradio_app(
        create_api(assistant, settings) if with_api else FastAPI(),
        blocks,
        path="/",
        theme=style.theme(),
        css=style.CSS,
        footer_links=["settings"],
        show_error=False,
        max_file_size=settings.max_notice_bytes,
    )
    # Gradio checks that a file named in a request is one the client uploaded (processing_utils._check_allowed),
    # but only once `has_launched` is set, which launch() does and mount_gradio_app does not. No event of this app
    # takes a file (uploads go to POST /api/notices as bytes); this keeps any future file input checked too.
    blocks.has_launched = True
    return server
