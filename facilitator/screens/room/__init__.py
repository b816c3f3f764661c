"""The room display: a session's segment and countdown for a projector or a second terminal."""
