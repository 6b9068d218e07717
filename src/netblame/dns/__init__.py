"""The node's resolver chain: DHCP offers, networkd/netplan, systemd-resolved, kubelet, CoreDNS."""
