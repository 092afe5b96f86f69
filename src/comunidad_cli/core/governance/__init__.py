"""Governance: seats, presence, quorum, votes and tallies, judged from facts passed in.

Pure: no I/O, no database, no clock. Services load the facts, call these functions and
store what they return; refusals and explanations are `Msg` data, translated at the edge.
"""
