"""The background job queue: Huey, with SQLite storage by default and Redis when set.

`queue.huey` is the one Huey instance; `tasks` holds what it runs. The state a
person sees (queued, running, done, failed) is kept in the ``jobs`` table by
`factcheck.services.jobs`, not in Huey.
"""
