"""The vraag/aanbod matching engine.

Pure Python on purpose: no Flask, no SQLAlchemy, no I/O, so the engine can be tested,
benchmarked and reused without a database. The engine itself arrives with the matching issue.
"""
