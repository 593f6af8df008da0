"""Errors that name the input and the problem."""

from __future__ import annotations


class UnspunError(Exception):
    """Base class of unspun's own errors."""


class InputError(UnspunError):
    """An input unspun cannot analyse: it names the input and says what is wrong with it."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
