"""House rules that a reader cannot see at a glance: import direction, gradio only in ui/, settings documented."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.settings import Settings, settings_table

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["documents", "index", "assistant", "ui"]  # each may import only those before it


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


# The CLI is an edge beside the UI (documents → index → assistant → ui/cli); it lives in assistant/ so that
# `python -m assistant` works, and it reaches the UI only inside `serve`, never at import time.
CLI = ROOT / "assistant" / "cli.py"


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_go_one_way(layer: str) -> None:
    forbidden = set(LAYERS[LAYERS.index(layer) + 1 :])
    for path in (ROOT / layer).rglob("*.py"):
        upward = (_top_level_imports(path) if path == CLI else _imports(path)) & forbidden
        assert not upward, f"{path.relative_to(ROOT)} imports {upward}, a layer above it"


def test_only_ui_imports_gradio() -> None:
    for layer in ("documents", "index", "assistant"):
        for path in (ROOT / layer).rglob("*.py"):
            assert "gradio" not in _imports(path), f"{path.relative_to(ROOT)} imports gradio"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for env, _, help_text in settings_table():
        assert f"`{env}`" in readme, f"{env} is not in the README's settings table"
        assert help_text


def test_settings_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("TONGBAO_PORT", "8123")
    monkeypatch.setenv("TONGBAO_MODEL", "intfloat/multilingual-e5-small")
    settings = Settings.from_env(host="0.0.0.0")
    assert (settings.port, settings.model, settings.host) == (8123, "intfloat/multilingual-e5-small", "0.0.0.0")


def test_a_bad_setting_is_a_clear_error(monkeypatch) -> None:
    from documents.errors import AssistantError

    monkeypatch.setenv("TONGBAO_PORT", "not-a-port")
    with pytest.raises(AssistantError, match="invalid setting: port"):
        Settings.from_env()


STAGES = ["understand", "route", "retrieve", "candidates", "features", "select", "compose", "verify"]


@pytest.mark.parametrize("stage", STAGES)
def test_answering_stages_run_one_way(stage: str) -> None:
    """A stage imports the stages before it (for their models) and never a later one: no calling back."""
    later = {f"assistant.{s}" for s in STAGES[STAGES.index(stage) + 1 :]} | {"assistant.pipeline", "assistant.core"}
    tree = ast.parse((ROOT / "assistant" / f"{stage}.py").read_text(encoding="utf-8"))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not modules & later, f"{stage} imports {modules & later}"


def _code_files() -> list[Path]:
    files = [p for layer in LAYERS for p in (ROOT / layer).rglob("*.py")]
    return files + [p for p in (ROOT / "documents").glob("*.toml")] + list((ROOT / "bench").rglob("*.py"))


def _code_strings(path: Path) -> str:
    """The string literals and names of a module, its docstrings and comments left out (examples may name places)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    parts = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]
    return "\n".join(parts + [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)])


def test_no_code_names_a_place_of_one_notice() -> None:
    """Vocabulary is data and no rule is tuned to one notice: a place that occurs in only one bundled notice is
    named by no module or data file of the product (the notices themselves aside)."""
    from documents.corpus import BUNDLED_NOTICES, load_corpus
    from documents.places import _NOT_PLACES, place_names, split_level
    from documents.vocabulary import vocabulary

    notices = load_corpus(BUNDLED_NOTICES).notices
    names = {n: [x for x in notices if split_level(n)[0] in x.text] for x in notices for n in place_names(x.text)}
    only_one = {split_level(n)[0] for n, found in names.items() if len(found) == 1 and len(split_level(n)[0]) >= 2}
    only_one -= _NOT_PLACES  # common words a tagger reads as places (新建, 城镇) are no place of one notice
    # The vocabulary's list of division names that notices mostly write as words (滨江 of 滨江公园) makes a place
    # less likely to be read, never more: naming one there tunes nothing towards a notice.
    only_one -= set(vocabulary().place_words)
    only_one |= {"xianning", "咸宁"}  # the bundled notices' own city, in any spelling
    for path in _code_files():
        text = path.read_text(encoding="utf-8") if path.suffix == ".toml" else _code_strings(path)
        named = sorted(n for n in only_one if n in text)
        assert not named, f"{path.relative_to(ROOT)} names {named}"


def test_uploads_accept_every_format_a_folder_does() -> None:
    from documents.loading import NOTICE_SUFFIXES
    from documents.readers import FORMATS

    assert set(NOTICE_SUFFIXES) == set(FORMATS)
