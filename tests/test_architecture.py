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
