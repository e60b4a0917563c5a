"""Errors newsgraph raises on purpose. Each message names what is wrong and where.

    NewsgraphError
    ├── InputError          a file or record cannot be read as an article
    │   ├── InputWarning    something in a record was ignored; the article is kept
    │   └── AddressRefused  a URL from a fetched document leads to a non-public address
    ├── ModelNotFoundError  no usable spaCy model is installed
    ├── OutputError         an export or other output cannot be written where it was asked
    ├── StoreError          the graph store cannot be opened or written
    │   └── StoreLockedError  another process holds the store (`watch` waits for the next poll)
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


class InputWarning(InputError):
    """Travels with the readers' items like an InputError, but its article follows it."""


class AddressRefused(InputError):
    """Raised by the fetcher; `--allow-private-addresses` lifts the rule."""


class ModelNotFoundError(NewsgraphError):
    pass


class OutputError(NewsgraphError):
    pass


class StoreError(NewsgraphError):
    pass


class StoreLockedError(StoreError):
    pass


class UsageError(NewsgraphError):
    pass
