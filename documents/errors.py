"""One error hierarchy for the whole product; the CLI and UI turn these into clear messages."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a failure with a message fit to show a user as it is."""


class NoticeError(AssistantError):
    """A notice file could not be read or parsed (empty, binary, too large, bad encoding)."""


class IndexCorruptError(AssistantError):
    """The persisted index is missing, stale, truncated or corrupt."""


class ModelUnavailableError(AssistantError):
    """The embedding model could not be loaded (cache missing, hub unreachable)."""


class QuestionError(AssistantError):
    """A question is unusable as given (empty, too long, only control characters)."""


class AnswerTimeoutError(AssistantError):
    """An answering process took longer than the answer time limit; it was replaced."""
