"""Node DNS: pure parsers for the resolver chain's files, the analyses over a ``DnsSetup``, and
(at the edges) reading a node's tree, querying DNS servers and probing DHCP."""
