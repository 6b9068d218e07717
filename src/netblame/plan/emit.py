"""The configuration files of a :class:`~netblame.plan.propose.ClusterPlan`: the distribution's and the
CNI's, as text (pure; the key names and where each file goes are listed with sources in docs/plan.md)."""

from __future__ import annotations

import json

from netblame._record import Record, record
from netblame.plan.propose import DEFAULT_MAX_PODS, DEFAULT_NODE_MASK, ClusterPlan, FamilyPlan


@record
class Emitted(Record):
    """One file: its name in ``--write DIR``, what it is and where it goes, its text."""

    name: str
    what: str
    text: str


def _csv(plan: ClusterPlan, attr: str) -> str:
    return ",".join(str(getattr(f, attr)) for f in plan.families)


def _mask_args(plan: ClusterPlan) -> list[tuple[str, str]]:
    """kube-controller-manager node-mask flags, per family (always explicit: the plan was made for them)."""
    return [(f"node-cidr-mask-size-ipv{f.family}", str(f.node_mask)) for f in plan.families]


def _yaml_list(items: list[str], indent: int) -> str:
    pad = " " * indent
    return "".join(f"{pad}- {item}\n" for item in items)


def _header(plan: ClusterPlan, tool: str) -> str:
    r = plan.request
    return (f"# {tool}: written by netblame plan --nodes {r.nodes} --growth {r.growth} --max-pods {r.max_pods}"
            f" ({'/'.join(f'IPv{f.family}' for f in plan.families)})\n")


