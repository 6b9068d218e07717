"""The frozen model records share equality, hash and repr (to be cheaper to create at import) and must behave
exactly as the methods ``@dataclass`` generates: each is compared here with a twin class that has the same
fields and the generated methods."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netblame.findings import InputRecord
from netblame.model.dns import Lease, Note
from netblame.model.origin import Origin, Sourced

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
