"""What a trace returns, as data, after Batfish's ``Trace``/``Hop``/``Step``.

A :class:`TraceResult` holds one :class:`Trace` per branch (ECMP and other forks); each trace is the
list of namespaces the packet visited (:class:`Hop`), and each hop the :class:`Step`\\ s that decided
its fate there: what was looked up, what matched, and why.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class Disposition(enum.Enum):
    """How a packet's journey ends."""

    DELIVERED = "DELIVERED"
    EXITS_NETWORK = "EXITS_NETWORK"
    NO_ROUTE = "NO_ROUTE"
    BLACKHOLE = "BLACKHOLE"
    UNREACHABLE = "UNREACHABLE"
    PROHIBITED = "PROHIBITED"
    NEIGHBOR_FAILED = "NEIGHBOR_FAILED"
    FORWARDING_DISABLED = "FORWARDING_DISABLED"
    RP_FILTER = "RP_FILTER"
    MTU_EXCEEDED = "MTU_EXCEEDED"
    NO_FDB = "NO_FDB"
    NOT_FOR_THIS_HOST = "NOT_FOR_THIS_HOST"
    NO_TUNNEL_ENDPOINT = "NO_TUNNEL_ENDPOINT"
    LOOP = "LOOP"
    TTL_EXCEEDED = "TTL_EXCEEDED"
    DEVICE_DOWN = "DEVICE_DOWN"
    FILTERED = "FILTERED"
    REPLY_MISMATCH = "REPLY_MISMATCH"
    UNSIMULATED = "UNSIMULATED"

    @property
    def delivered(self) -> bool:
        """Whether the packet reached its destination."""
        return self is Disposition.DELIVERED

    @property
    def rank(self) -> int:
        """Badness for picking the worst ECMP branch: delivered < left the snapshot < unknown < dropped."""
        return {Disposition.DELIVERED: 0, Disposition.EXITS_NETWORK: 1, Disposition.UNSIMULATED: 2}.get(self, 3)


class StepKind(enum.Enum):
    """What a step looked at."""

    ORIGINATE = "originate"
    RECEIVE = "receive"
    ROUTE = "route"
    LOCAL = "local"
    SYSCTL = "sysctl"
    MTU = "mtu"
    TTL = "ttl"
    NEIGHBOUR = "neighbour"
    BRIDGE = "bridge"
    VETH = "veth"
    ENCAP = "encap"
    DECAP = "decap"
    UNDERLAY = "underlay"
    TRANSMIT = "transmit"
    LOOP = "loop"
    FILTER = "filter"
    NAT = "nat"
    UNSIMULATED = "unsimulated"


class Action(enum.Enum):
    """What a step did with the packet."""

    MATCHED = "matched"
    FORWARDED = "forwarded"
    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    DROPPED = "dropped"
    WARNED = "warned"


class Step:
    """One decision: ``detail`` says it in words, ``facts`` as key/value pairs for machines.

    Both may be given unrendered (a function giving the text; fact values turned into text with ``str``)
    and are rendered on first use: a trace is computed far more often than it is shown.
    """

    __slots__ = ("_detail", "_facts", "action", "kind")

    def __init__(self, kind: StepKind, action: Action, detail: str | Callable[[], str],
                 facts: tuple[tuple[str, object], ...] = ()) -> None:
        self.kind = kind
        self.action = action
        self._detail = detail
        self._facts = facts

    @property
    def detail(self) -> str:
        """The decision in words."""
        if not isinstance(self._detail, str):
            self._detail = self._detail()
        return self._detail

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """The decision as key/value strings."""
        return tuple((k, v if isinstance(v, str) else str(v)) for k, v in self._facts if v is not None)

    def _key(self) -> tuple[object, ...]:
        return (self.kind, self.action, self.detail, self.facts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Step({self.kind.value}, {self.action.value}, {self.detail!r})"


@dataclass(frozen=True, slots=True)
class Header:
    """An outer header added by a tunnel device (the nested header of an encapsulated packet)."""

    kind: str
    src: str
    dst: str
    proto: str
    dport: int | None = None
    vni: int | None = None
    overhead: int = 0


@dataclass(frozen=True, slots=True)
class Flow:
    """The packet asked about: where it starts and what it looks like."""

    start: str
    dst: str
    src: str | None = None
    start_dev: str | None = None
    proto: str = "icmp"
    dport: int | None = None
    size: int = 84
    df: bool = True
    ttl: int = 64
    mark: int = 0
    sport: int | None = None


@dataclass(frozen=True, slots=True)
class Hop:
    """A visit to one namespace: the devices crossed there, in order, and the steps taken."""

    namespace: str
    node: str
    label: str
    in_dev: str | None
    out_dev: str | None
    devices: tuple[str, ...]
    steps: tuple[Step, ...]
    encap: tuple[Header, ...] = ()


# A connection's tuple as conntrack holds it: source address, source port, destination address, destination port.
Tuple = tuple[int, int | None, int, int | None]


@dataclass(frozen=True, slots=True)
class CtEntry:
    """What conntrack in one namespace remembers of a branch's connection: the tuple as the packet arrived there
    (``original``) and as it left after that namespace's NAT (``translated``)."""

    namespace: str
    original: Tuple
    translated: Tuple

    @property
    def dnat(self) -> bool:
        """Whether the destination was translated here."""
        return self.original[2:] != self.translated[2:]

    @property
    def snat(self) -> bool:
        """Whether the source was translated here."""
        return self.original[:2] != self.translated[:2]


@dataclass(frozen=True, slots=True)
class Trace:
    """One branch of a packet's journey and how it ended. ``conntrack`` is what each namespace with packet filters
    tracked of it, ``final`` its tuple when it ended (None: never translated nor tracked), and ``reply`` the
    simulated answer from where it was delivered (:mod:`netblame.dataplane.reply`)."""

    flow: Flow
    disposition: Disposition
    hops: tuple[Hop, ...]
    src: str | None = None
    conntrack: tuple[CtEntry, ...] = ()
    final: Tuple | None = None
    reply: TraceResult | None = None

    @property
    def last(self) -> Hop | None:
        """Where the journey ended."""
        return self.hops[-1] if self.hops else None

    def device_path(self) -> tuple[tuple[str, str], ...]:
        """Every ``(namespace, device)`` the packet crossed, in order."""
        return tuple((hop.namespace, dev) for hop in self.hops for dev in hop.devices)


@dataclass(frozen=True, slots=True)
class TraceResult:
    """Every branch of a trace; ``disposition`` is the worst branch's."""

    flow: Flow
    traces: tuple[Trace, ...] = field(default_factory=tuple)

    @property
    def worst(self) -> Trace:
        """The branch with the worst outcome (the first of equals)."""
        return max(self.traces, key=lambda t: t.disposition.rank)

    @property
    def disposition(self) -> Disposition:
        """The overall verdict."""
        return self.worst.disposition

    @property
    def replies_ok(self) -> bool:
        """Whether every branch whose reply was simulated gets its reply back to the client."""
        return all(t.reply is None or t.reply.disposition.delivered for t in self.traces)
