"""Address planning: node-block capacity, free-range search and the suggested values that every
NB1xx rule's fix uses (:mod:`netblame.plan.address`), over what the cluster model says each CNI takes
its addresses from (:mod:`netblame.plan.cluster`)."""
