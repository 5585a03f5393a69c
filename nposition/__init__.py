"""nposition: a negotiation position analyzer."""

__version__ = "0.1.0"
