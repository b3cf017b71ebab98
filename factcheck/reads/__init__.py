"""What the site, the desk and the API read: one module per aggregate.

``claims`` holds the one filter object (``ClaimFilter``) that the public list's
query string, the desk's filter form and the API's query schema all fill, and
the queries every list runs with it; ``speakers``, ``sources``, ``articles`` and
``ratings`` read the rows around claims. Views choose the order and what to load;
the conditions are written once, here. Nothing here writes.
"""
