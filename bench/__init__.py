"""`python -m bench`: the performance figures of SPEC section 9, beside stock TinyDB in the same run."""
