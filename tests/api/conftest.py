"""tests/api: the API client, OAuth, retries, the tolerant parser, TLS and the safe asset
fetcher, against the demo server over real loopback HTTP (httpx.MockTransport only for what
the demo cannot provoke).

No fixtures of its own: the servers are tests/conftest.py's (``demo_server``, ``make_demo``,
``server`` from a module's ``DEMO``); the recording clients, fake sleep and fake clock are
in tests/support/api.py.
"""
