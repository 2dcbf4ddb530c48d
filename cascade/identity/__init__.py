"""Identity across a corpus: one node per real document, agency identities."""
