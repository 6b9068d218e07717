helm upgrade --install cilium cilium/cilium --namespace kube-system --version 1.15.7 --set ipam.operator.clusterPoolIPv4PodCIDRList[0]=192.168.0.0/16  
