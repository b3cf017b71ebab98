"""The operations: each takes the acting user and plain inputs, checks policy and
workflow, changes rows, writes the audit event and commits once.

Views, the API and the CLI all call these.
"""
