"""Profile fields are plain text: a control character from an upload form or in a sidecar file is refused with a
message naming the field (it used to make the sidecar invalid TOML, silently ignored, while the upload said
'added')."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.uploads import _profile_fields
from documents.corpus import BUNDLED_NOTICES, load_corpus
from documents.errors import NoticeError
from documents.library import Library
from documents.sidecar import sidecar_text


@pytest.mark.parametrize("value", ["a\x7fb", "宁都\x00县", "宁都\u200b县", "宁都\n县", "\x1b[31m宁都"])
def test_a_control_character_in_an_uploaded_field_is_refused(value: str) -> None:
    with pytest.raises(NoticeError, match=r"^n.txt: place holds control or invisible characters \(U\+"):
        _profile_fields({"place": value}, "n.txt")


def test_plain_fields_make_valid_toml() -> None:
    import tomllib

    text = sidecar_text({"place": '宁都县 "城区"', "period": "1-11月"}, "n.txt")
    assert tomllib.loads(text) == {"place": '宁都县 "城区"', "period": "1-11月"}


def test_a_sidecar_with_a_control_character_is_reported_and_not_applied(tmp_path: Path) -> None:
    source = BUNDLED_NOTICES / "xianning-2021-q1.txt"
    (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "xianning-2021-q1.profile.toml").write_text('place = "宁都\\u0007县"\n', encoding="utf-8")
    library = Library.of(load_corpus(tmp_path).notices)
    assert library.problems == [
        "xianning-2021-q1.profile.toml: place holds control or invisible characters (U+0007); give plain text"
    ]
    assert library.profile("xianning-2021-q1").place != "宁都\x07县"
