"""TCP probes against real listeners: a connect that completes (or not), which namespace accepted it, and
conntrack's view of the translation, compared with the model's branches.

The UDP harness (harness.py) judges a packet by counters; a Service's DNAT is better judged by a connection:
every pod namespace listens on the Service's target port, a pod connects to the Service address from a known
source port, and the kernel answers three questions the model must have answered the same way: did the
connection complete, in which namespace was it accepted (the endpoint the DNAT chose), and does conntrack, in
every namespace where the model translates, hold that translation (harness.nat_agrees).
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.dataplane.harness import TALLY, Outcome, Probe, nat_agrees
from tests.dataplane.kernel import conntrack_replies, enter, in_thread

from netblame.dataplane import Disposition, Flow, Trace, Tracer, TraceResult

D = Disposition
CONNECT_TIMEOUT = 3.0
# What a connect() that fails at once says, per kind of refusal: a TCP reset or ICMP port-unreachable, and the
# ICMP errors a REJECT can send instead.
REFUSED = {"ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EACCES", "EPERM"}


@dataclass(frozen=True)
class Answer:
    """What the kernel did with one connect: ``result`` is ``connected``, ``timeout`` or an errno name;
    ``accepted_in`` the namespace whose listener accepted it."""

    result: str
    accepted_in: str | None


class Listeners:
    """A TCP listener on ``port`` in each namespace, each in its own thread (setns changes only the calling
    thread); ``accepted`` maps a client's source port to the namespace that accepted its connection. The client
    writes its source port into the connection: a masquerade on the way may have changed the one on the wire."""

    def __init__(self, namespaces: list[str], port: int) -> None:
        self.namespaces, self.port = namespaces, port
        self.accepted: dict[int, str] = {}
        self._stop = threading.Event()
        self._ready = threading.Barrier(len(namespaces) + 1)
        self._threads = [threading.Thread(target=self._serve, args=(ns,), daemon=True) for ns in namespaces]
        self._lock = threading.Lock()

    def who(self, sport: int) -> str | None:
        """The namespace that accepted the connection from source port ``sport``, if any did."""
        with self._lock:
            return self.accepted.get(sport)

    def _serve(self, namespace: str) -> None:
        enter(namespace)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", self.port))
            sock.listen(16)
            sock.settimeout(0.1)
            self._ready.wait()
            while not self._stop.is_set():
                try:
                    conn, _ = sock.accept()
                except TimeoutError:
                    continue
                try:
                    conn.settimeout(CONNECT_TIMEOUT)
                    token = conn.recv(16).decode("ascii", "replace").strip()
                finally:
                    conn.close()
                if token.isdigit():
                    with self._lock:
                        self.accepted[int(token)] = namespace
        finally:
            sock.close()

    def __enter__(self) -> Listeners:
        for t in self._threads:
            t.start()
        self._ready.wait(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()


@contextmanager
def listening(namespaces: list[str], port: int) -> Iterator[Listeners]:
    with Listeners(namespaces, port) as listeners:
        yield listeners


def connect(src_ns: str, dst: str, port: int, sport: int, listeners: Listeners) -> Answer:
    """Connect from ``src_ns`` (source port ``sport``) to ``dst:port`` and say what happened."""

    def work() -> str:
        enter(src_ns)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", sport))
            sock.settimeout(CONNECT_TIMEOUT)
            sock.connect((dst, port))
            sock.sendall(f"{sport}\n".encode("ascii"))
            return "connected"
        except TimeoutError:
            return "timeout"
        except OSError as exc:
            return errno.errorcode.get(exc.errno or 0, str(exc.errno))
        finally:
            sock.close()

    result = in_thread(work)
    accepted = None
    if result == "connected":
        for _ in range(50):  # the listener's accept() runs in its own thread
            accepted = listeners.who(sport)
            if accepted is not None:
                break
            time.sleep(0.02)
    return Answer(result, accepted)


def judge_connect(result: TraceResult, answer: Answer, names: dict[str, str], sport: int) -> tuple[bool, str, str]:
    """Some branch must agree: DELIVERED is a completed connection accepted in the namespace where the branch
    ends, with every NAT of the branch in conntrack; FILTERED is a connection refused at once when the rule
    rejects and timing out when it drops; any other end is a connection that did not complete."""
    kernel = f"{answer.result}" + (f", accepted in {answer.accepted_in}" if answer.accepted_in else "")
    said = []
    for trace in result.traces:
        ok, model, why = _branch(trace, answer, names, sport)
        if ok:
            return True, model, kernel
        said.append(model)
        kernel += why
    return False, " | ".join(said), kernel


def _branch(trace: Trace, answer: Answer, names: dict[str, str], sport: int) -> tuple[bool, str, str]:
    last = names[trace.last.namespace] if trace.last else "?"
    d = trace.disposition
    model = f"{d.value} at {last}"
    if d is D.DELIVERED:
        if answer.result != "connected" or answer.accepted_in != last:
            return False, model, ""
        ok, why = nat_agrees(trace, names, lambda ns: conntrack_replies(ns, "tcp", sport))
        return ok, model, why
    if d is D.FILTERED:
        step = dict(trace.last.steps[-1].facts) if trace.last and trace.last.steps else {}
        want = REFUSED if step.get("verdict") == "reject" else {"timeout"}
        return answer.result in want, f"{model} ({step.get('verdict', '?')})", ""
    return answer.result != "connected", model, ""


def run_connects(tracer: Tracer, names: dict[str, str], probes: list[Probe], listeners: Listeners) -> list[Outcome]:
    """Predict and connect every probe; return the comparisons (undecided ones are named in the tally)."""
    by_name = {v: k for k, v in names.items()}
    outcomes = []
    for p in probes:
        result = tracer.trace(Flow(start=by_name[p.src_ns], dst=p.dst, proto="tcp", dport=p.port, size=60))
        answer = connect(p.src_ns, p.dst, p.port, p.sport, listeners)
        if any(t.disposition is D.UNSIMULATED for t in result.traces):
            TALLY.undecided += 1
            TALLY.undecided_probes.append(f"{p.src_label} -> {p.dst}:{p.port}/tcp ({p.dst_label})")
            continue
        ok, model, kernel = judge_connect(result, answer, names, p.sport)
        outcomes.append(Outcome(p, ok, model, kernel))
        TALLY.total += 1
        TALLY.agreed += ok
    return outcomes
