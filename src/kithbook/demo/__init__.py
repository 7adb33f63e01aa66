"""The demo network: a believable small-business network, generated offline."""
