"""Frozen records that cost little to create at import: construction, equality, hash, repr and immutability
shared by the dataclasses a check loads.

On Python 3.11 ``@dataclass`` writes every method it adds as source text and compiles it with ``exec``, one
compilation per method per class: a frozen class with ``__init__``, equality, hash and repr costs six, about
0.6 ms, and a ``netblame check`` of a few files loads some fifty such classes. A class declared

    @record
    class Lease(Record):

gets no generated method at all. It inherits every one from :class:`Record`, which behaves as the generated
ones do: ``__init__`` takes the fields in order, by position or by name, fills in ``default`` and
``default_factory`` values and raises the ``TypeError`` a generated one raises for a missing, unexpected or
repeated argument; equality holds only with an instance of the very same class whose compared fields are
equal; the hash is that of the tuple of the hashed fields; the repr is ``Lease(origin=..., client='networkd')``
over the fields shown (``field(compare=False, hash=..., repr=False)`` are honoured; a value that contains
itself shows as ``...``); and the record is frozen: a field is set once, by ``__init__``, and assigning or
deleting it afterwards raises :class:`dataclasses.FrozenInstanceError` (type checkers see the class as frozen,
with its generated signature, through ``dataclass_transform``). That takes a class's cost at import down to
about a sixth. What ``__init__`` reads of a class is worked out when the first instance is made.

A record has none of what ``Record.__init__`` does not do: a ``__post_init__``, keyword-only fields, fields
left out of ``__init__`` (``tests/test_records.py`` checks every record in the package; type checkers refuse a
field without a default after one with a default).

The price is a Python-level ``__init__``, a little slower per instance than a generated one. The few classes
made in bulk (``Origin``, ``Sourced``, ``Cidr``, ``NodeInfo``: tens of thousands for a large node list) are
declared ``@dataclass(frozen=True, slots=True, eq=False, repr=False)`` on :class:`Record` instead, and get the
generated ``__init__``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
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


class _Factory:
    """A field's ``default_factory``, told apart from a plain default that happens to be callable."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _Keys:
    """What a record's methods read of its class: the fields ``__init__`` takes in order (with the position
    of each and the defaults of those that have one), and the compared, hashed and shown fields."""

    __slots__ = ("compared", "defaults", "hashed", "params", "position", "shown")

    def __init__(self, cls: type) -> None:
        every = fields(cls)
        self.params = tuple(f.name for f in every)
        self.position = {name: i for i, name in enumerate(self.params)}
        self.defaults: dict[str, object] = {}
        for f in every:
            if f.default is not MISSING:
                self.defaults[f.name] = f.default
            elif f.default_factory is not MISSING:
                self.defaults[f.name] = _Factory(f.default_factory)
        self.compared = _getter([f.name for f in every if f.compare])
        self.hashed = _getter([f.name for f in every if (f.compare if f.hash is None else f.hash)])
        self.shown = tuple(f.name for f in every if f.repr)


def _init_name(obj: object) -> str:
    return f"{obj.__class__.__qualname__}.__init__()"


def _too_many(obj: object, keys: _Keys, given: int) -> str:
    """CPython's message for too many positional arguments (``self`` counted, as it counts it)."""
    most = len(keys.params) + 1
    takes = f"from {most - len(keys.defaults)} to {most}" if keys.defaults else str(most)
    plural = "s" if keys.defaults or most != 1 else ""
    return f"{_init_name(obj)} takes {takes} positional argument{plural} but {given + 1} were given"


def _listed(names: list[str]) -> str:
    """Names as CPython lists them in an argument error: 'a', 'a' and 'b', 'a', 'b', and 'c'."""
    quoted = [repr(name) for name in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return f"{', '.join(quoted[:-1])}, and {quoted[-1]}"


_KEYS: dict[type, _Keys] = {}


def _keys(cls: type) -> _Keys:
    found = _KEYS.get(cls)
    if found is None:
        found = _KEYS[cls] = _Keys(cls)
    return found


class Record:
    """Base of a record: its ``__init__``, equality, hash, repr and freezing (see the module's text)."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        keys = _keys(self.__class__)
        params = keys.params
        set_field = object.__setattr__
        for name in kwargs:  # in CPython's order: keywords first, then the count of positional arguments
            position = keys.position.get(name)
            if position is None:
                raise TypeError(f"{_init_name(self)} got an unexpected keyword argument {name!r}")
            if position < len(args):
                raise TypeError(f"{_init_name(self)} got multiple values for argument {name!r}")
        if len(args) > len(params):
            raise TypeError(_too_many(self, keys, len(args)))
        for name, value in zip(params, args, strict=False):  # fewer args than fields: the rest by name or default
            set_field(self, name, value)
        for name, value in kwargs.items():
            set_field(self, name, value)
        if len(args) + len(kwargs) < len(params):  # some fields take their defaults
            missing = []
            for name in params[len(args):]:
                if name in kwargs:
                    continue
                default = keys.defaults.get(name, MISSING)
                if default is MISSING:
                    missing.append(name)
                else:
                    set_field(self, name, default.make() if isinstance(default, _Factory) else default)
            if missing:
                plural = "argument" if len(missing) == 1 else "arguments"
                raise TypeError(f"{_init_name(self)} missing {len(missing)} required positional {plural}: "
                                f"{_listed(missing)}")

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
    """Make ``cls`` (a subclass of :class:`Record`) a frozen record: a slotted dataclass with no generated
    method, whose ``__init__``, equality, hash and repr are :class:`Record`'s. Frozen by :class:`Record`'s
    ``__setattr__`` (a field is set once, by ``__init__``) rather than by ``@dataclass(frozen=True)``, which
    compiles two more methods per class; type checkers see it frozen."""
    return dataclass(slots=True, eq=False, repr=False, init=False)(cls)
