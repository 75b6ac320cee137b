"""Answering, the CLI and the library API (`assistant.core.Assistant`)."""

# Before any module of this package imports jieba.posseg: it then skips reading its 0.7 s tag table at import.
import index.jieba_tables  # noqa: F401
