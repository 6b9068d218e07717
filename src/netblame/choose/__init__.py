"""Choosing a CNI: a sourced comparison table of the CNIs a small cluster would consider and the pure
logic that rules candidates out, ranks the rest and explains the pick."""

from netblame.choose.decide import Assessment, Constraints, Decision, Level, Problem, assess, decide
from netblame.choose.model import NEEDS, Arch, Candidate, Cell, Support
from netblame.choose.next_step import plan_command
from netblame.choose.table import CANDIDATES

__all__ = ["CANDIDATES", "NEEDS", "Arch", "Assessment", "Candidate", "Cell", "Constraints", "Decision", "Level",
           "Problem", "Support", "assess", "decide", "plan_command"]
