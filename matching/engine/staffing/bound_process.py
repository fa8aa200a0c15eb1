"""The bound worker in a process of its own, so that the search keeps a whole core.

In a thread (:class:`.bound.DualBoundWorker`) the bounds share the GIL with the search: SciPy's
``maximum_flow`` keeps it throughout (a Python loop in another thread ran at 26 % of its speed
during it), and the priced bounds' programmes are numpy steps on small rows, each taking it
back. On large instances both run out of time, so there :class:`BoundProcess` runs the same
:class:`.bound.BoundRun` in a fresh interpreter (this module's :func:`main`): started with
``subprocess`` rather than ``multiprocessing``, which refuses to start children from the
daemonic worker processes of a task queue, and fresh rather than forked, since the parent may
hold threads (HiGHS's among them) that a fork would leave half-copied.

The parent writes what the bounds read -- each component's pairs (person and slot, 8 bytes a
pair), the slots' times, the seats and hours the pinned pairs leave -- to an unlinked temporary
file whose descriptor the child inherits; nothing is copied twice in the parent, and nothing
is left behind if either side dies. Over pipes, the parent tells the child which components
the search has filled and when the search has finished, and the child sends every better bound
as soon as it is proven, so a child stopped at the time limit loses nothing it had found.
Spawning costs the child about 0.6 s of CPU (importing numpy, SciPy and HiGHS), on the other
core. If the child cannot be started the thread does the work; if it fails or is stopped, the
components it did not bound keep their open seats as the bound and the bound is marked
incomplete.

Once its LP stage is over the child's core would idle while the search runs on: there it asks
for the search's current answer on each mid-sized component (:data:`RESEAT_MAX_PAIRS`), which
the parent reads from the roster between the search's moves and sends as positions among the
component's pairs; it re-seats those furthest below their bound for their size first, each
from the answer of that moment, and sends back every answer with more seats it finds
(:mod:`.reseat`). A failure there is reported and costs nothing else; the parent decides what
to take. Such answers are of some moment before the search's end, so the parent takes them only
from a search the time limit cut; when the search ends before it, the child stops the one under
way and improves the search's final answers instead, every component it has LP values for
(kept from the LP stage), around those values (:func:`.reseat.improve_around`). The
components too large for the re-seating during the search (:func:`handed_over`) get no
large-neighbourhood search; they come first, and the parent improves the largest of them itself
meanwhile (:func:`.reseat.improve_component`). In 20 s runs of the ten large seeds
(``bench/matcher.py``) this took every one under 1 % above its bound (0.48-0.96 %; before,
seeds 2, 3 and 5 read 1.05-1.26 %, 0.96-1.25 % and 1.19-1.38 %), at 3-6 % more cost a seat on
seeds 1, 5 and 9 (the neighbourhoods no longer lower it on the largest components). The answer
reports the time limit hit when the time stopped this work, as it mostly does at 20 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import IO

import numpy as np
from numpy.typing import NDArray

from .bound import PDLP_MAX_PAIRS, BoundRun, DualBoundWorker, PairArrays, _Filled
from .compile import CompiledStaffing
from .lpmodel import build_programme, pinned_load
from .reseat import improve, improve_around, repair
from .roster import Roster

PROCESS_MIN_PAIRS = 200_000
"""Components bounded beside the search holding fewer pairs in all are bounded in a thread:
there (medium: 32,000-40,000) the search finishes well within the time limit, and a process
would cost more to start than it saves."""
PROCESS_MAX_PAIRS = 2_000_000
"""...and so are those holding more (the product's district run: one component of 4.4 million
pairs a week). A process holds its own interpreter and copy of the pairs beside the parent, and
its peak adds to the parent's: on large seed 8 with travel radii x3.7 (4.6 million pairs) the
parent peaked at 594 MB and the process at 851 MB, where the thread's run peaked at 1,093 MB;
the 1.5 GB the district run may take does not leave room for both."""
WATCH_SECONDS = 0.05
"""How often the parent asks whether the search has filled a component."""
ARRAYS = (
    "offsets",
    "pair_vol",
    "pair_slot",
    "pair_cost",
    "slot_start",
    "slot_end",
    "seats",
    "seconds",
)
"""What the data file holds, in order (``offsets``: where each component's pairs begin)."""
RESEAT_MAX_PAIRS = 60_000
"""Components up to this size are re-seated by the process once its LP stage is over
(:mod:`.reseat`): their LP takes 0.1-1.5 s of CPU; large seed 2's component of 138,659 pairs
needed 4 s for its LP alone and left no time for the rest. Larger ones were tried around the
values PDLP reached for their bound (no LP solved again), with pairs agreeing within 0.3:
offline, from a search's answer at load 2, large seed 5's component of 285,572 pairs took 31
more seats in 2.5 s, its 434,217 pairs 14 and seed 3's 968,747 pairs 19 in 6.4 s; in the
solve, the search was still filling them when their turn came, and of the 141-278 seats found
over what it was given (seeds 4, 6 and 7) its final answer left 0-6 to take."""
RESEAT_MARGIN = 0.6
"""Seconds before the re-seating deadline that HiGHS is told to stop: it overruns a little,
and the search's process waits for this one (at 0.3 s it waited 0.2-0.3 s at load 4-5)."""
RESEAT_MIN_SECONDS = 1.0
"""No component is re-seated with less time left: building its programme and HiGHS's set-up
are not stopped by the time limit (large seed 1 at load 5.9, started 0.1 s before the
deadline: the search's process waited 0.6 s for it)."""
SNAPSHOT_TRIES = 5
HAND_OVER_MAX_PAIRS = 500_000
"""Larger components keep the search's neighbourhoods (:func:`handed_over`): large seeds 2 and
3's of 1,064,988 and 968,747 pairs gained nothing around their LP's values in the time left,
and without the neighbourhoods those seeds ended 0.87 % and 1.01 % above their bound, where
they had ended 0.95 % and 0.96 % with them; the parent's peak grew from 390 and 305 MB to 895
and 830 MB."""


def handed_over(size: int) -> bool:
    """Is a component of ``size`` pairs improved at the end around its LP's values instead of
    by the search's large-neighbourhood search? Those too large for the re-seating while the
    search runs, up to :data:`HAND_OVER_MAX_PAIRS`. From large seed 2's final answer (20 s run)
    its component of 138,659 pairs gained 54 seats in 3.6 s this way. On seed 5 the search's
    neighbourhoods took 7.4 s for 43 seats; without the components now handed over they took
    1.6 s for 25, and its components of 285,572 and 434,217 pairs gain 57 and 35 seats in 5.6
    and 3.9 s this way even from the answer the neighbourhoods left."""
    return RESEAT_MAX_PAIRS < size <= HAND_OVER_MAX_PAIRS


class BoundProcess:
    """:class:`.bound.DualBoundWorker`'s interface, the work done in a child process.

    ``hard_deadline`` is when the child is stopped if it has not finished: a flow started just
    before ``deadline`` is let run past it (see :class:`.bound.BoundRun`), but not past this.
    """

    def __init__(
        self,
        cs: CompiledStaffing,
        roster: Roster,
        components: list[NDArray[np.int64]],
        order: list[int],
        deadline: float,
        hard_deadline: float,
        reseat_deadline: float | None = None,
    ) -> None:
        self.roster, self.order = roster, order
        self.deadline, self.hard_deadline = deadline, hard_deadline
        self.reseat_deadline = deadline if reseat_deadline is None else reseat_deadline
        self.results: dict[int, tuple[int, str]] = {}
        self.better: dict[int, NDArray[np.int64]] = {}
        """Per component re-seated by the child: its answer (compiled pair indices), which
        holds more seats than the search's answer the child was given."""
        self.final: dict[int, NDArray[np.int64]] = {}
        """Per component: the child's answer with more seats than the search's final answer
        (:meth:`send_final`), found around the LP's values (compiled pair indices)."""
        self.final_cut = False
        """Did the time stop the child's work on the search's final answers?"""
        self.reseat_error: str | None = None
        """Why the child's re-seating failed, if it did (its bounds stand either way)."""
        self._pairs = {i: components[c] for i, c in enumerate(order)}
        self._reseat = [i for i, pairs in self._pairs.items() if pairs.size <= RESEAT_MAX_PAIRS]
        self._write = threading.Lock()
        self.search_done = threading.Event()
        """Set by the caller when the search has finished: refinement then soon stops."""
        self.stages: dict[str, float] = {}
        self.seconds = 0.0
        self.error: BaseException | None = None
        self._cut = False
        self._unflowed: list[int] = []
        self._ended = False
        self._filled = {
            c: _Filled(roster, np.unique(cs.pair_slot[components[c]]).tolist()) for c in order
        }
        pinned_seats, pinned_seconds = pinned_load(cs, roster)
        sizes = [int(components[c].size) for c in order]
        # Closed by join (or when no child could be started); unlinked from the start.
        self._data: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        np.save(self._data, np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
        for name in ("pair_vol", "pair_slot", "pair_cost"):
            column = getattr(cs, name)
            np.save(self._data, np.concatenate([column[components[c]] for c in order]))
        np.save(self._data, cs.slot_start)
        np.save(self._data, cs.slot_end)
        np.save(self._data, (cs.slot_needed - pinned_seats).astype(np.int64))
        np.save(self._data, (cs.vol_cap - pinned_seconds).astype(np.int64))
        self._data.flush()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._started = 0.0

    def start(self) -> None:
        """Start the child; ``OSError`` (or ``ValueError``) if it cannot be."""
        root = Path(__file__).resolve().parents[len(__name__.split(".")) - 1]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = "1"  # the child is meant to take one core
        fd = self._data.fileno()
        self._started = time.monotonic()
        self._proc = subprocess.Popen(
            # -P: the working directory is not put before PYTHONPATH, where it could hold
            # another copy of the engine.
            [sys.executable, "-P", "-c", f"from {__name__} import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            pass_fds=(fd,),
            env=env,
        )
        assert self._proc.stdin is not None
        header = {
            "data_fd": fd,
            "deadline": self.deadline,
            "reseat": self._reseat,
            "reseat_deadline": self.reseat_deadline,
        }
        self._proc.stdin.write((json.dumps(header) + "\n").encode())
        self._proc.stdin.flush()
        for target in (self._read, self._watch):
            thread = threading.Thread(target=target, name="staffing-bound-pipe", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            message = json.loads(line)
            if "offer" in message:
                i, value, kind = message["offer"]
                self.results[self.order[i]] = (int(value), str(kind))
            elif "want" in message:
                self._send([self._start_line(int(i)) for i in message["want"]])
            elif "reseat_failed" in message:
                self.reseat_error = str(message["reseat_failed"])
            elif "better" in message or "final" in message:
                found = self.better if "better" in message else self.final
                i, positions = message.get("better") or message["final"]
                pairs = self._pairs[int(i)]
                found[self.order[int(i)]] = pairs[np.asarray(positions, dtype=np.int64)]
            elif "end" in message:
                end = message["end"]
                self.stages = end["stages"]
                self._cut |= bool(end["cut"])
                self.final_cut = bool(end["final_cut"])
                self._unflowed = [self.order[i] for i in end["unflowed"]]
                self._ended = True
            elif "error" in message:
                self.error = RuntimeError(f"the bound process failed: {message['error']}")
                self._ended = True

    def _send(self, lines: list[str]) -> bool:
        """Write to the child (from either pipe thread); False once it has ended."""
        assert self._proc is not None and self._proc.stdin is not None
        with self._write:
            try:
                self._proc.stdin.write("".join(lines).encode())
                self._proc.stdin.flush()
            except (OSError, ValueError):  # the child has ended, or the pipe is closed
                return False
        return True

    def filled(self, c: int) -> bool:
        """Has the search filled every open seat of component ``c``?"""
        return self._filled[c]()

    def send_final(self, search_cut: bool, own: int | None = None) -> None:
        """Before ``search_done`` is set: the search's final answer on each component it has
        not filled but ``own`` (which the caller improves itself meanwhile), for the child to
        improve around the LP's values (:attr:`final`); none when the time limit cut the
        search, which left no time for it."""
        lines = []
        if not search_cut:
            self.final_cut = True  # until the child says it finished
            lines = [
                self._start_line(i, "final")
                for i, c in enumerate(self.order)
                if c != own and not self.filled(c)
            ]
        self._send([*lines, "finals\n"])

    def _start_line(self, i: int, word: str = "start") -> str:
        """``start i p...``: the search's current answer on component ``i`` (positions among
        its pairs), read while the search runs: read again when one of its slots changed
        meanwhile (the child repairs what a move under way may still break)."""
        roster, pairs = self.roster, self._pairs[i]
        slots = self._filled[self.order[i]].slots
        chosen: list[int] = []
        for _ in range(SNAPSHOT_TRIES):
            clock = roster.clock
            try:
                chosen = roster.movable_pairs(slots)
            except ValueError:  # someone who is no candidate: never, but not worth a failure
                return f"skip {i}\n"
            if all(roster.slot_version[s] <= clock for s in slots):
                break
        wanted = np.asarray(sorted(chosen), dtype=np.int64)
        positions = np.minimum(np.searchsorted(pairs, wanted), max(0, pairs.size - 1))
        positions = positions[pairs[positions] == wanted] if pairs.size else positions[:0]
        return " ".join([word, str(i), *map(str, positions.tolist())]) + "\n"

    def _watch(self) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        told: set[int] = set()
        done = False
        # Until joined, or until the child has ended (should the caller never join, as when
        # the search raised, the child still ends at its deadline and so does this thread).
        while not self._stop.is_set() and self._proc.poll() is None:
            lines = []
            for i, c in enumerate(self.order):
                if i not in told and self._filled[c]():
                    told.add(i)
                    lines.append(f"filled {i}\n")
            if not done and self.search_done.is_set():
                lines.append("done\n")
                done = True
            if lines and not self._send(lines):
                return  # the child has ended
            self._stop.wait(WATCH_SECONDS)

    @property
    def cut(self) -> bool:
        """As :attr:`.bound.DualBoundWorker.cut`; also when the child did not finish."""
        if self._cut or not self._ended:
            return True
        free = self.roster.free
        return any(free(s) > 0 for c in self._unflowed for s in self._filled[c].slots)

    def join(self) -> None:
        """Wait for the child (no longer than ``hard_deadline``) and the pipes."""
        proc = self._proc
        assert proc is not None
        killed = False
        try:
            proc.wait(max(0.0, self.hard_deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            killed = True
        self.seconds = time.monotonic() - self._started
        self._stop.set()
        for thread in self._threads:
            thread.join()
        if not killed and proc.returncode != 0 and self.error is None:
            # It died before it could say why (it could not even start its work): open seats
            # alone must not pass for the bound of a process that ran.
            self.error = RuntimeError(f"the bound process ended with code {proc.returncode}")
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a line the ended child never read
                    pipe.close()
        self._data.close()


def start_bound_worker(
    cs: CompiledStaffing,
    roster: Roster,
    components: list[NDArray[np.int64]],
    order: list[int],
    deadline: float,
    hard_deadline: float,
    reseat_deadline: float | None = None,
) -> DualBoundWorker | BoundProcess:
    """A started bound worker for the components ``order`` names: a process when they are
    large but not huge (:data:`PROCESS_MIN_PAIRS`, :data:`PROCESS_MAX_PAIRS`) and one can be
    started, a thread otherwise."""
    if PROCESS_MIN_PAIRS <= sum(int(components[c].size) for c in order) <= PROCESS_MAX_PAIRS:
        process = BoundProcess(
            cs, roster, components, order, deadline, hard_deadline, reseat_deadline
        )
        try:
            process.start()
            return process
        except (OSError, ValueError):
            process._data.close()
    worker = DualBoundWorker(cs, roster, components, order, deadline)
    worker.start()
    return worker


def main() -> None:
    """The child: read the header and the data, run the bounds, report on stdout."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # native code printing to stdout must not mix into the channel
    header = json.loads(sys.stdin.readline())
    with os.fdopen(int(header["data_fd"]), "rb") as data:
        data.seek(0)
        arrays = {name: np.load(data) for name in ARRAYS}
    offsets = arrays["offsets"]
    n = int(offsets.size) - 1
    filled: set[int] = set()
    search_done = threading.Event()
    starts: dict[int, NDArray[np.int64] | None] = {}
    started = threading.Condition()
    finals: dict[int, NDArray[np.int64]] = {}
    finals_ready = threading.Event()

    def listen() -> None:
        for line in sys.stdin:
            word, _, argument = line.strip().partition(" ")
            if word == "filled":
                filled.add(int(argument))
            elif word == "done":
                search_done.set()
            elif word == "final":
                i, *positions = argument.split(" ")
                finals[int(i)] = np.asarray([int(p) for p in positions if p], dtype=np.int64)
            elif word == "finals":
                finals_ready.set()
            elif word in ("start", "skip"):
                i, *positions = argument.split(" ")
                with started:
                    starts[int(i)] = (
                        np.asarray([int(p) for p in positions if p], dtype=np.int64)
                        if word == "start"
                        else None
                    )
                    started.notify_all()
        os._exit(0)  # the parent has gone: nobody is waiting for the bounds

    threading.Thread(target=listen, daemon=True).start()

    def send(message: dict[str, object]) -> None:
        channel.write(json.dumps(message) + "\n")

    pair_arrays = PairArrays(
        pair_vol=arrays["pair_vol"],
        pair_slot=arrays["pair_slot"],
        slot_start=arrays["slot_start"],
        slot_end=arrays["slot_end"],
    )
    reseat_deadline = float(header["reseat_deadline"]) - RESEAT_MARGIN

    def reseat() -> None:
        """The search's answer on each mid-sized component, improved where it can be; a
        failure here costs only the improvement, never the bounds."""
        try:
            improve_answers()
            improve_finals()
        except Exception:
            send({"reseat_failed": traceback.format_exc(limit=-3)})

    tried = {"components": 0, "seats": 0, "final_components": 0, "final_seats": 0}
    final_cut = True  # until improve_finals has tried every component

    def size(i: int) -> int:
        return int(offsets[i + 1] - offsets[i])

    def answer(i: int) -> NDArray[np.int64] | None:
        """The search's answer on component ``i`` as of now (None: the parent skipped it, or
        it did not come in time)."""
        with started:
            starts.pop(i, None)
        send({"want": [i]})
        with started:
            started.wait_for(
                lambda: i in starts, timeout=max(0.0, reseat_deadline - time.monotonic())
            )
            return starts.get(i)

    def time_for_one() -> bool:
        return not search_done.is_set() and reseat_deadline - time.monotonic() >= RESEAT_MIN_SECONDS

    def improve_answers() -> None:
        wanted = [int(i) for i in header["reseat"] if int(i) not in filled]
        if not time_for_one():
            return
        # Those furthest below their bound for their size first: the seats to be found there
        # are many for the time (large seed 3's component of 36,657 pairs, 66 seats below its
        # bound, came after two of 7,671 and 33,342 pairs with 14 each, and found no time).
        answers = {i: given for i in wanted if (given := answer(i)) is not None}
        gap = {i: (run.best.get(i, 0) - given.size) / size(i) for i, given in answers.items()}
        for k, i in enumerate(sorted(gap, key=lambda i: (-gap[i], i))):
            if not time_for_one():
                return
            # The first was read just now to rank it; the search has moved on since the others.
            given = answers[i] if k == 0 else answer(i)
            if given is None:
                continue
            if not time_for_one():  # the answer took its time
                return
            pairs = np.arange(offsets[i], offsets[i + 1])
            programme = build_programme(pair_arrays, pairs, arrays["seats"], arrays["seconds"])
            start = np.zeros(pairs.size, dtype=bool)
            start[given] = True
            start = repair(programme, start)
            better = improve(
                programme,
                arrays["pair_cost"][pairs],
                start,
                time_limit=reseat_deadline - time.monotonic(),
                stop=search_done,
            )
            tried["components"] += 1
            if better is not None:
                tried["seats"] += int(better.sum() - start.sum())
                send({"better": [i, np.flatnonzero(better).tolist()]})

    def improve_finals() -> None:
        """The search's final answers, improved around the LP's values: first those the
        search handed over (:func:`handed_over`, large seed 5's component of 285,572 pairs
        gained 72 seats where, taken after the others, it had no time), then those furthest
        below their bound for their size. Components are independent, so when every one is
        done within the time the answers depend on nothing but the input."""
        nonlocal final_cut
        if not finals_ready.wait(max(0.0, reseat_deadline - time.monotonic())):
            return
        cut = False
        gap = {i: (run.best.get(i, 0) - given.size) / size(i) for i, given in finals.items()}
        for i in sorted(gap, key=lambda i: (not handed_over(size(i)), -gap[i], i)):
            x_lp = None if run.primal is None else run.primal.get(i)
            if x_lp is None:
                # No LP values: too large for PDLP (never has them), or the time stopped it.
                cut |= size(i) <= PDLP_MAX_PAIRS
                continue
            left = reseat_deadline - time.monotonic()
            if left < RESEAT_MIN_SECONDS:
                cut = True
                break
            pairs = np.arange(offsets[i], offsets[i + 1])
            programme = build_programme(pair_arrays, pairs, arrays["seats"], arrays["seconds"])
            start = np.zeros(pairs.size, dtype=bool)
            start[finals[i]] = True
            start = repair(programme, start)
            better, stopped = improve_around(
                programme, arrays["pair_cost"][pairs], start, x_lp, time_limit=left
            )
            cut |= stopped
            tried["final_components"] += 1
            if better is not None:
                tried["final_seats"] += int(better.sum() - start.sum())
                send({"final": [i, np.flatnonzero(better).tolist()]})
        final_cut = cut

    run = BoundRun(
        pair_arrays,
        [np.arange(offsets[i], offsets[i + 1]) for i in range(n)],
        list(range(n)),
        float(header["deadline"]),
        arrays["seats"],
        arrays["seconds"],
        filled=filled.__contains__,
        search_done=search_done,
        sink=lambda c, value, kind: send({"offer": [c, value, kind]}),
        before_refine=reseat,
        keep_primal=True,
    )
    try:
        run.run()
    except BaseException:
        send({"error": traceback.format_exc(limit=-3)})
    else:
        run.stages.update({f"reseat_{k}": v for k, v in tried.items()})
        end = {"stages": run.stages, "cut": run.cut, "unflowed": run.unflowed}
        send({"end": {**end, "final_cut": final_cut}})
    channel.flush()