def kubeadm(plan: ClusterPlan) -> Emitted:
    args = "".join(f"    - name: {k}\n      value: \"{v}\"\n" for k, v in _mask_args(plan))
    text = (_header(plan, "kubeadm init --config kubeadm.yaml")
            + "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
            f"  podSubnet: {_csv(plan, 'pod_cidr')}\n  serviceSubnet: {_csv(plan, 'service_cidr')}\n"
            f"  dnsDomain: {plan.dns_domain}\ncontrollerManager:\n  extraArgs:\n{args}")
    if plan.request.max_pods != DEFAULT_MAX_PODS:
        text += ("---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                 f"maxPods: {plan.request.max_pods}\n")
    return Emitted("kubeadm.yaml", "kubeadm ClusterConfiguration (kubeadm init --config kubeadm.yaml)", text)


def _rancher_lines(plan: ClusterPlan) -> str:
    kcm = [f"{k}={v}" for k, v in _mask_args(plan)]
    text = (f"cluster-cidr: {_csv(plan, 'pod_cidr')}\nservice-cidr: {_csv(plan, 'service_cidr')}\n"
            f"cluster-dns: {plan.dns_ip}\ncluster-domain: {plan.dns_domain}\n"
            f"kube-controller-manager-arg:\n{_yaml_list(kcm, 2)}")
    if plan.request.max_pods != DEFAULT_MAX_PODS:
        text += f"kubelet-arg:\n{_yaml_list([f'max-pods={plan.request.max_pods}'], 2)}"
    return text


def k3s(plan: ClusterPlan) -> Emitted:
    text = _header(plan, "k3s server: /etc/rancher/k3s/config.yaml") + _rancher_lines(plan)
    if plan.request.cni == "flannel":  # k3s's bundled Flannel takes cluster-cidr: no separate Flannel manifest
        text += "flannel-backend: vxlan\n"
    elif plan.request.cni is not None:  # another CNI: k3s's bundled Flannel and policy controller off
        text += "flannel-backend: none\ndisable-network-policy: true\n"
    return Emitted("k3s-config.yaml", "k3s server configuration (/etc/rancher/k3s/config.yaml)", text)


def rke2(plan: ClusterPlan) -> Emitted:
    cni = plan.request.cni or "canal"
    cni = cni if cni in RKE2_CNIS else "none"  # RKE2 bundles these; any other CNI is installed after
    text = _header(plan, "rke2 server: /etc/rancher/rke2/config.yaml") + f"cni: {cni}\n" + _rancher_lines(plan)
    return Emitted("rke2-config.yaml", "RKE2 server configuration (/etc/rancher/rke2/config.yaml)", text)


def k0s(plan: ClusterPlan) -> Emitted:
    v4, v6 = plan.family(4), plan.family(6)
    first = v4 or v6
    assert first is not None
    provider = {"calico": "calico", "kube-router": "kuberouter", None: "kuberouter"}.get(plan.request.cni, "custom")
    net = (f"    provider: {provider}\n    podCIDR: {first.pod_cidr}\n    serviceCIDR: {first.service_cidr}\n"
           f"    clusterDomain: {plan.dns_domain}\n")
    if v4 is not None and v6 is not None:
        net += (f"    dualStack:\n      enabled: true\n      IPv6podCIDR: {v6.pod_cidr}\n"
                f"      IPv6serviceCIDR: {v6.service_cidr}\n")
    args = "".join(f"      {k}: \"{v}\"\n" for k, v in _mask_args(plan))
    text = (_header(plan, "k0s install controller -c k0s.yaml")
            + "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n"
            f"  network:\n{net}  controllerManager:\n    extraArgs:\n{args}")
    return Emitted("k0s.yaml", "k0s ClusterConfig (spec.network; k0s install controller -c k0s.yaml)", text)


def microk8s(plan: ClusterPlan) -> Emitted:
    base = "/var/snap/microk8s/current/args"
    pods, svcs = _csv(plan, "pod_cidr"), _csv(plan, "service_cidr")
    masks = " ".join(f"--{k}={v}" for k, v in _mask_args(plan))
    lines = [f"{base}/kube-apiserver: --service-cluster-ip-range={svcs}",
             f"{base}/kube-controller-manager: --cluster-cidr={pods} {masks}",
             f"{base}/kube-proxy: --cluster-cidr={pods}",
             f"{base}/kubelet: --cluster-dns={plan.dns_ip} --cluster-domain={plan.dns_domain}"
             + (f" --max-pods={plan.request.max_pods}" if plan.request.max_pods != DEFAULT_MAX_PODS else ""),
             f"{base}/cni-network/cni.yaml: CALICO_IPV4POOL_CIDR value \"{plan.primary.pod_cidr}\""]
    text = (_header(plan, "MicroK8s: add each line's flags to the file named before the colon, then "
                          "microk8s stop && microk8s start") + "".join(f"{line}\n" for line in lines))
    return Emitted("microk8s-args.txt", "MicroK8s argument files (/var/snap/microk8s/current/args/*)", text)


def talos(plan: ClusterPlan) -> Emitted:
    cni = {"flannel": "flannel", None: "flannel"}.get(plan.request.cni, "none")
    args = "".join(f"      {k}: \"{v}\"\n" for k, v in _mask_args(plan))
    text = (_header(plan, "talosctl gen config --config-patch @talos-patch.yaml")
            + "cluster:\n  network:\n    dnsDomain: " + plan.dns_domain + "\n"
            f"    podSubnets:\n{_yaml_list([str(f.pod_cidr) for f in plan.families], 6)}"
            f"    serviceSubnets:\n{_yaml_list([str(f.service_cidr) for f in plan.families], 6)}"
            f"    cni:\n      name: {cni}\n  controllerManager:\n    extraArgs:\n{args}")
    if plan.request.max_pods != DEFAULT_MAX_PODS:
        text += f"machine:\n  kubelet:\n    extraArgs:\n      max-pods: \"{plan.request.max_pods}\"\n"
    return Emitted("talos-patch.yaml", "Talos machine configuration patch (cluster.network)", text)


# CNIs a distribution deploys itself from its own settings: their own files would be a second, unused copy.
RKE2_CNIS = ("canal", "cilium", "calico", "flannel")  # rke2 --cni (docs.rke2.io/networking/basic_network_options)
BUNDLED: frozenset[tuple[str, str]] = frozenset({("k3s", "flannel"), ("rke2", "flannel"), ("talos", "flannel"),
                                                 ("k0s", "kube-router")})

DISTRIBUTION_EMITTERS = {"kubeadm": kubeadm, "k3s": k3s, "rke2": rke2, "k0s": k0s, "microk8s": microk8s,
                         "talos": talos}


def _cilium_settings(plan: ClusterPlan) -> list[tuple[str, str]]:
    out = [("ipam.mode", "cluster-pool")]
    v4, v6 = plan.family(4), plan.family(6)
    if v4 is None:
        out.append(("ipv4.enabled", "false"))
    if v6 is not None:
        out.append(("ipv6.enabled", "true"))
    for f in (x for x in (v4, v6) if x is not None):
        out += [(f"ipam.operator.clusterPoolIPv{f.family}PodCIDRList", f"{{{f.pod_cidr}}}"),
                (f"ipam.operator.clusterPoolIPv{f.family}MaskSize", str(f.node_mask))]
    return out


def cilium_install_line(plan: ClusterPlan) -> str:
    """``cilium install`` with the same settings as the Helm values."""
    return "cilium install " + " ".join(f"--set '{k}={v}'" if "{" in v else f"--set {k}={v}"
                                        for k, v in _cilium_settings(plan))


def cilium(plan: ClusterPlan) -> Emitted:
    v4, v6 = plan.family(4), plan.family(6)
    op = "".join(f"    clusterPoolIPv{f.family}PodCIDRList:\n      - {f.pod_cidr}\n"
                 f"    clusterPoolIPv{f.family}MaskSize: {f.node_mask}\n" for f in (v4, v6) if f is not None)
    text = (_header(plan, "helm install cilium cilium/cilium -n kube-system -f cilium-values.yaml")
            + f"# or: {cilium_install_line(plan)}\n"
            + ("ipv4:\n  enabled: false\n" if v4 is None else "")
            + ("ipv6:\n  enabled: true\n" if v6 is not None else "")
            + f"ipam:\n  mode: cluster-pool\n  operator:\n{op}")
    return Emitted("cilium-values.yaml", "Cilium Helm values (helm install ... -f cilium-values.yaml)", text)


def _calico_pool(f: FamilyPlan) -> str:
    return (f"      - cidr: {f.pod_cidr}\n        blockSize: {f.cni_block}\n        encapsulation: VXLANCrossSubnet\n"
            "        natOutgoing: Enabled\n        nodeSelector: all()\n")


def calico(plan: ClusterPlan) -> list[Emitted]:
    pools = "".join(_calico_pool(f) for f in plan.families)
    installation = (_header(plan, "kubectl create -f calico-installation.yaml (operator install)")
                    + "apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n"
                    f"  calicoNetwork:\n    ipPools:\n{pools}")
    ippools = "---\n".join(
        "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n"
        f"  name: default-ipv{f.family}-ippool\nspec:\n  cidr: {f.pod_cidr}\n  blockSize: {f.cni_block}\n"
        "  ipipMode: Never\n  vxlanMode: CrossSubnet\n  natOutgoing: true\n  nodeSelector: all()\n"
        for f in plan.families)
    return [Emitted("calico-installation.yaml", "Calico operator Installation (use this or the IPPool)",
                    installation),
            Emitted("calico-ippool.yaml", "Calico IPPool (manifest installs: calicoctl apply -f calico-ippool.yaml)",
                    _header(plan, "calicoctl apply -f calico-ippool.yaml") + ippools)]


def flannel(plan: ClusterPlan) -> Emitted:
    conf: dict[str, object] = {}
    v4, v6 = plan.family(4), plan.family(6)
    if v4 is not None:
        conf["Network"] = str(v4.pod_cidr)
        if v4.node_mask != DEFAULT_NODE_MASK[4]:
            conf["SubnetLen"] = v4.node_mask
    else:
        conf["EnableIPv4"] = False
    if v6 is not None:
        conf["EnableIPv6"] = True
        conf["IPv6Network"] = str(v6.pod_cidr)
        if v6.node_mask != DEFAULT_NODE_MASK[6]:
            conf["IPv6SubnetLen"] = v6.node_mask
    conf["Backend"] = {"Type": "vxlan"}
    return Emitted("net-conf.json", "Flannel net-conf.json (ConfigMap kube-flannel-cfg, key net-conf.json)",
                   json.dumps(conf, indent=2) + "\n")


def kube_router(plan: ClusterPlan) -> Emitted:
    """The kube-router container's args (daemonset/kubeadm-kuberouter.yaml): pod routes over BGP and network
    policy, kube-proxy kept. kube-router takes each node's pod range from its spec.podCIDR, which
    kube-controller-manager allocates from the pod range (docs/user-guide.md), so no range is given here."""
    pods = _csv(plan, "pod_cidr")
    text = (_header(plan, "kube-router: the args of the kube-router container in its DaemonSet")
            + f"# pod ranges: each node's spec.podCIDR, allocated by kube-controller-manager from {pods}\n"
            + _yaml_list(["--run-router=true", "--run-firewall=true", "--run-service-proxy=false"], 0))
    return Emitted("kube-router-args.yaml", "kube-router DaemonSet container args (daemonset/kubeadm-kuberouter.yaml)",
                   text)


def antrea(plan: ClusterPlan) -> list[Emitted]:
    """antrea-agent.conf and antrea-controller.conf (the antrea-config ConfigMap's keys): Geneve encapsulation,
    the service range, and node IPAM left to kube-controller-manager (build/charts/antrea/conf/*.conf)."""
    v4, v6 = plan.family(4), plan.family(6)
    agent = (_header(plan, "antrea-agent.conf (ConfigMap antrea-config, key antrea-agent.conf)")
             + 'trafficEncapMode: "encap"\ntunnelType: "geneve"\n'
             + (f'serviceCIDR: "{v4.service_cidr}"\n' if v4 is not None else "")
             + (f'serviceCIDRv6: "{v6.service_cidr}"\n' if v6 is not None else ""))
    controller = (_header(plan, "antrea-controller.conf (ConfigMap antrea-config, key antrea-controller.conf)")
                  + f"# kube-controller-manager allocates each node's podCIDR from {_csv(plan, 'pod_cidr')}\n"
                  + "nodeIPAM:\n  enableNodeIPAM: false\n")
    return [Emitted("antrea-agent.conf", "Antrea agent configuration (ConfigMap antrea-config)", agent),
            Emitted("antrea-controller.conf", "Antrea controller configuration (ConfigMap antrea-config)", controller)]


def emit(plan: ClusterPlan) -> list[Emitted]:
    """Every file of the plan: the distribution's, then the CNI's (none when the distribution deploys it)."""
    out = [DISTRIBUTION_EMITTERS[plan.request.distribution](plan)]
    cni = plan.request.cni
    if cni is None or (plan.request.distribution, cni) in BUNDLED:
        return out
    if cni == "cilium":
        out.append(cilium(plan))
    elif cni == "calico":
        out += calico(plan)
    elif cni == "flannel":
        out.append(flannel(plan))
    elif cni == "kube-router":
        out.append(kube_router(plan))
    elif cni == "antrea":
        out += antrea(plan)
    return out
