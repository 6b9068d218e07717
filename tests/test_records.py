"""The frozen model records share equality, hash and repr (to be cheaper to create at import) and must behave
exactly as the methods ``@dataclass`` generates: each is compared here with a twin class that has the same
fields and the generated methods."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pickle
import pkgutil
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netblame
from netblame.dns.results import Resolution
from netblame.findings import Diagnostic, InputProblem, InputRecord
from netblame.model.dns import Lease, Note
from netblame.model.origin import Origin, Sourced
from netblame.sources.loader import Loaded

CLASSES: list[type] = [Origin, Sourced, Lease, Note, InputRecord]
scalars = st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=3), st.tuples(st.integers(0, 2)))


def twin(cls: type) -> type:
    """A class with ``cls``'s name and fields whose methods ``@dataclass`` generates."""
    specs = [(f.name, Any, dataclasses.field(compare=f.compare, hash=f.hash, repr=f.repr))
             for f in dataclasses.fields(cls)]
    made: type = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)
    made.__qualname__ = cls.__qualname__
    return made


def values(cls: type) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({f.name: scalars for f in dataclasses.fields(cls)})


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_equality_hash_and_repr_are_the_generated_ones(cls: type, data: st.DataObject) -> None:
    a, b = data.draw(values(cls)), data.draw(values(cls))
    made = twin(cls)
    mine_a, mine_b, their_a, their_b = cls(**a), cls(**b), made(**a), made(**b)
    assert (mine_a == mine_b) == (their_a == their_b)
    assert (mine_a != mine_b) == (their_a != their_b)
    assert repr(mine_a) == repr(their_a)
    assert "__str__" in vars(cls) or str(mine_a) == str(their_a)
    assert hash(mine_a) == hash(their_a)
    assert mine_a == cls(**a) and hash(mine_a) == hash(cls(**a))
    assert pickle.loads(pickle.dumps(mine_a)) == mine_a and copy.deepcopy(mine_a) == mine_a


def test_equal_only_to_the_same_class() -> None:
    origin = Origin(file="a.yaml", line=3)
    assert origin != Note("a.yaml", origin) and origin != ("a.yaml", 3, None, None, None)
    assert origin.__eq__(object()) is NotImplemented
    assert Sourced(1, origin) == Sourced(1, Origin(file="a.yaml", line=3))
    assert len({Sourced(1, origin), Sourced(1, Origin(file="a.yaml", line=3))}) == 1


def test_repr_is_the_dataclass_form_and_stays_immutable() -> None:
    note = Note("not read", Origin(file="x"))
    assert repr(note) == ("Note(message='not read', origin=Origin(file='x', line=None, flag=None, object=None, "
                          "default=None))")
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.message = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del note.message  # type: ignore[misc]
    with pytest.raises(AttributeError):  # slotted: no new attribute either
        note.unknown = 1  # type: ignore[attr-defined]
    assert note.message == "not read"
    assert dataclasses.replace(note, message="other") == Note("other", Origin(file="x"))



def twin_init(cls: type) -> type:
    """A class with ``cls``'s name, fields and defaults whose ``__init__`` ``@dataclass`` generates."""
    specs = [(f.name, Any, dataclasses.field(default=f.default, default_factory=f.default_factory))
             for f in dataclasses.fields(cls)]
    made: type = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)
    return made


# Required fields only, with defaults, with default factories, and all three.
INIT_CLASSES: list[type] = [Note, InputProblem, Lease, Loaded, Resolution, Diagnostic]
names = st.sampled_from(["message", "origin", "file", "line", "client", "fragments", "errors", "name",
                         "answers", "rule", "unknown"])


def outcome(make: Any, args: tuple[object, ...], kwargs: dict[str, object]) -> tuple[str, object]:
    """What calling ``make`` does: the fields it set, or the message of the TypeError it raised."""
    try:
        made = make(*args, **kwargs)
    except TypeError as exc:
        return "raised", str(exc)
    return "made", {f.name: getattr(made, f.name) for f in dataclasses.fields(made)}


@pytest.mark.parametrize("cls", INIT_CLASSES, ids=lambda c: c.__name__)
@given(args=st.lists(scalars, max_size=9).map(tuple), kwargs=st.dictionaries(names, scalars, max_size=4))
def test_init_takes_and_refuses_what_the_generated_one_does(cls: type, args: tuple[object, ...],
                                                            kwargs: dict[str, object]) -> None:
    assert "__init__" not in vars(cls)  # Record's own
    assert outcome(cls, args, kwargs) == outcome(twin_init(cls), args, kwargs)


def test_init_fills_defaults_and_makes_a_new_value_per_factory_call() -> None:
    one, two = Loaded(), Loaded()
    assert one == two and one.fragments == [] and one.fragments is not two.fragments
    problem = InputProblem("unreadable")
    assert (problem.file, problem.line) == (None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.message = "other"  # type: ignore[misc]


def records() -> list[type]:
    """Every class in the package whose ``__init__`` is a record's (``Record.__init__``, which ``Note``
    inherits)."""
    record_init = Note.__init__
    found = []
    for info in pkgutil.walk_packages(netblame.__path__, "netblame."):
        if info.name.endswith("__main__"):  # runs the program
            continue
        module = importlib.import_module(info.name)
        found += [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == info.name
                  and v.__init__ is record_init and dataclasses.is_dataclass(v)]
    return found


def test_every_record_is_one_record_init_builds() -> None:
    """Record.__init__ takes every field by position or name and runs nothing after: no record may have a
    __post_init__, a keyword-only field or a field left out of __init__."""
    found = records()
    assert len(found) > 50 and Note in found and Loaded in found
    wrong = [f"{cls.__module__}.{cls.__qualname__}" for cls in found
             if hasattr(cls, "__post_init__") or any(not f.init or f.kw_only is True for f in dataclasses.fields(cls))]
    assert wrong == []
