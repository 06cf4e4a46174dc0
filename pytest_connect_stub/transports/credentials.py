"""Credentials looked up when needed, not when a Connect client is made."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from botocore.credentials import Credentials, ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

_NOT_LOOKED_UP: Any = object()


class DeferredCredentials:
    """A Connect client's credentials, found by its session's own chain only when needed.

    botocore runs the credential chain when a client is created: environment, config
    files, ``credential_process``, SSO and, last, the instance-metadata service over the
    network. A Connect client created while a stub is active gets this object instead.
    The stub signs its requests with fake credentials, so under a stub the chain never
    runs; it runs once, the first time something uses these credentials (a request signed
    after the stub stopped, or code reading ``client._request_signer._credentials``), and
    its answer is kept, as botocore keeps what it found at creation.
    """

    def __init__(self, look_up: Callable[[], Credentials | None]) -> None:
        self._look_up = look_up
        self._found: Credentials | None = _NOT_LOOKED_UP
        self._lock = threading.Lock()

    def _credentials(self) -> Credentials | None:
        with self._lock:  # threads sharing the client run the chain once between them
            if self._found is _NOT_LOOKED_UP:
                self._found = self._look_up()
            return self._found

    @property
    def method(self) -> str | None:
        """How the chain found them; ``"deferred"`` until it ran, None if it found none.

        botocore reads this while it creates the client (to tell explicit keys apart): that
        must not run the chain.
        """
        found = self._found
        if found is _NOT_LOOKED_UP:
            return "deferred"
        return None if found is None else found.method

    def get_frozen_credentials(self) -> ReadOnlyCredentials | None:
        """What the signer signs with; None when the chain found nothing.

        With None, botocore's signer raises ``NoCredentialsError``, as for a client created
        without credentials.
        """
        found = self._credentials()
        return None if found is None else found.get_frozen_credentials()

    def get_deferred_property(self, name: str) -> Callable[[], Any]:
        """botocore's hook for values it may need later (the account ID of endpoint rules)."""
        return lambda: getattr(self._credentials(), name, None)

    def __getattr__(self, name: str) -> Any:
        # access_key, secret_key, token, account_id, and whatever else the credentials found
        # offer (refresh state of refreshable ones). Private names never run the chain: copy
        # and pickle probe for them.
        if name.startswith("_"):
            raise AttributeError(name)
        found = self._credentials()
        if found is None:
            raise NoCredentialsError()
        return getattr(found, name)
