"""The live-session engine: agenda and timer, pure and clock-driven."""
