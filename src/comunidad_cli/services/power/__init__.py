"""Power sharing: the power report of a body over a period."""
