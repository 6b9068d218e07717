"""What reading a command line found wrong with its flags, kept as data so that rules can report it."""

from __future__ import annotations

from typing import Literal

from netblame._record import Record, record
from netblame.model.origin import Origin

FlagProblem = Literal["unknown", "missing-value", "unresolved"]


@record
class FlagNote(Record):
    """A flag of a known program that netblame could not take as given.

    ``unknown``: the program has no flag of this name (``hint`` is the closest one it has, ``removed_in`` the
    release that removed it when it had one);
    ``missing-value``: a flag that takes a value was given none (``taken`` is the next argument, which the
    program would take as the value instead, if there is one); ``unresolved``: the value is a shell
    variable or a template (``$POD_CIDR``, ``{{ pod_cidr }}``) and cannot be checked.

    ``setting`` is the configuration setting the flag was written in, when it was not written on a command line
    (kubeadm's ``controllerManager.extraArgs``, whose entries name flags without their dashes), and ``passed_by``
    the tool that passes the setting's entries to the program as flags (``kubeadm``, ``k0s``, ``Talos``): both
    set, or neither.
    """

    program: str
    flag: str
    problem: FlagProblem
    origin: Origin
    hint: str | None = None
    taken: str | None = None
    value: str | None = None
    removed_in: str | None = None
    setting: str | None = None
    passed_by: str | None = None
