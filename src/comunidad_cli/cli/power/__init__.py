"""`comunidad power ...`: power sharing by membership class."""
