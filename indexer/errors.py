"""The base of every error a user can cause and fix, shared by all layers.

A missing path, a damaged index, a malformed input row, an unreachable model server: each is
raised as a subclass of `UserError` with a one-line message that names the problem, so the
command line can report any of them the same way (one line on stderr, exit status 2) without
knowing which layer raised it.
"""


class UserError(Exception):
    """A problem the user can fix; its message is one line naming it."""


class UserNote(UserWarning):
    """Something the user may want to act on that does not stop the work (an index built by
    an older version, still usable): the command line prints it as one `note:` line."""
