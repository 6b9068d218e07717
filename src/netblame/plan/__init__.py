"""Address planning: node-block capacity, free-range search and the suggested values that every
NB1xx rule's fix uses, the cluster plan ``netblame plan`` proposes (:mod:`netblame.plan.propose`) with
the configuration files it emits (:mod:`netblame.plan.emit`), and what the physical network must
provide for a cluster (:mod:`netblame.plan.handoff`)."""
