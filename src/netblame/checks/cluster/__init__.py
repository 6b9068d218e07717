"""NB1xx: address planning rules over ``ClusterNetwork``."""
