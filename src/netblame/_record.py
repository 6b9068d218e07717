"""Frozen records that cost little to create at import: equality, hash, repr and immutability shared by the
dataclasses a check loads.

On Python 3.11 ``@dataclass`` writes every method it adds as source text and compiles it with ``exec``, one
compilation per method per class: a frozen class with equality, hash and repr costs six, about 0.6 ms, and
a ``netblame check`` of a few files loads some sixty such classes. A class declared

    @record
    class Lease(Record):

gets only its ``__init__`` generated. It inherits the other methods from :class:`Record`, which behave as
the generated ones do: equal only to an instance of the very same class whose compared fields are equal,
the hash of the tuple of the hashed fields, ``Lease(origin=..., client='networkd')`` over the fields shown
(``field(compare=False, hash=..., repr=False)`` are honoured; a value that contains itself shows as
``...``), and frozen: a field is set once, by ``__init__``, and assigning or deleting it afterwards raises
:class:`dataclasses.FrozenInstanceError` (type checkers see the class as frozen through
``dataclass_transform``). That takes a class's cost at import down to about a third.

The price is a Python-level ``__setattr__`` for each field an ``__init__`` sets. The few classes made in
bulk (``Origin``, ``Sourced``, ``Cidr``, ``NodeInfo``: tens of thousands for a large node list) are declared
``@dataclass(frozen=True, slots=True, eq=False, repr=False)`` on :class:`Record` instead, whose generated
``__init__`` sets fields without it.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

Getter = Callable[[Any], tuple[Any, ...]]


def _getter(names: list[str]) -> Getter:
    """A function returning the tuple of the named attributes (a tuple also for one name, or none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


class _Keys:
    """What equality, hash and repr read of one class: its compared, hashed and shown fields."""

    __slots__ = ("compared", "hashed", "shown")

    def __init__(self, cls: type) -> None:
        every = fields(cls)
        self.compared = _getter([f.name for f in every if f.compare])
        self.hashed = _getter([f.name for f in every if (f.compare if f.hash is None else f.hash)])
        self.shown = tuple(f.name for f in every if f.repr)


_KEYS: dict[type, _Keys] = {}


def _keys(cls: type) -> _Keys:
    found = _KEYS.get(cls)
    if found is None:
        found = _KEYS[cls] = _Keys(cls)
    return found


class Record:
    """Base of a frozen dataclass declared with ``eq=False, repr=False``: see the module's text."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, name):  # every field is set once, by __init__: after that the record is frozen
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = _keys(self.__class__).compared
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_keys(self.__class__).hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _keys(self.__class__).shown)
        return f"{self.__class__.__qualname__}({shown})"


T = TypeVar("T")


@dataclass_transform(eq_default=True, frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` (a subclass of :class:`Record`) a frozen record: a slotted dataclass with the generated
    ``__init__`` only. Frozen by :class:`Record`'s ``__setattr__`` (a field is set once, by ``__init__``) rather
    than by ``@dataclass(frozen=True)``, which compiles two more methods per class; type checkers see it frozen."""
    return dataclass(slots=True, eq=False, repr=False)(cls)
