"""Exchange between instances (issue 13): the instance's identity and signing keys, the peers it
trusts, signed envelopes, an outbox that never loses a message and an inbox that stores each once.
See docs/federation.md."""
