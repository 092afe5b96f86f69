"""Power sharing: who holds the seats, who is in the room and whose votes carry, by class."""
