"""Errors newsgraph raises on purpose. Each message names what is wrong and where.

    NewsgraphError
    ├── InputError          a file or record cannot be read as an article
    ├── ModelNotFoundError  no usable spaCy model is installed
    ├── OutputError         an export or other output cannot be written where it was asked
    ├── StoreError          the graph store cannot be opened or written
    └── UsageError          the command was called with options that do not fit
"""


class NewsgraphError(Exception):
    """Base of every error that the CLI reports as one line."""


class InputError(NewsgraphError):
    """A source or one record in it cannot be read; `where` names file and line."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class ModelNotFoundError(NewsgraphError):
    pass


class OutputError(NewsgraphError):
    pass


class StoreError(NewsgraphError):
    pass


class UsageError(NewsgraphError):
    pass
