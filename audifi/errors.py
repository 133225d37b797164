"""One exception type for every failure the user can act on.

The CLI turns it into a one-line message and a non-zero exit code, never a traceback.
"""


class AudifiError(Exception):
    """A failure with a message that tells the user what to do."""
