"""Credentials of an aiobotocore Connect client, looked up when first awaited."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

from pytest_connect_stub.transports.credentials import _NOT_LOOKED_UP


class AsyncDeferredCredentials:
    """:class:`DeferredCredentials` for aiobotocore, whose credential chain is a coroutine.

    An aiobotocore Connect client created while a stub is active gets this object: the
    chain runs the first time the signer awaits ``get_frozen_credentials()`` (after the
    stub stopped), and its answer is kept. Tasks that await it at the same moment may each
    run the chain, as aiobotocore's session does for clients created at the same moment;
    the first answer is the one kept.
    """

    def __init__(self, look_up: Callable[[], Awaitable[Any]]) -> None:
        self._look_up = look_up
        self._found: Any = _NOT_LOOKED_UP

    async def _credentials(self) -> Any:
        if self._found is _NOT_LOOKED_UP:
            found = await self._look_up()
            if self._found is _NOT_LOOKED_UP:
                self._found = found
        return self._found

    @property
    def method(self) -> str | None:
        """How the chain found them; ``"deferred"`` until it ran, None if it found none."""
        found = self._found
        if found is _NOT_LOOKED_UP:
            return "deferred"
        return None if found is None else getattr(found, "method", None)

    async def get_frozen_credentials(self) -> ReadOnlyCredentials | None:
        """What aiobotocore's signer signs with; None (so ``NoCredentialsError``) if none."""
        found = await self._credentials()
        if found is None:
            return None
        frozen: ReadOnlyCredentials = await found.get_frozen_credentials()
        return frozen

    async def get_account_id(self) -> str | None:
        """The account ID for endpoint rules (aiobotocore awaits it when a rule needs it)."""
        found = await self._credentials()
        if found is None:
            return None
        account_id = found.get_account_id()
        if inspect.isawaitable(account_id):  # refreshable credentials answer a coroutine
            account_id = await account_id
        return None if account_id is None else str(account_id)

    def get_deferred_property(self, name: str) -> Callable[[], Awaitable[Any]]:
        """botocore's hook for values it may need later; aiobotocore awaits what it returns."""

        async def deferred() -> Any:
            return getattr(await self._credentials(), name, None)

        return deferred

    def __getattr__(self, name: str) -> Any:
        # Once the chain ran, what it found answers (access_key, refresh state). Before,
        # nothing can run it without awaiting: an AttributeError, which getattr() probes
        # with a default take as "not there".
        found = self.__dict__.get("_found", _NOT_LOOKED_UP)
        if name.startswith("_") or found is _NOT_LOOKED_UP:
            raise AttributeError(
                f"{name!r}: the credentials of a Connect client made under a stub are "
                "looked up the first time they are awaited "
                "('await credentials.get_frozen_credentials()')"
            )
        if found is None:
            raise NoCredentialsError()
        return getattr(found, name)
