"""Faust's aiokafka transport with three fixes that at-least-once delivery depends on.

* The consumer commits before it forgets revoked partitions. Faust 0.15's consumer drops the
  acked offsets of revoked partitions *before* its revocation handler waits for in-flight
  events and commits, so every event processed since the last periodic commit is processed
  again by the partition's next owner: duplicates on every rebalance. Running the handler
  first (flush, wait for acks, commit while the partitions are still ours) and forgetting
  afterwards leaves nothing to redo.
* After a rebalance, input is read from the committed offsets, and nothing fetched before is
  delivered. Faust's recovery resumes the input partitions while the fetcher runs, seeks them
  to their committed offsets, and only then empties the streams' queues (`flow_control.resume`):
  records the fetcher delivered into the queues meanwhile were dropped, while the consumer's
  position and read offset had moved past them, so they were never handed to an agent. Records
  fetched from a stale position before the seek also counted the offsets they skipped as done
  (Faust's gaps), so a commit could pass records never processed. The consumer now holds back
  every input record from the start of a rebalance until it is over, then, in the fetcher's own
  task (nothing is being delivered), seeks each input partition to its committed offset (one
  without, to its beginning, as a new consumer reading from the earliest would) and delivers
  from there.
* The producer's flush waits for every buffered message. Table changes reach the changelog
  through Faust's producer buffer, whose flush gives up after 0.1 s without a send and does
  not see the message its sender has taken off the queue but not yet handed to aiokafka. On
  a busy machine an event could then be acknowledged (and its offset committed) while its
  table changes were still in the process: a crash lost them, and the work they recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import faust
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP, Message
from faust.types.tuples import FutureMessage


class _Consumer(aiokafka_driver.Consumer):
    # Input records are held back (fetched, not delivered) from the start of a rebalance until
    # the fetcher has sought the input partitions to their committed offsets after it; each
    # rebalance counts one more hold, so that a seek that ran into a new one does not end it.
    _holding = False
    _holds = 0

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        self._hold()
        await self._on_partitions_revoked(revoked)
        if self._active_partitions is not None:
            self._active_partitions.difference_update(revoked)
        self._paused_partitions.difference_update(revoked)
        for tp in revoked:
            for state in (self._gap, self._acked, self._acked_index, self._read_offset, self._committed_offset):
                state.pop(tp, None)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        self._hold()
        await super().on_partitions_assigned(assigned, generation_id)

    def release(self, message: Message) -> None:
        """Stop counting a delivered message as in flight, without acknowledging it: it is
        acknowledged later (or, after a rebalance, delivered again), and a rebalance must not
        wait for it."""
        self._unacked_messages.discard(message)

    def _hold(self) -> None:
        self._holding = True
        self._holds += 1

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        if self._holding and not self.app.rebalancing and not self.should_stop:
            await self._seek_input_to_committed()
        async for tp, message in super().getmany(timeout):
            if self._holding and not self._is_changelog_tp(tp):
                continue  # fetched again after the seek
            yield tp, message

    async def _seek_input_to_committed(self) -> None:
        holds = self._holds
        assignment = self.assignment()
        try:
            if assignment:
                await self.perform_seek()
                fresh = [
                    tp for tp in assignment if not self._is_changelog_tp(tp) and not self._committed_offset.get(tp)
                ]
                if fresh and self.app.conf.consumer_auto_offset_reset == "earliest":
                    for tp, offset in (await self.earliest_offsets(*fresh)).items():
                        await self.seek(tp, offset)
        except Exception as exc:  # a new rebalance began: seek once it is over
            self.log.warning("Seek to committed offsets after a rebalance failed: %r", exc)
            return
        if holds == self._holds:
            self._holding = False


class _Producer(aiokafka_driver.Producer):
    _buffered: set[FutureMessage] | None = None

    def send_soon(self, fut: FutureMessage) -> None:
        if self._buffered is None:
            self._buffered = set()
        self._buffered.add(fut)
        fut.add_done_callback(self._buffered.discard)
        super().send_soon(fut)

    def in_flight(self) -> list[FutureMessage]:
        """The messages buffered or being sent (table changes among them), as they are now."""
        return list(self._buffered or ())

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
