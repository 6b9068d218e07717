"""Equality, hash and repr shared by the frozen dataclasses a check loads, so that each class costs less to
create at import.

On Python 3.11 ``@dataclass`` writes every method it adds as source text and compiles it with ``exec``, one
compilation per method per class: a frozen class with equality, hash and repr costs six, about 0.6 ms, and
a ``netblame check`` of a few files loads some sixty such classes. A class declared

    @dataclass(frozen=True, slots=True, eq=False, repr=False)
    class Lease(Record):

still gets its ``__init__`` and the frozen ``__setattr__``/``__delattr__`` generated, and inherits the three
methods below instead, which behave exactly as the generated ones do: equal only to an instance of the very
same class whose compared fields are equal, the hash of the tuple of the hashed fields, and
``Lease(origin=..., client='networkd')`` over the fields shown (``field(compare=False, hash=..., repr=False)``
are honoured; a value that contains itself shows as ``...``). That takes the class's cost at import down by
about a third.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any

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
