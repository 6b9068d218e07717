"""Node DNS: the pure analysis of the resolver chain over a ``DnsSetup`` (which backend configures
a link, what the resolver and kubelet use, how names expand). Reading files is :mod:`netblame.sources`;
reading a node's tree, querying DNS servers and probing DHCP is :mod:`netblame.live`."""
