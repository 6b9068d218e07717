"""Known lines of CoreDNS.

Every format string is copied from the named upstream file (or the commit that removed it, for lines
older releases still print); every example is a line users pasted (``example_source`` is the thread)
or the format string with its verbs filled in.
"""

from __future__ import annotations

from netblame.logs.pattern import Component, LogPattern, github

COREDNS = "coredns/coredns"
INSTANTIATED = "the upstream format string, instantiated"

PATTERNS: tuple[LogPattern, ...] = (
    LogPattern(
        id="coredns-loop",
        component=Component.COREDNS,
        formats=('Loop (%s -> %s) detected for zone %q, see https://coredns.io/plugins/loop#troubleshooting. '
                 'Query: "HINFO %s"',),
        source=github(COREDNS, "plugin/loop/loop.go") + "; causes in " + github(COREDNS, "plugin/loop/README.md"),
        meaning="CoreDNS forwards to itself: 'forward . /etc/resolv.conf' reads the node's resolv.conf, which "
                "points at a local stub (127.0.0.53, systemd-resolved) or back at CoreDNS, so CoreDNS exits and "
                "crash-loops",
        next_step="netblame dns  (NB203: kubelet resolvConf with only loopback nameservers; NB207: CoreDNS "
                  "forwards to itself)",
        example='plugin/loop: Loop (127.0.0.1:55953 -> :1053) detected for zone ".", see '
                'https://coredns.io/plugins/loop#troubleshooting. Query: '
                '"HINFO 4547991504243258144.3688648895315093531."',
        example_source=github(COREDNS, "plugin/loop/README.md") + " (the example it shows)",
        rules=("NB203", "NB207"),
    ),
    LogPattern(
        id="coredns-upstream-timeout",
        component=Component.COREDNS,
        # errors plugin: logFunc("%d %s %s: %s", rcode, name, type, err) with Go's net error text
        formats=("plugin/errors: %d %s %s: read udp %s->%s: i/o timeout",),
        source=github(COREDNS, "plugin/errors/errors.go"),
        meaning="CoreDNS forwarded a query and the upstream never answered: the upstream in the node's "
                "resolv.conf (or the forward line) is unreachable from the CoreDNS pod, or drops the query "
                "(HINFO queries at start-up are the loop plugin's probes)",
        next_step="netblame dns (which upstream CoreDNS uses and where it comes from); "
                  "netblame trace <coredns pod> <upstream>:53/udp",
        example="[ERROR] plugin/errors: 2 svc-datadog-agent-dogstatsd.datadog-agent.toyota-europe.com. SRV: read "
                "udp 192.168.86.18:56917->150.45.86.241:53: i/o timeout",
        example_source="https://github.com/coredns/coredns/issues/5179",
        rules=("NB207",),
    ),
    LogPattern(
        id="coredns-api-connection-failure",
        component=Component.COREDNS,
        formats=("Kubernetes API connection failure: %s",),
        source="coredns/coredns commit 74d4e9bb1 'kubernetes: log server start delay and api connection failures' "
               "(plugin/kubernetes/kubernetes.go; removed again in 06cd84391), "
               "https://github.com/coredns/coredns/commit/74d4e9bb1",
        meaning="CoreDNS cannot reach the API server through the kubernetes Service (10.96.0.1 by default) "
                "from its pod: the pod network or kube-proxy on that node is not working",
        next_step="netblame trace <coredns pod> 10.96.0.1:443/tcp; kubectl -n kube-system get pods -o wide "
                  "(kube-proxy and the CNI pod on that node)",
        example='[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get '
                '"https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: i/o timeout',
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="coredns-waiting-for-api",
        component=Component.COREDNS,
        formats=("waiting for Kubernetes API before starting server",
                 "starting server with unsynced Kubernetes API"),
        source=github(COREDNS, "plugin/kubernetes/kubernetes.go"),
        meaning="CoreDNS has not synced Services and Endpoints from the API server; if it starts unsynced, "
                "cluster names do not resolve",
        next_step="netblame trace <coredns pod> 10.96.0.1:443/tcp",
        example="[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="coredns-plugins-not-ready",
        component=Component.COREDNS,
        formats=("Still waiting on: %q", "Plugins not ready: %q"),
        source=github(COREDNS, "plugin/ready/ready.go") + " ('Plugins not ready'; releases before commit "
        "52b3172b2 print 'Still waiting on')",
        meaning="CoreDNS' readiness endpoint fails because a plugin (usually kubernetes) is not ready, so the "
                "pod is not Ready and gets no traffic from the kube-dns Service",
        next_step="look for coredns-api-connection-failure above it; netblame trace <coredns pod> 10.96.0.1:443/tcp",
        example='[INFO] plugin/ready: Still waiting on: "kubernetes"',
        example_source=INSTANTIATED,
    ),
)
