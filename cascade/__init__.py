"""cascade: Vietnamese directive and plan documents -> a knowledge graph of implementation cascades."""
__version__ = "0.1.0"
