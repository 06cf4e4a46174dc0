"""The contacts the simulated service creates: their records, and their ContactIds."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from .bodies import read_again


class SentItems:
    """The ContactDataRequestList of one request, decoded afresh from its bytes when first read.

    Contacts read their items from here rather than sharing the dicts of the ``Call`` record:
    a test editing one record cannot change the other. Decoding waits for the first read, so
    a call whose contacts nobody reads costs no copy.
    """

    __slots__ = ("_body", "_items")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._items: list[dict[str, Any]] | None = None

    def __getitem__(self, index: int) -> dict[str, Any]:
        if self._items is None:
            self._items = read_again(self._body, fast=False)["ContactDataRequestList"]
        return self._items[index]


class Contact(Mapping[str, Any]):
    """A contact the stub created: the ContactDataRequest as sent, plus where it landed.

    Reads like the request (``contact["CustomerEndpoint"]["Address"]``) and carries
    ``contact_id``, ``instance_id`` and ``client_token`` as attributes. Its data is its own
    copy: editing it leaves the ``Call`` record alone, and the other way round.
    """

    __slots__ = ("_index", "_sent", "client_token", "contact_id", "instance_id")

    def __init__(
        self,
        contact_id: str,
        instance_id: str,
        client_token: str | None,
        sent: SentItems,
        index: int,
    ) -> None:
        self.contact_id = contact_id
        self.instance_id = instance_id
        self.client_token = client_token
        self._sent = sent
        self._index = index

    @property
    def _request(self) -> dict[str, Any]:
        return self._sent[self._index]

    def __getitem__(self, key: str) -> Any:
        return self._request[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._request)

    def __len__(self) -> int:
        return len(self._request)

    @property
    def request_identifier(self) -> str | None:
        """The item's RequestIdentifier, if it had one."""
        return self._request.get("RequestIdentifier")

    def __repr__(self) -> str:
        return (
            f"Contact(contact_id={self.contact_id!r}, instance_id={self.instance_id!r}, "
            f"request={self._request!r})"
        )


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
#: A random hex digit -> the variant digit of a UUID (RFC 4122: high bits ``10``).
_VARIANT_DIGIT = bytes.maketrans(b"0123456789abcdef", b"89ab89ab89ab89ab")


class ContactIds:
    """UUID4 ContactIds: random by default, a repeatable sequence with a seed."""

    def __init__(self, seed: int | None) -> None:
        self._random = None if seed is None else random.Random(seed)

    def take(self, count: int) -> list[str]:
        """Return ``count`` new ContactIds."""
        if count == 0:
            return []
        if self._random is None:
            return random_uuid4s(count)
        digits = f"{self._random.getrandbits(128 * count):0{32 * count}x}"
        # Version 4, RFC 4122 variant; this formula keeps a seed's sequence what it was.
        return [
            f"{digits[i : i + 8]}-{digits[i + 8 : i + 12]}-4{digits[i + 13 : i + 16]}-"
            f"{_VARIANT[digits[i + 16]]}{digits[i + 17 : i + 20]}-{digits[i + 20 : i + 32]}"
            for i in range(0, 32 * count, 32)
        ]


def random_uuid4s(count: int) -> list[str]:
    """``count`` random UUID4 strings, from one ``os.urandom`` draw.

    Random hex text, 37 characters per UUID, gets its dashes, version, variant and a
    comma written over it one column of the whole batch at a time, then is split at the
    commas: a few operations per batch instead of several per UUID.
    """
    text = bytearray(os.urandom((37 * count + 1) // 2).hex(), "ascii")
    dashes = b"-" * count
    text[8::37] = text[13::37] = text[18::37] = text[23::37] = dashes
    text[14::37] = b"4" * count
    text[19::37] = text[19::37].translate(_VARIANT_DIGIT)
    text[36::37] = b"," * count
    del text[37 * count - 1 :]
    return text.decode("ascii").split(",")


class Created(NamedTuple):
    """The contacts one batch created: item indexes and ContactIds, in the same order."""

    indexes: Sequence[int]
    contact_ids: Sequence[str]
    instance_id: str
    client_token: str | None
    sent: SentItems
