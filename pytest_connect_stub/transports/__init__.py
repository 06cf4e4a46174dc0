"""Transports: one thin adapter per client library, each handing requests to ``http.Handler``.

``botocore`` patches botocore's HTTP send, signer, retry sleep and client creation. Each
adapter is switched on when the first stub starts and off when the last one stops (see
``activation``); none is imported before a stub starts, so loading the pytest plugin costs
nothing.
"""
