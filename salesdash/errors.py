"""Errors a person can act on: the message is one line that names the problem."""


class InputError(ValueError):
    """Bad input (a file, an argument, a mapping): shown as one line, never as a traceback."""


class DatabaseLockedError(RuntimeError):
    """Another process (usually a running dashboard) holds the database file."""


class WriterBusyError(RuntimeError):
    """Another writer (a load, an undo, a target edit) held the store for longer than we waited."""


class AccessDenied(RuntimeError):
    """The signed-in user (or the writer a connection acts for) may not do this."""
