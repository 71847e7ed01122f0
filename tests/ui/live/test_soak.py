"""Soak test: the console headless through a simulated eight-hour shift against the demo API
with every fault on (latency, 429, 5xx, dropped connections, malformed answers, tokens that
expire every ten simulated minutes) while new orders arrive and a scripted reviewer moves
around. It must end with no crash, the list equal to the server's truth (every order, the
same ids in the same order, nothing lost or listed twice; the newest page with the server's
states) and memory that plateaus.

Marked slow (about half a minute) but run in CI. ``bench/soak_rss.py`` runs a longer one and
prints the RSS curve.
"""

from __future__ import annotations

import pytest

from tests.support.soak import run_soak

pytestmark = pytest.mark.slow

#: MiB the process may grow in the second half of the shift: a bound on a leak (steady state
#: should be flat), generous because RSS also moves with the allocator and the demo's threads.
GROWTH_BOUND_MB = 20.0
#: Steps of the shift, 4 simulated minutes each (a reviewer's key every third). Half the
#: steps of the shift as it was (240 of 2 minutes) with twice the fault rates: the same
#: kinds and about as many faults (a few percent of fewer requests could be none), in 25-30 s
#: instead of 40-45 s.
STEPS = 120


async def test_a_long_faulty_shift_ends_with_the_servers_truth_and_flat_memory() -> None:
    result = await run_soak(steps=STEPS, step_seconds=8 * 3600 / STEPS, fault_scale=2.0)
    assert result.simulated_hours == pytest.approx(8.0)
    # The faults did happen, and the console went through them.
    assert result.events["retrying:rate limited"] > 0
    assert result.events["retrying:server error"] > 0
    assert result.events["retrying:offline"] > 0
    assert result.token_requests > 10  # tokens expired all along and were renewed
    # One upload every 30 simulated seconds, plus those of the real seconds the run took.
    assert 960 <= result.new_orders <= 960 + result.wall_seconds // 30 + 1
    assert result.refreshes > 20
    assert result.links["rejected"] == 0  # an expired token is renewed, never a sign-out
    # The list is the server's truth: every order, in order, once.
    assert result.mismatches == [] and result.duplicates == 0
    assert result.compared_rows == 3000 + result.new_orders
    assert result.window_state_mismatches == 0, result.window_state_details
    # Memory plateaus.
    assert len(result.rss) == STEPS // 10 + 1  # a sample every 10 steps, and the last one
    assert result.growth_second_half() < GROWTH_BOUND_MB, result.rss
