"""Two BatchPutContact calls with known tokens, and how the assertion messages list them."""

from __future__ import annotations

from typing import Any

from helpers import ItemFactory

#: The source of ``make_two_calls``, for a user's test file.
SOURCE = """
from unittest import mock


def make_two_calls(client, item):
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    client.batch_put_contact(
        InstanceId="inst-2",
        ClientToken="tok-2",
        ContactDataRequestList=[item("req-2"), item("req-3", QueueId="queue-9")],
    )
"""


def make_two_calls(client: Any, item: ItemFactory) -> None:
    """The calls ``SOURCE`` makes, for in-process tests."""
    client.batch_put_contact(
        InstanceId="inst-1", ClientToken="tok-1", ContactDataRequestList=[item("req-1")]
    )
    client.batch_put_contact(
        InstanceId="inst-2",
        ClientToken="tok-2",
        ContactDataRequestList=[item("req-2"), item("req-3", QueueId="queue-9")],
    )


#: How the messages list the two calls (pprint at width 88, key order as sent).
FIRST_CALL = [
    "  [0] attempt 1, answered 200:",
    "        {'InstanceId': 'inst-1',",
    "         'ClientToken': 'tok-1',",
    "         'ContactDataRequestList': [{'RequestIdentifier': 'req-1',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-1',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}}]}",
]
SECOND_CALL = [
    "  [1] attempt 1, answered 200:",
    "        {'InstanceId': 'inst-2',",
    "         'ClientToken': 'tok-2',",
    "         'ContactDataRequestList': [{'RequestIdentifier': 'req-2',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-1',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}},",
    "                                    {'RequestIdentifier': 'req-3',",
    "                                     'CustomerEndpoint': {'Type': 'TELEPHONE_NUMBER',",
    "                                                          'Address': '+15550100'},",
    "                                     'QueueId': 'queue-9',",
    "                                     'Campaign': {'CampaignId': 'campaign-1'}}]}",
]
