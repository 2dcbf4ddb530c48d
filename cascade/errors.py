"""One exception family. Only the CLI turns these into exit codes and one-line messages."""
from __future__ import annotations


class CascadeError(Exception):
    """Base class of every error cascade raises on purpose."""

    default = "cascade failed"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class ReadError(CascadeError, ValueError):
    """A file could not be read as a document (encoding, format, no text layer...)."""

    default = "the file could not be read"


class ResolutionError(CascadeError, LookupError):
    """A user's phrase names no document, or several."""

    default = "no document matches"


class BuildError(CascadeError):
    """No build to read, or a build that cannot be read."""

    default = "no usable build"


class ExportError(CascadeError):
    """An export or upload failed."""

    default = "the export failed"
