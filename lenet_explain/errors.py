"""The one error type that users see: a clear, one-line message."""


class LenetError(ValueError):
    """Bad input or an unsupported setting, explained in one line for the user."""
