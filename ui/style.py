"""Look and behaviour of the web UI: theme (local fonts only, no network), CSS and the small JS hooks."""

from __future__ import annotations

import gradio as gr

FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "system-ui", "sans-serif"]


def theme() -> gr.themes.Base:
    return gr.themes.Soft(
        primary_hue="red",
        secondary_hue="amber",
        neutral_hue="slate",
        font=FONTS,
        font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "monospace"],
    )


# Clicks inside the citation panel / ledger source: a chip shows that citation, a "jump" button opens the notice.
PANEL_JS = """
element.addEventListener('click', (event) => {
  const chip = event.target.closest('button.chip[data-cite]');
  if (chip) { trigger('click', {turn: Number(chip.dataset.turn), cite: Number(chip.dataset.cite)}); return; }
  const jump = event.target.closest('button.jump');
  if (jump) trigger('click', {doc: jump.dataset.doc, pid: jump.dataset.pid});
});
"""

EXAMPLES_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button.example');
  if (button) trigger('click', {question: button.dataset.q});
});
"""

# The upload sends the file's bytes to the JSON API (never a server path), shows its reply as text, and on
# success asks the server to refresh every view that lists notices. While it waits it reads the upload's stage
# from /api/health each second (reading, saving, embedding 120/480, indexing): the chat keeps answering meanwhile.
UPLOAD_JS = """
const input = element.querySelector('input[type=file]');
const message = element.querySelector('.upload-message');
const show = (kind, text) => { message.className = 'upload-message ' + kind; message.textContent = text; };
input.addEventListener('change', async () => {
  const file = input.files && input.files[0];
  if (!file) return;
  const form = new FormData();
  form.append('file', file, file.name);
  for (const field of element.querySelectorAll('.upload-profile input')) {
    if (field.value.trim()) form.append(field.name, field.value.trim());
  }
  const stages = {reading: '正在读取并检查', saving: '正在保存', embedding: '正在计算向量', indexing: '正在更新索引'};
  show('busy', '正在检查并索引 ' + file.name + '…');
  const poll = setInterval(async () => {
    try {
      const health = await (await fetch('api/health')).json();
      const row = (health.uploads || [])[0];  // the name there is the saved one: 新 通报.txt becomes 新-通报.txt
      if (!row || !message.className.includes('busy')) return;
      const counted = row.stage === 'embedding' && row.total ? ' ' + row.done + '/' + row.total : '';
      const stage = (stages[row.stage] || row.stage) + counted + ':' + row.name;
      show('busy', stage + '(' + row.seconds + ' 秒;问答照常可用)');
    } catch (error) { /* the reply to the upload says what happened */ }
  }, 1000);
  try {
    const response = await fetch('api/notices', {method: 'POST', body: form});
    const reply = await response.json().catch(() => ({}));
    if (response.ok && reply.doc_id) {
      show('ok', '已添加并索引:' + reply.message + '。各标签页已更新。');
      trigger('click', {added: reply.doc_id});
    } else {
      show('error', '未添加:' + (reply.error || reply.detail || ('HTTP ' + response.status)));
    }
  } catch (error) {
    show('error', '未添加:无法连接服务器(' + error + ')');
  }
  clearInterval(poll);
  input.value = '';
});
"""

# The notice view scrolls to the found paragraph after every update; outline links scroll without touching the URL.
NOTICE_JS = """
const reveal = () => setTimeout(() => {
  const hit = element.querySelector('.hit');
  if (hit) hit.scrollIntoView({block: 'center'});
}, 200);
reveal();
watch('value', reveal);
element.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#"]');
  if (!link) return;
  event.preventDefault();
  const target = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
  if (!target) return;
  element.querySelectorAll('.flash').forEach((el) => el.classList.remove('flash'));
  target.classList.add('flash');
  target.scrollIntoView({block: 'center'});
});
"""

CSS = """
.upload-message { padding: 8px 12px; border-radius: 8px; margin-top: 6px; }
.upload-message.ok { background: #ecfdf5; color: #065f46; }
.upload-message.error { background: #fef2f2; color: #991b1b; }
.upload-message.busy { background: #eff6ff; color: #1e40af; }
.upload-message:empty { display: none; }
.upload-pick { display: inline-flex; gap: 10px; align-items: center; cursor: pointer; }

.series-row { display: flex; gap: 12px; align-items: center; padding: 6px 0; border-bottom: 1px solid #f1f5f9; }
.series-row .chart-label { width: 36%; }
.series-points { display: flex; gap: 16px; flex: 1; }
.series-point { flex: 1; font-size: 0.9em; }

.gradio-container { max-width: 1280px !important; margin: 0 auto !important; }
#hero { padding: 6px 4px 2px; }
#hero h1 { font-size: 1.6rem; margin: 0 0 4px; font-weight: 700; }
#hero p { margin: 0; color: var(--body-text-color-subdued); font-size: 0.95rem; }
#hero .badge { display: inline-block; background: var(--color-accent-soft); color: var(--color-accent);
  border-radius: 999px; padding: 1px 10px; font-size: 0.8rem; margin-right: 6px; }
#chat .message-content span.md { white-space: pre-wrap; }
.examples { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 2px 0; }
.examples-label { color: var(--body-text-color-subdued); font-size: 0.9rem; white-space: nowrap; }
.example, .chip, .jump { font-weight: 400 !important; }
.example { border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  border-radius: 999px; padding: 4px 12px; font-size: 0.88rem; cursor: pointer; color: var(--body-text-color); }
.example:hover { border-color: var(--color-accent); color: var(--color-accent); }
.chart-caption { font-size: 0.8rem; color: var(--body-text-color-subdued); margin: -6px 0 8px; }
.chart-label .period { color: var(--body-text-color-subdued); font-size: 0.75rem; margin-left: 4px; }
.cite-panel { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 14px 16px;
  background: var(--background-fill-secondary); min-height: 200px; }
.cite-panel.empty p { color: var(--body-text-color-subdued); line-height: 1.7; margin: 6px 0; }
.panel-title { font-weight: 700; font-size: 1rem; margin-bottom: 10px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 10px; }
.chip { border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  border-radius: 999px; padding: 3px 12px; font-size: 0.85rem; cursor: pointer; color: var(--body-text-color); }
.chip:hover { border-color: var(--color-accent); }
.chip.active { background: var(--color-accent); border-color: var(--color-accent); color: white; }
.chip.demo { cursor: default; padding: 0 8px; }
.cite-card { background: var(--background-fill-primary); border-radius: 10px; padding: 12px 14px;
  border-left: 4px solid var(--color-accent); margin-bottom: 10px; }
.crumb { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-bottom: 6px; line-height: 1.5; }
.para { line-height: 1.85; margin: 0; }
mark { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 3px; font-weight: 600; }
.derived { margin-top: 8px; font-size: 0.9rem; background: var(--background-fill-secondary);
  border-radius: 6px; padding: 4px 8px; display: inline-block; }
.cite-foot { display: flex; justify-content: space-between; align-items: center; margin-top: 10px; gap: 8px; }
.pid { font-family: var(--font-mono); font-size: 0.78rem; color: var(--body-text-color-subdued); }
.jump { border: none; background: none; color: var(--color-accent); cursor: pointer; font-size: 0.85rem; padding: 0; }
.jump:hover { text-decoration: underline; }
.summary { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 0.95rem; }
.tag { border-radius: 999px; padding: 1px 10px; font-size: 0.8rem; white-space: nowrap; }
.tag.good { background: #dcfce7; color: #166534; }
.tag.bad { background: #fee2e2; color: #991b1b; }
.tag.progress { background: #dbeafe; color: #1e40af; }
.tag.neutral { background: #f1f5f9; color: #475569; }
.chart { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 14px 16px; }
.chart-row { display: grid; grid-template-columns: 15em 1fr; gap: 10px; align-items: center; margin: 5px 0; }
.chart-label { font-size: 0.85rem; text-align: right; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.chart-bar { display: flex; align-items: center; gap: 8px; }
.bar { flex: 1; height: 14px; background: var(--background-fill-secondary); border-radius: 7px; overflow: hidden;
  border: 1px solid var(--border-color-primary); }
.bar span { display: block; height: 100%; border-radius: 7px; background: #3b82f6; }
.bar.good span { background: #22c55e; }
.bar.bad span { background: #ef4444; }
.bar-label { font-size: 0.8rem; width: 4.5em; font-variant-numeric: tabular-nums; }
.notice { line-height: 1.8; }
.notice-title { font-size: 1.25rem; margin: 4px 0 10px; }
.profile { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 4px 0 10px; font-size: 0.92em; }
.profile-field small { color: #888; margin-left: 4px; }
.profile-key { font-weight: 600; margin-right: 2px; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 2px 18px;
  font-size: 0.85rem; background: var(--background-fill-secondary); padding: 10px 14px; border-radius: 10px;
  margin: 0 0 10px; }
.meta div { display: flex; gap: 8px; }
.meta dt { color: var(--body-text-color-subdued); white-space: nowrap; }
.meta dd { margin: 0; }
.notice-grid { display: grid; grid-template-columns: minmax(220px, 300px) 1fr; gap: 18px; align-items: start; }
.toc { position: sticky; top: 8px; max-height: 75vh; overflow: auto; font-size: 0.85rem; line-height: 1.5;
  border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px; }
.toc-title { font-weight: 700; margin-bottom: 6px; }
.toc ul { margin: 0 0 0 0.9em; padding: 0; list-style: none; }
.toc > ul { margin-left: 0; }
.toc li { margin: 3px 0; }
.toc a { text-decoration: none; color: var(--body-text-color); }
.toc a:hover { color: var(--color-accent); text-decoration: underline; }
.toc .pid { margin-left: 6px; }
.notice-body { max-height: 75vh; overflow: auto; padding-right: 6px; }
@media (max-width: 800px) { .notice-grid { grid-template-columns: 1fr; } .toc { position: static; } }
.notice-body .para { margin: 0 0 8px; padding: 4px 8px; border-radius: 6px; scroll-margin-top: 80px; }
.notice-body .para .pid { display: inline-block; min-width: 3.2em; margin-right: 8px; text-decoration: none; }
.notice-body .kind-heading, .notice-body .kind-title { font-weight: 700; }
.notice-body .level-1 { font-size: 1.1rem; margin-top: 14px; }
.notice-body .kind-meta { color: var(--body-text-color-subdued); font-size: 0.88rem; }
.notice-body .hit, .notice-body .flash { background: #fef3c7; outline: 2px solid #f59e0b; }
.find-note { font-size: 0.9rem; color: var(--color-accent); margin: 4px 0; }
"""
