"""Which nsid a namespace has, as seen from the calling thread's namespace (RTM_GETNSID, read-only).

``ip netns list-id`` names only the nsids of namespaces in /run/netns; a veth into an unnamed namespace
(a Docker container's, or the host's seen from a pod) carries an nsid nobody has named. The kernel
answers RTM_GETNSID with NETNSA_FD for any namespace file we can open. It only looks the id up
(``peernet2id``); it never assigns one, so asking changes nothing.
"""

from __future__ import annotations

import os
import socket
import struct

RTM_NEWNSID, RTM_GETNSID = 88, 90
NETNSA_NSID, NETNSA_FD = 1, 3
NLM_F_REQUEST = 1
NLMSG_ERROR = 2
_HDR = struct.Struct("=IHHII")


def nsid_of(sock: socket.socket, ns_fd: int, seq: int = 1) -> int | None:
    """The nsid the socket's namespace has for the namespace open at ``ns_fd``; None if it has none."""
    payload = struct.pack("=Bxxx", socket.AF_UNSPEC) + struct.pack("=HHI", 8, NETNSA_FD, ns_fd)
    sock.send(_HDR.pack(_HDR.size + len(payload), RTM_GETNSID, NLM_F_REQUEST, seq, 0) + payload)
    data = sock.recv(4096)
    length, kind, _, _, _ = _HDR.unpack_from(data)
    if kind != RTM_NEWNSID:
        return None
    offset = _HDR.size + 4
    while offset + 4 <= length:
        alen, atype = struct.unpack_from("=HH", data, offset)
        if alen < 4:
            break
        if atype == NETNSA_NSID:
            (value,) = struct.unpack_from("=i", data, offset + 4)
            return value if value >= 0 else None
        offset += (alen + 3) & ~3
    return None


def nsids_of(paths: dict[str, str], wanted: set[int]) -> dict[int, str]:
    """nsid -> namespace id for the namespaces in ``paths`` (id -> file) whose nsid is in ``wanted``.

    Call it in the viewing namespace (a thread that entered it); stops once every wanted nsid is found.
    """
    found: dict[int, str] = {}
    if not wanted:
        return found
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as sock:
        for seq, (ns_id, path) in enumerate(paths.items(), start=1):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                nsid = nsid_of(sock, fd, seq)
            except OSError:
                nsid = None
            finally:
                os.close(fd)
            if nsid is not None and nsid in wanted:
                found[nsid] = ns_id
                if len(found) == len(wanted):
                    break
    return found
