curl -sfL https://get.k3s.io | sh -s - server --cluster-cidr 10.235.32.0/19 --service-cidr 10.235.0.0/19 --tls-san k8s.example.com --bind-address 0.0.0.0
