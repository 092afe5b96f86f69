"""Territory selection and the local improvement plan: the pure rules (no I/O, no clock).

`territory.py` reads a selection rule and scores candidate territories exactly;
`needs.py` judges a plan's needs (ranks 1..n) and which plan version is in force.
"""
