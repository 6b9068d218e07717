"""What the physical network must provide for a cluster (``netblame handoff``): the ports and protocols
(:mod:`netblame.underlay.ports`), the MTU, routes or BGP peering and DHCP/DNS the nodes expect, checked
against node snapshots (:mod:`netblame.underlay.handoff`, :mod:`netblame.underlay.node_facts`), and the
router and DHCP server configuration that provides them (:mod:`netblame.underlay.router`). Pure analyses
of the model; the tunnel overheads come from the data-plane model's one table (``dataplane.encap``)."""
