"""Fault injection of the demo server: the spec parser, scripted outcomes and seeded rates."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx
import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.demo.faults import FaultPicker

Http = Callable[[DemoServer], httpx.Client]
PARAMS = {"project_id": "All Projects", "limit": 3}


def test_parse_the_documented_spec() -> None:
    config = FaultConfig.parse(
        "latency=200,429=0.1,retry-after=2,5xx=0.05,drop=0.02,malformed=0.05,token-ttl=30,"
        "hostile,image=bomb"
    )
    assert config == FaultConfig(
        latency_ms=200,
        rate_429=0.1,
        retry_after="2",
        rate_5xx=0.05,
        rate_drop=0.02,
        rate_malformed=0.05,
        token_ttl=30,
        hostile=True,
        image="bomb",
    )
    assert FaultConfig.parse("") == FaultConfig() == FaultConfig.parse("none")
    assert FaultConfig.parse("retry-after=none").retry_after is None
    assert FaultConfig.parse("retry-after=date, jitter=5").retry_after == "date"
    assert list(FaultConfig.parse("script=429;token:503;ok").script) == ["429", "token:503", "ok"]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("bogus=1", "unknown fault 'bogus'"),
        ("429=1.5", "between 0 and 1"),
        ("5xx=lots", "not a number"),
        ("latency", "needs a value"),
        ("latency=-3", "latency"),
        ("token-ttl=0", "token-ttl"),
        ("image=gif", "image"),
        ("retry-after=soon", "retry-after"),
        ("hostile=maybe", "hostile"),
        ("script=429;teapot", "teapot"),
        ("drop=nan", "drop"),
    ],
)
def test_bad_specs_raise_one_line_value_errors(spec: str, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        FaultConfig.parse(spec)
    text = str(caught.value)
    assert fragment in text and "\n" not in text


def test_scripted_429_variants(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    demo_server.faults.retry_after = "2"
    demo_server.faults.script.extend(["429", "429-no-retry-after", "429-date"])
    first, second, third = (client.get("/v1/orders", params=PARAMS) for _ in range(3))
    assert [r.status_code for r in (first, second, third)] == [429, 429, 429]
    assert first.headers["retry-after"] == "2"
    assert "retry-after" not in second.headers
    assert parsedate_to_datetime(third.headers["retry-after"]).tzinfo is not None
    assert all(r.json()["message"] for r in (first, second, third))
    assert client.get("/v1/orders", params=PARAMS).status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503, 504, 401])
def test_scripted_error_statuses(demo_server: DemoServer, demo_http: Http, status: int) -> None:
    client = demo_http(demo_server)  # a valid token: a scripted 401 happens anyway
    demo_server.faults.script.append(str(status))
    response = client.get("/v1/orders", params=PARAMS)
    assert response.status_code == status
    assert isinstance(response.json()["message"], str)
    assert [r.status for r in demo_server.recorded()] == [status]


def test_scripted_drop_closes_without_answer(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    demo_server.faults.script.append("drop")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/v1/orders", params=PARAMS)
    assert client.get("/v1/orders", params=PARAMS).status_code == 200
    assert [r.status for r in demo_server.recorded()] == [0, 200]


def test_script_is_consumed_in_order_one_per_api_request(
    demo_server: DemoServer, demo_http: Http
) -> None:
    demo_server.faults.script.extend(["503", "ok", "502"])
    client = demo_http(demo_server)  # the token request leaves /v1 entries alone
    statuses = [client.get("/v1/orders", params=PARAMS).status_code for _ in range(4)]
    assert statuses == [503, 200, 502, 200]
    assert not demo_server.faults.script


def test_unknown_scripted_outcome_is_reported(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    demo_server.faults.script.append("teapot")
    response = client.get("/v1/orders", params=PARAMS)
    assert response.status_code == 500 and "teapot" in response.json()["message"]


def test_malformed_bodies(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    # "malformed" cycles through the four kinds; they can also be named.
    demo_server.faults.script.extend(["malformed"] * 4 + ["malformed-nan"])
    truncated, html, shape, nan, nan_again = (
        client.get("/v1/orders", params=PARAMS) for _ in range(5)
    )
    assert all(r.status_code == 200 for r in (truncated, html, shape, nan, nan_again))
    with pytest.raises(ValueError):
        json.loads(truncated.content)
    assert html.headers["content-type"].startswith("text/html") and b"<html>" in html.content
    assert not {"order_stats", "orders", "order_previews"} & set(shape.json())
    for response in (nan, nan_again):
        assert b"NaN" in response.content
        assert math.isnan(json.loads(response.content)["order_stats"]["total_certified"])
    order_id = demo_server.order_ids()[0]
    demo_server.faults.script.extend(["malformed-shape", "malformed-nan"])
    assert isinstance(client.get(f"/v1/orders/{order_id}").json(), list)
    assert math.isnan(client.get(f"/v1/orders/{order_id}").json()["confidence"])


def test_rates_are_seeded_and_deterministic(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    runs = []
    for _ in range(2):
        server = make_demo(orders=20, seed=5, faults=FaultConfig(rate_5xx=0.3, rate_429=0.2))
        client = demo_http(server)
        runs.append([client.get("/v1/orders", params=PARAMS).status_code for _ in range(30)])
    assert runs[0] == runs[1]
    assert {200, 429} <= set(runs[0]) and set(runs[0]) & {500, 502, 503, 504}


def test_rate_429_follows_retry_after_setting(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    demo_server.faults.rate_429 = 1.0
    demo_server.faults.retry_after = None
    assert "retry-after" not in client.get("/v1/orders", params=PARAMS).headers
    demo_server.faults.retry_after = "date"
    parsedate_to_datetime(client.get("/v1/orders", params=PARAMS).headers["retry-after"])
    demo_server.faults.retry_after = "7"
    assert client.get("/v1/orders", params=PARAMS).headers["retry-after"] == "7"


def test_faults_spare_the_token_endpoint_and_files(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    client = demo_http(demo_server)
    url = client.get("/v1/orders", params=PARAMS).json()["orders"][0]["asset_preview_url"]
    demo_server.faults = FaultConfig(rate_drop=1.0)
    fresh = demo_http(demo_server)  # the token endpoint still answers
    with pytest.raises(httpx.RemoteProtocolError):
        fresh.get("/v1/orders", params=PARAMS)
    assert http.get(url).status_code == 200


def test_latency_is_latency_plus_bounded_jitter() -> None:
    picker = FaultPicker(seed=1)
    assert picker.delay(FaultConfig()) == 0.0
    delays = [picker.delay(FaultConfig(latency_ms=200, jitter_ms=50)) for _ in range(50)]
    assert all(0.2 <= d <= 0.25 for d in delays) and len(set(delays)) > 1
