"""`comunidad region ...`: the regional view across a workspace's partnerships."""
