"""An exception the API client was not built to raise (a bug below the sync) stops the sync
with a plain reason that names the type only, never the exception's text (which may hold
anything: a URL, a token), and ``wake`` (the console's ``r`` and its backoff) starts it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from artistree_tui.demo import DemoServer

from .conftest import Run

SECRET = "presigned-signature-0123456789"


async def test_an_unexpected_error_stops_the_sync_and_wake_resumes_it(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=300, seed=3, new_order_every=0)
    run = syncing(server)
    real = run.client.list_orders
    failures = [1]

    async def list_orders(*args: Any, **options: Any) -> Any:
        if failures:
            failures.pop()
            raise RuntimeError(f"bug with {SECRET} in its message")
        return await real(*args, **options)

    run.client.list_orders = list_orders  # type: ignore[method-assign]
    run.start()
    stopped = await run.until(lambda p: p.phase == "stopped")
    assert stopped.error == "unexpected error (RuntimeError)"
    assert SECRET not in repr(stopped)
    assert run.task is not None and not run.task.done()  # stopped, not dead: it can be woken
    run.engine.wake()
    done = await run.until(lambda p: p.complete)
    assert done.indexed == 300 and done.error is None
    await run.stop()
