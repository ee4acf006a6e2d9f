"""Many leaders at once: N concurrent sessions against a real server, over Streamlit's own WebSocket protocol.

    python -m bench.load DB [--sessions 1,10,30] [--rounds 6] [--think 0.5]

For each N a fresh dashboard server (scripts/serve.py, as `make demo` starts it) on the store DB; N clients
connect to /_stcore/stream as a browser tab does (BackMsg/ForwardMsg protobufs), run the overview page once,
then take turns: move the sidebar's as-of date to a date no other run used (so the figures are computed, not
served from the cache), then pick another district, `--rounds` changes each, `--think` seconds (±50%) apart.
A run's time is from sending the change to the server's script_finished. Server memory is read from /proc
(resident at the end, peak over the run). Prints JSON {N: {...}} (the README table)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import emit

AS_OF_LABEL = "Tính đến ngày"
DISTRICT_LABEL = "Huyện / đơn vị cấp huyện"


class Session:
    """One browser tab's worth of protocol: rerun with widget states, wait for script_finished."""

    def __init__(self, url: str):
        self.url = url
        self.widgets: dict[str, object] = {}  # label -> the element proto (date_input / selectbox)

    async def __aenter__(self) -> "Session":
        import websockets

        origin = self.url.rstrip("/")
        self.socket = await websockets.connect(
            origin.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=origin,
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def run(self, states: list | None = None) -> float:
        """Sends a rerun and waits for it to finish successfully; seconds taken."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        for state in states or []:
            message.rerun_script.widget_states.widgets.append(state)
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.socket.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                widget = element.WhichOneof("type")
                if widget in ("date_input", "selectbox"):
                    proto = getattr(element, widget)
                    self.widgets[proto.label] = proto
            elif kind == "script_finished":
                # 0 finished successfully, 1 finished early for a rerun (st.rerun: the page runs on)
                if forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - started
                if forward.script_finished not in (ForwardMsg.FINISHED_EARLY_FOR_RERUN,):
                    raise RuntimeError(f"script finished with status {forward.script_finished}")

    def state(self, label: str, value) -> object:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        proto = self.widgets[label]
        state = WidgetState(id=proto.id)
        if isinstance(value, dt.date):
            state.string_array_value.data.append(value.isoformat())
        else:
            state.string_value = value
        return state


async def leader(
    url: str,
    rounds: int,
    think: float,
    dates: list[dt.date],
    rng: random.Random,
    results: list[float],
    firsts: list[float],
) -> None:
    async with Session(url) as session:
        firsts.append(await session.run())
        districts = list(session.widgets[DISTRICT_LABEL].options)
        as_of, district = None, districts[0]
        for turn in range(rounds * 2):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if turn % 2 == 0:
                as_of = dates.pop()
            else:
                district = rng.choice([d for d in districts if d != district])
            states = [session.state(DISTRICT_LABEL, district)]
            if as_of is not None:
                states.append(session.state(AS_OF_LABEL, as_of))
            results.append(await session.run(states))
            shown = (session.widgets[DISTRICT_LABEL].raw_value, list(session.widgets[AS_OF_LABEL].value))
            if shown != (district, [as_of.isoformat()] if as_of else shown[1]):
                raise RuntimeError(f"the page did not take the change: shows {shown}, sent {(district, as_of)}")


async def drive(url: str, sessions: int, rounds: int, think: float, dates: list[dt.date], seed: int):
    results: list[float] = []
    firsts: list[float] = []
    rng = random.Random(seed)
    await asyncio.gather(
        *(leader(url, rounds, think, dates, random.Random(rng.random()), results, firsts) for _ in range(sessions))
    )
    return results, firsts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def measure(db: str, sessions: int, rounds: int, think: float, seed: int) -> dict:
    from analytics.context import open_context
    from tests.e2e.server import DashboardServer

    ctx = open_context(db, read_only=True)
    start, deadline = ctx.plan.start, ctx.plan.deadline
    ctx.close()
    days = [start + dt.timedelta(days=k) for k in range(1, (deadline - start).days)]
    random.Random(seed).shuffle(days)
    with tempfile.TemporaryDirectory(prefix="antq-load-") as tmp:
        server = DashboardServer(Path(db), Path(tmp) / "server.log")
        url = server.start()
        try:
            started = time.perf_counter()
            results, firsts = asyncio.run(drive(url, sessions, rounds, think, days, seed))
            wall = time.perf_counter() - started
            resident, peak = server.memory_mib()
        finally:
            server.stop()
    return {
        "sessions": sessions,
        "runs": len(results),
        "p50_s": statistics.median(results),
        "p95_s": percentile(results, 0.95),
        "max_s": max(results),
        "first_run_p50_s": statistics.median(firsts),
        "rss_mib": resident,
        "peak_mib": peak,
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--sessions", default="1,10,30", type=lambda v: [int(x) for x in v.split(",")])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    emit({str(n): measure(args.db, n, args.rounds, args.think, args.seed) for n in args.sessions})


if __name__ == "__main__":
    main()
