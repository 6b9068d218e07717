"""Every exit code netblame uses, in one place (docs/report-schema.md "Exit codes" and ``netblame --help``
show this table). Commands return these names, never bare numbers."""

from __future__ import annotations

OK = 0
"""Nothing at or above ``--fail-on``; a traced packet is delivered; a command did what it was asked."""
FINDINGS = 1
"""A finding at or above ``--fail-on``; a traced packet does not arrive."""
BAD_INPUT = 2
"""Bad usage, or an input that could not be read or is not what it claims to be (also one file of many,
also one met inside a directory), or too little could be read to answer (no rights to read the node)."""
INTERNAL = 3
"""A bug: one line on standard error; ``NETBLAME_DEBUG=1`` shows the traceback."""
INCOMPLETE = 4
"""A rule or a source raised: the run went on and the report says which, but findings may be missing."""
INTERRUPTED = 130
"""Stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""

HELP = ("Exit codes: 0 nothing at or above --fail-on (trace: delivered), 1 findings (trace: not delivered), "
        "2 bad usage or an input that could not be read, 3 internal error, 4 incomplete (a rule or source failed), "
        "130 interrupted.")
