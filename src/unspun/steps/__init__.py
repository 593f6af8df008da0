"""Analysis steps. Each reads the shared :class:`~unspun.doc.Document` and the findings of the
steps before it, and returns findings of its own kind."""

from unspun.steps.base import Step

__all__ = ["Step"]
