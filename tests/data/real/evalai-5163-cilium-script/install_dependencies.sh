if ! helm upgrade --install cilium cilium/cilium --version 1.19.6 \
  --namespace kube-system \
  --set ipam.mode=cluster-pool \
  --set kubeProxyReplacement=false; then
  echo "### Cilium Helm install failed" >&2
  exit 1
fi

if ! kubectl -n kube-system rollout status daemonset/cilium --timeout=120s; then
  echo "### Cilium daemonset failed to roll out" >&2
  exit 1
fi
