"""The documents Facilitator prints: one template each, building a `Document` every format renders."""
