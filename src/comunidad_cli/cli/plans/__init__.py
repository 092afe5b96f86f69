"""`comunidad territory ...` and `comunidad plan ...`: territory selection and the local
improvement plan (`territory.py`, `plan.py`; what they share in `common.py`)."""
