"""Faust's aiokafka transport with two fixes that at-least-once delivery depends on.

* The consumer commits before it forgets revoked partitions. Faust 0.15's consumer drops the
  acked offsets of revoked partitions *before* its revocation handler waits for in-flight
  events and commits, so every event processed since the last periodic commit is processed
  again by the partition's next owner: duplicates on every rebalance. Running the handler
  first (flush, wait for acks, commit while the partitions are still ours) and forgetting
  afterwards leaves nothing to redo.
* The producer's flush waits for every buffered message. Table changes reach the changelog
  through Faust's producer buffer, whose flush gives up after 0.1 s without a send and does
  not see the message its sender has taken off the queue but not yet handed to aiokafka. On
  a busy machine an event could then be acknowledged (and its offset committed) while its
  table changes were still in the process: a crash lost them, and the work they recorded.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP
from faust.types.tuples import FutureMessage


class _Consumer(aiokafka_driver.Consumer):
    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        await self._on_partitions_revoked(revoked)
        if self._active_partitions is not None:
            self._active_partitions.difference_update(revoked)
        self._paused_partitions.difference_update(revoked)
        for tp in revoked:
            for state in (self._gap, self._acked, self._acked_index, self._read_offset, self._committed_offset):
                state.pop(tp, None)


class _Producer(aiokafka_driver.Producer):
    _buffered: set[FutureMessage] | None = None

    def send_soon(self, fut: FutureMessage) -> None:
        if self._buffered is None:
            self._buffered = set()
        self._buffered.add(fut)
        fut.add_done_callback(self._buffered.discard)
        super().send_soon(fut)

    async def flush(self) -> None:
        await super().flush()
        if not self._buffered:
            return
        # Each future resolves when the broker has the message (or its send failed).
        await asyncio.wait(set(self._buffered))


class _Transport(aiokafka_driver.Transport):
    Consumer = _Consumer
    Producer = _Producer


class App(faust.App):
    """`faust.App` on the transport above."""

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)
