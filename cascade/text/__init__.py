"""Text as read -> clean text with an offset map back to it (normalisation, legacy 8-bit encodings)."""
