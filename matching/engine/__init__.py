"""The matching engine: plain Python, numpy and scipy (HiGHS); no Django, nothing else.

Public API (dataclasses in :mod:`.model`, results are plain data):

* :func:`solve_staffing` -- volunteers to slots; :func:`solve_mediation` -- mediators to
  disputes; :func:`rank_mediators` -- the candidates for one dispute; :func:`solve` picks by
  problem type.
* :func:`load_instance` / :func:`dump_solution` -- the benchmark JSON formats.
* :func:`validate_staffing`, :func:`validate_mediation` -- every hard constraint re-derived
  independently of the solver; :func:`score_staffing`, :func:`score_mediation` -- objectives.

How staffing is solved, and why
-------------------------------
The objective is lexicographic: seats, then cost (km + preference + language penalties); the
busiest person's load is reported. Figures below are from the benchmark generator's
instances (seed 1 unless said otherwise) on the two-core machine the anchors were measured on.

* **Eligibility is vectorised** (:mod:`.staffing.compile`): per venue, a latitude band and
  numpy haversine find who lives in range; skills, the availability window (one binary
  search) and hours follow. 717,000 pairs among 20,000 people and 10,000 slots in 1.5 s.
* **Components are independent.** People and slots interact only through possible pairs;
  large splits into five city-sized components (the largest has 316,000 pairs) and many
  small ones. Components up to 4,000 pairs are solved exactly by the HiGHS MIP: small's
  optimum, 184, is proven in 0.04 s.
* **Large components** go through :mod:`.staffing.search`. A scarcity-first greedy fills
  23,923 seats (91.8 % of the LP bound 26,052). Then per-person re-planning (an exact
  interval-scheduling DP over her own slots plus every open seat she fits) alternates with
  augmenting chains (the matching step, generalised to overlaps and weekly hours): 25,656
  seats (98.5 %) in 4 s. Re-planning runs first because it is cheap and makes the moves
  chains cannot (one class for two shorter ones); a first version with chains first and
  without dead marks needed 100 s for this phase. Chains are breadth-first, with
  Hopcroft-Karp dead marks per round:
  depth-first chains found 21 more seats on seed 3 but at 5.40 instead of 4.96 km per seat.
* **Large-neighbourhood search** (:mod:`.staffing.lns`) re-solves each day of each component
  exactly with HiGHS (pieces of at most 8,000 pairs, 0.15 s on average), everything else
  fixed. Coordinated moves of many people, such as packing evening classes across many
  teachers, are beyond one- or two-person moves: +44 seats, and the cost falls from about
  5.3 to 4.6 km-equivalent per seat, in 8 s of solver time on two threads. A second pass
  adds 1-2 seats for as long again; week-long pieces per skill found 14-33 more seats but
  took 8-39 s with unpredictable hard pieces, so neither is used.
* Result: 25,724 seats (98.7 % of the LP bound) at 4.64 km-eq per seat in about 20 s; seeds
  2 and 3 reach 98.7 % and 98.4 % of theirs. CP-SAT is not used: on large it does not finish
  its root relaxation on two cores, and HiGHS does better on the pieces that matter.

How staffing is bounded, and why
--------------------------------
The LP relaxation is not tight enough to prove 1 %: on medium seed 1 it says 2,406 for a best
known 2,370 (1.5 %), on seed 2 2,591 for 2,542 (1.9 %). What it misses is that a person's week
is whole: it fills five free hours with two and a half two-hour slots. Column generation over
whole weeks (the Dantzig-Wolfe bound, one schedule per person; an offline experiment) proves
2,380 on seed 1 and 2,563.9 on seed 2, and its optimal seat prices are all 0 or 1. So the
engine bounds each large component by :mod:`.staffing.dual`: price the seats, and let every
person take her best week at those prices, overlaps and weekly hours counted exactly by a
dynamic programme vectorised over all people (0.03 s for medium's 52,000 pairs). Any prices
give a valid bound; the work is finding good ones, beside the search, in
:class:`.staffing.bound.DualBoundWorker`:

* **The flow's minimum cut** (always; the flow relaxation itself is about 2.5 % loose): slots on
  its source side priced 1, the rest 0. Seed 1: 2,398.
* **The LP's seat duals**, rounded or as they are, from PDLP (first-order, HiGHS 1.15 through
  highspy), capped at 250 iterations: 0.4 s of CPU where the simplex method takes 5.8 s on
  medium seed 2's larger component, for the same bound. The
  LP gets per-person *week cuts* (of her slots at least so long, at most as many as fit her
  week) that every real week obeys. Seed 1: 2,380, the Dantzig-Wolfe value, in 2.7 s of
  PDLP; seed 2: 2,567 (LP with cuts 2,576). On large seed 1's largest component (316,000
  pairs) 200 PDLP iterations take 3.9 s of CPU and prove 10,215 (LP about 10,250).
* **Subgradient steps** from the LP's prices while the search runs: slow (seed 2's larger
  component 1,430.6 -> 1,428.8 in 60 steps, Dantzig-Wolfe 1,421.9), kept for what they add.

Tried and not kept, with their figures (medium seed 1 unless said otherwise):

* Local search on the split (toggle one slot's price between 0 and 1 when the bound falls):
  2,398 -> 2,392 from the flow's cut, stuck; coordinate descent on fractional prices (the
  exact best price of one slot given the rest) stalls the same way.
* LP duals of each day's piece with the rest of the search's answer fixed (the LNS pieces):
  2,394 in 0.5 s, not better than the cut.
* The LP restricted to each slot's cheapest candidates: 2,397-2,616 unpriced; with pricing
  rounds (column generation on pairs) it converges on 15 % of the pairs in 1.5 s on medium,
  but HiGHS's warm-started simplex took 73 s in the third round on large's 316,000 pairs.
* Column generation over whole weeks inside the engine (HiGHS master, vectorised pricing):
  exact (seed 2 converges to 2,563.9 in 15 rounds) but 12.8 s of master solves on a
  component of 19,000 pairs. The next step if the bound must get tighter.
* Prices on seats and hours (hours relaxed too), subgradient: stalled 2 % above the LP.
* An interior-point or PDLP solve with HiGHS's presolve on returns duals that prove nothing
  when it stops before optimality (they are not restored); presolve stays off for PDLP.
* Flows of the largest components first (large, quiet machine, load 0.0-0.5): seed 3 2.42 ->
  4.57 %, seed 5 4.57 -> 4.59 %, seed 6 1.86 -> 2.35 %; the flows of all components do not fit
  beside the search either way, and smallest first leaves fewer seats to the open-seat bound.
  On the same quiet machine, smallest first (kept): large seeds 1-10 at 1.26-2.61 %, seed 5
  4.57 %, in 18.8-20.9 s of wall.

Components over 500,000 pairs (now 100,000: :data:`.staffing.bound.WEEK_CUT_MAX_PAIRS`) are
priced by the LP *without* week cuts (half the nonzeros;
the exact weeks of the priced bound do their work): on large seed 3's component of 968,747
pairs, 120 PDLP iterations take 11.0 s of CPU and prove 21,081, where 250 with cuts take
23.2 s for 21,077 and 600 take 68.9 s for 21,078; 50 iterations without cuts take 6.8 s for
21,113; its flow cut proves 21,263. HiGHS's PDLP spends about 3 s of CPU on such a programme
before its first iteration (5 iterations: 3.1 s), and building it takes 230 MB and PDLP 430
MB more (peak 970 MB). Components over 1.1 million pairs keep the flow cut's bound. The
reported bound is the sum of the best per component, split by kind.

The 1 % goal on the benchmark (issue 16), measured on the two-core machine shared with other
work (load average 3.6-7.6) with ``bench/matcher.py --time-limit 20``:

* Small: every seed proven optimal. Medium seeds 1-10: 0.32-1.18 % (seeds 2 and 5 above 1 % in
  some runs: 2,536 or 2,542 for 2,566; 2,497-2,500 for 2,526); the search there ends in its
  large-neighbourhood step, which took 1.5-15.6 s of wall for 4.5-14.6 s of CPU.
* Large seeds 1-10: 1.6-7.8 %, and every run was cut by the time limit in the fill stage: the
  large-neighbourhood search never started, compiling took 3.9-26 s of the 20 and the whole
  process got 9-18 s of CPU in 20-38 s of wall. The fill then varies with the load: large
  seed 3 filled 24,655, 24,881, 24,888, 24,900, 25,267, 25,357 and 25,889 in seven runs. The
  largest components are big: 304,000-1,544,000 pairs (seeds 2, 3, 4, 7, 8, 10: 742,000 or
  more), and none of them is priced by the LP in the seconds left (see above); their flow
  cut's split is 2.2 % above the fill on seed 3 (21,263 for 20,810), and even the LP's best
  prices leave 1.3 % there (21,077). Given 90 s (41 s of CPU at that load) seed 3 fills
  25,926, still cut in the fill stage, and proves 26,279: 1.36 %. So on this machine 1 % on
  large is out of reach within 20 s: the fill (a search cut short before its neighbourhood
  step) and the bound (no time for the LP of the largest component) both lack CPU. Whether
  the Dantzig-Wolfe bound itself is within 1 % of the best fill on large is not known: no run
  here got the search past its fill stage.
* Where the search's CPU goes besides: SciPy's ``maximum_flow`` keeps the GIL (a Python loop
  in another thread ran at 26 % of its speed during it), so the bound worker's flow stage
  (1.7 s of CPU on a million-pair component, 5-12 s of wall under that load) stalls the search
  thread; the worker now runs in its own process on large instances (below).

* The bound worker's own first stage (flow and its priced split for every component) took
  6.6-11.8 s of wall in the last large runs (load 4.7-7.6, compiling 5.8-26 s), so on most
  seeds no LP started at all and the bound is the flow cut's split.
* Medium seed 5's gap is partly the search's: its component of 4,261 pairs (just over the
  exact limit of 4,000) is filled 563 by the search, and the seats-only MIP proves 568 optimal
  in 1.4 s of CPU (the LP-priced bound says 570); medium seed 1's component of 7,867 pairs: 781
  proven in 0.75 s. The exact solve capped at 2 s returns fewer seats (552, 716), its cost
  stage unfinished, so raising the exact limit needs a seats-first MIP with the search's cost
  steps after it.
* That is now done (:func:`.staffing.exact.solve_seats`): when the components left to the
  search hold at most 200,000 pairs in all (medium, not large, whose search is cut in its fill
  stage already), components of 4,000-13,000 pairs are first given their seats by a
  seats-only MIP (200 nodes at most; each one on medium seeds 1-10
  closes at the root: seed 5's 4,261 pairs in 1.5 s of CPU for 568, seed 2's 12,646 in 1.5 s
  for 1,142, seed 3's 7,867 in 0.9 s for 781, the others 1.5-3.6 s), its dual bound is taken as
  theirs (kind ``mip``), and the search then lowers their cost without losing a seat. Medium
  seeds 1-10 with ``bench/matcher.py --time-limit 20``: before 0.32-1.18 % (seed 2: 2,536 for
  2,566 at load 6.3, 2,542 at load 2.8; seed 5: 2,497-2,500 for 2,526), after 0.09-0.88 % at
  load 3.3-5.0 (seed 2: 2,544 for 2,566 in three runs; seed 5: 2,502-2,503 for 2,524 in four),
  fills up by 0-12 seats, cost per seat up by at most 0.05 km-eq (more seats); small seeds all
  still optimal; uncut runs give the same answer twice. Seed 2 is not safe: the component of
  19,484 pairs that carries its gap is left to the search, which fills 1,396-1,402 there (its
  seats-only MIP proves 1,421 but takes 11.8 s of CPU; the priced bound says 1,424), and in two
  runs where the process got 7.6-10.8 s of CPU in 18 s of wall (load 4.5-5.5) the search was
  cut and seed 2 read 2,538 for 2,566 (1.10 %). Seed 5's component of 28,311 pairs: MIP 1,955
  in 21 s of CPU, search 1,934, bound 1,956. Running the seats-only MIP in the
  large-neighbourhood stage's thread for its component, beside the other components' search,
  was tried and not kept: in turns with the version above (load 3.9-4.4, seeds 2, 5, 10) it
  took as long or longer (seed 2: 17.4 and 18.9 s of wall against 15.5 and 17.8 s) and was cut
  once on seed 2 (1.10 %) where the other was not (0.86 % twice).

Tried for the largest components and not kept (large seed 3, the component above, fill 20,810):

* The LP restricted to each slot's ``k`` cheapest candidates (PDLP, 250 iterations), its seat
  duals then priced exactly over all pairs: ``k`` = 10, 25, 50 (73,000-282,000 pairs, 1.7-5.8
  s of CPU) prove 30,686, 26,938 and 24,016. With most of a slot's candidates left out it
  looks short of people, gets price 0, and then every person who could come counts.
* Minimum cuts of other flows: in hours (arcs weighted by slot length, people by their weekly
  hours) 21,942, seats plus hours 22,138, against the seat flow's 21,263; their unions and
  intersections with the seat cut are no better.
* Not tried for want of time: the LP per day stitched with prices on weekly hours (its pieces
  add up to the same nonzeros, so PDLP's work would not shrink by itself).

Time: the bound worker used to stop PDLP half a second before its deadline and then price three
splits and one valued bound, which on the large components overran by up to 5 s; it now keeps
the measured cost of those (five times the flow split's priced bound) free, and starts a
component's LP only with time for building it and PDLP's set-up (30 times that cost; now
measured by the flow, see below). Explaining the empty seats works out who is available once
per span of time instead of once per slot (1.5 -> 0.7 s of CPU on large seed 3, same
explanations). Run in turns with the previous version on large seeds 1, 2, 3, 8, 10: 21.5,
35.0, 26.7, 27.4, 27.4 s of wall before, 20.8, 23.2, 23.3, 24.5, 23.5 s after (load 4.6-7.3),
the same bounds (one seat lower on seed 1); what remains over 20 s is compiling (9-13 s at that
load) and the worker's flow stage running past its deadline (2-4 s).

The bound worker in a process of its own (:mod:`.staffing.bound_process`), on large instances
(200,000 to 2 million pairs beside the search): the same work as the thread, in a fresh
interpreter started with ``subprocess`` (task-queue workers are daemonic, and
``multiprocessing`` refuses their children), the pairs handed over in an unlinked temporary
file, every better bound sent back as soon as it is proven; the process is stopped at 95 % of
the time limit, so a flow started late no longer holds the answer back (dense large seed 8,
4.6 million pairs, thread: 22.0 s of wall for a 20 s limit). Runs in turns with main's code on
large seeds 1-10 (the machine shared with other work, load 2.1-6.3; gaps, main / process):

* Load 2.1-4.2: 1.71 / 1.31, 2.15 / 2.06, 3.27 / 3.63, 1.01 / 1.77, 1.18 / 1.23, 1.97 / 1.72,
  2.46 / 2.48 % (seeds 1, 3, 5-9). Load 2.8-5.0, seeds 1-10: 1.20 / 1.31, 2.73 / 1.78, 2.30 /
  2.34, 1.39 / 1.19, 3.58 / 2.83, 1.05 / 1.72, 1.13 / 1.20, 1.12 / 1.77, 2.46 / 2.31, 1.04 /
  1.04 % (means 1.80 / 1.75). Under such load a wash: the bounds get better (seed 5: 26,946 ->
  26,813), but the search's process got 7.7-15.4 s of CPU (the bound process 3.6-10.8 s) where
  main's one process got 10.3-24.0 s, and its fill was up to 170 seats lower (seeds 6 and 8),
  since the operating system now shares the cores between two busy processes of ours and the
  others' work, where the GIL kept ours to about one. On a quiet machine each has a core of its
  own (seed 1 at load 2.0: 14.7 s of CPU for the search's process and 8.6 s for the bound's in
  18.9 s, its fill stage done in 7.6 s and the neighbourhood search reached for the first time
  on large); that is where the process is meant to pay. Measured there (load 0.6-2.4, one
  run at a time, ``bench/matcher.py --time-limit 20``), seeds 1-10, main's thread / the
  process: 1.53 / 0.81, 1.66 / 1.08, 2.33 / 1.14, 1.68 / 0.91, 4.46 / 1.41, 1.77 / 0.83, 1.37 /
  0.79, 1.31 / 1.01, 2.43 / 1.67, 1.13 / 0.79 %, the same fills within 13 seats, wall 17.7-19.0
  s; the search's process 30.5-34.0 s of CPU with the bound's. Seed 5's largest component,
  whose flow never started in the thread, now has its flow by 1.1 s and its LP stage done by
  14.4 s.
* Its memory: large runs peak at 240-350 MB for the search plus 270-800 MB for the bound
  process (main: 370-610 MB in one); with its LP the process of large seed 10 took 746 MB.
  Dense large seed 8 (x3.7 radii, 4.6 million pairs) peaked at 594 + 851 MB against the
  thread's 1,093 MB, too close to the district run's 1.5 GB: above 2 million pairs the thread
  stays (that instance again: 1,093 MB, bound 26,924, 22.7 s of wall, as main's code).
* The bound process at a lower priority (``nice`` 10), to leave the search its share under
  load, was tried and not kept: the process got 1.6-3.6 s of CPU, its flows came at 11-15 s,
  and on seed 10 it was stopped before the flow of its largest component (5.38 % for 1.04 %).
* An LP now starts when five times its component's measured flow time is left (half that
  without week cuts), instead of 30 times the flow split's priced bound, whose time was mostly
  the component's set-up (0.35 s of wall on seed 3's largest component for 0.03 s of CPU in
  the split). Building, PDLP's set-up and 20 iterations take 3.2 s of CPU for a 0.64 s flow on
  seed 5's component of 434,000 pairs (with cuts), 3.8 s for 1.57 s on seed 3's of 969,000
  (without: 35 iterations prove 21,165, 50 21,113, 80 21,090, 120 21,081, for 3.2-5.9 s of
  PDLP). Where the process got the CPU, large components now get their LP: seed 10 0.72 %
  (its 820,000-pair component 24,962 -> 24,905), seed 6 0.84 % (1.34 % the run before); under
  load (3.3-6.3) the other seeds within the noise of the fill (seed 3: 2.56 -> 3.22 % with a
  fill 163 seats lower at load 4.4 against 3.7). In turns with main's code at load 2.2-3.2,
  seeds 1-10, main / both changes: 1.24 / 1.23, 1.66 / 1.36, 1.87 / 1.89, 1.14 / 1.14, 2.39 /
  2.45, 0.98 / 0.85, 1.37 / 1.11, 1.10 / 1.11, 2.33 / 2.47, 1.95 / 1.03 % (means 1.60 / 1.46);
  wall 15.8-19.4 / 18.3-19.6 s.
* PDLP overruns its time limit by its set-up, which its limit does not interrupt: on seed 7's
  largest component (742,000 pairs) a limit of 0.5 s took 1.35 s of CPU, 3.5 s of wall at load
  3.1, and in the run above seed 7's bound process was stopped at 95 % of the limit in the
  middle of that LP (its answer 19.6 s). The LP's limit now keeps two flow times free for it
  (one without week cuts). In turns with main's code at load 3.5-6.0, seeds 1-10: 1.31 / 1.31,
  1.41 / 1.36, 1.92 / 2.09, 1.31 / 1.17, 2.83 / 2.86, 1.74 / 1.47, 1.15 / 1.16, 1.86 / 1.81,
  2.21 / 2.28, 1.01 / 1.03 % (means 1.68 / 1.65), wall 18.3-19.1 / 18.3-18.9 s, no process
  stopped. Medium seeds 1-10 (bounded in the thread; load 2.5-3.0): the same fills and bounds
  as main's, 0.09-0.86 %, wall 2.6-13.4 s (main 2.7-8.3 s; seed 2's 13.4 s against 6.3 s at the
  same CPU, 8.1 s and 7.6 s). So on a shared machine large stays at 1.0-2.9 %, on a quiet one
  at 0.79-1.67 % (above). What keeps seeds 2, 3, 5, 8 and 9 over 1 %: the bound process is done
  by about 14.5 s, so the bound is the LP's (seed 3's largest component: 1.3 % over its fill
  even at the LP's best prices), seed 8's largest component (1.54 million pairs) is over the LP's
  limit, and the fill is still cut by the time limit on most seeds. Tried there and not kept
  (quiet, load 0.1-1.7): the bound process's subgradient steps raised from 40 to 400 per
  component gave no better bounds on seeds 2, 3, 5, 8 and 9 (1.15, 1.17, 1.44, 1.02, 1.67 %; the
  LP stage of most ends at 13.6-14.7 s and leaves no time to step), and PDLP on components up
  to 1.6 million pairs gave seed 8 26,500 for 26,499, with 1,287 MB in the bound process.

Stronger inequalities for the bound, measured offline on large seed 3's largest component
(968,747 pairs, 7,665 slots, 14,088 people; fill 20,873 in a 20 s run at load 1, 20,895 when
the search runs uncut, 98 s of wall) and on the mid-sized components of large seeds 3 and 8,
whose optimum the seats-only MIP proves (load 4-8, so CPU figures only):

* Per-person cuts -- her slot count at most her most disjoint slots fitting her hours (already
  the LP's week cuts), knapsack covers on her hours row, cliques of her overlapping slots (v1
  has no daily limit, rest or travel between shifts to add more) -- are all valid for one
  person's week, and the Lagrangian bound already takes each person's best *integer* week
  exactly (:mod:`.staffing.dual`: the dynamic programme is integer, not an LP). So no such cut
  can prove less than the Dantzig-Wolfe bound that these prices approach; they can only help
  the LP find the prices. On the component above: the LP without week cuts is about 21,194
  (HiGHS's interior point method, single thread, stopped by itself after 225 s of CPU, status
  unknown, its duals proving only 25,110); PDLP's 250 iterations without cuts prove 21,207
  for the LP and 21,171 priced, with cuts 21,130 and 21,085 priced (splits 21,077-21,079);
  150 subgradient steps from there (136 s of CPU) 21,084.5. Fill 20,895: 0.87 %.
* The Dantzig-Wolfe bound itself by column generation (the search's weeks as first columns,
  best weeks at smoothed duals added each round): on medium seed 2's component of 19,484
  pairs it converges in 8 rounds and 2 s to 1,421.9, whose seats-only MIP optimum is 1,421, so
  there the bound is within one seat of the optimum and the gap (fill 1,396-1,402) is the
  search's. On seed 3's component above the simplex master took 0.2, 1.4, 29 and more than
  240 s of CPU in rounds 1-4 (63,000 columns) and did not converge; its interior-point master
  without crossover gave duals that priced nothing. Whether the Dantzig-Wolfe bound there is
  below 21,077 is still not known.
* Where the optimum is known, the priced bound is close and the fill is not. Large seed 3 (fill
  in a 20 s run at load 6): components of 7,671, 33,342 and 36,657 pairs, optimum 814, 1,934
  and 2,425-2,427 (MIP 2.4, 7.2 and 77 s of CPU, the last stopped), priced bound 817, 1,936,
  2,434, fill 806, 1,917, 2,356. Large seed 8: 5,679, 21,716 and 42,255 pairs, optimum 656,
  1,741 and 2,665 (0.5, 13.6 and 34 s), priced bound offline 656, 1,750 and 2,668, fill 652,
  1,686 and 2,620. The fill there is 94 (seed 3) and 104 (seed 8) seats below the optimum,
  0.36-0.40 % of the total, where the bound is 3-12 seats above it: on these seeds the gap
  left after the LP's prices is mostly the search's on the mid-sized components (the seats-only
  MIP of :func:`.staffing.exact.solve_seats` runs on medium only), not the relaxation's. The
  same at load 1.3-1.7, seeds 2, 3, 5, 8 (gaps 1.25, 1.16, 2.17, 1.01 %): the components of
  5,679-44,758 pairs are filled 34, 73-75, 75 and 62 seats below their optimum (0.13-0.29 % of
  the total; seed 2: 1,435 and 2,094 for 1,444 and 2,119; seed 5: 949, 1,413 and 2,210 for 961,
  1,440 and 2,246), and bounded 8, 13-15, 10 and 11 seats above it; the largest components
  are filled 0.9-1.2 % below their bound (seed 3: 20,875 for 21,089; seed 5's, which got no LP
  in that run, 2.9 %). The optimum of those
  components is not cheap, though: the MIPs took 1.3-34 s of CPU each, and stopped at 5 s
  the ones of 21,716-42,255 pairs have 1,327-1,734 seats (their fills 1,703-2,642); only those
  up to 11,000 pairs close within 2.5 s (seed 3: 814 for a fill of 809; seed 8: 656 for 655).
* But in the 20 s runs of large seed 8 those components were bounded 670, 1,777 and 2,717, not
  656, 1,750 and 2,668: the flow of its component of 1.5 million pairs (over the LP's limit)
  ran until the deadline, and the LPs of the small ones, which came after every flow, never
  started. Components of up to 50,000 pairs (:data:`.staffing.bound.EARLY_LP_MAX_PAIRS`) now
  get their LP right after their own flow, before the next component's (0.1-0.5 s of CPU
  each). Kept: large seed 8 in turns with the previous version (load 3.0-4.1) 26,576 and
  26,549 before, 26,500 and 26,500 after (gap 2.21 / 2.20 % -> 2.06 / 1.91 %); seeds 2, 3 and 9
  the same bounds within a seat; seed 5 26,824 and 26,945 before, 26,945 twice after (whether
  its components of 285,000 and 434,000 pairs get their LP depends on the CPU the process gets
  under load, either way); medium seeds 2 and 5 unchanged (0.86 %, 0.84 %). On a quiet machine
  the LP stage reached every component before, so nothing should change there.

Re-seating the mid-sized components in the bound process (:mod:`.staffing.reseat`), for the
seats the search leaves there (above: 34-75 per instance below their optimum). Once its LP stage
is over, the bound process asks for the search's current answer on each component of up to
60,000 pairs, solves the component's LP once, fixes every pair on which the LP and that answer
agree, and lets HiGHS re-staff the rest (seats first, then cost; stopped once no arrangement of
the rest has one more seat), started from the answer, up to three times while it gains; it
sends back every answer with more seats. When the search was cut by the time limit, the
parent takes such an answer for a component if it still holds more seats than the search's
final one there and every pair passes the roster's checks (pinned pairs untouched); an uncut
search keeps its own, deterministic answer. Measured on the answers of 20 s runs at load 4
(search cut in its fill stage), offline:

* A seats-and-cost MIP of the whole component started from the search's answer (highspy,
  ``setSolution``) found nothing in 3 s: on large seed 2's component of 22,752 pairs HiGHS
  spends 1.6 s on its root LP and 6 s more on cuts at the root before its own neighbourhood
  search finds the optimum, 1,444, at 7.6 s of wall; effort 0.3 or 1.0 for its heuristics did
  not bring that forward within 4 s.
* The neighbourhood above, from the same answers: seed 2's 22,752 pairs 1,428 -> 1,444 (the
  optimum) in 0.8 s of CPU, 44,758 pairs 2,036 -> 2,103 (optimum 2,119) in 2.0 s; seed 8's
  5,679, 21,716 and 42,255 pairs 644 -> 656 (the optimum), 1,669 -> 1,717 and 2,592 -> 2,655
  (optima 1,741 and 2,665) in 0.2, 3.9 and 4.0 s. Seed 2's component of 138,659 pairs: its
  LP alone took 4 s of CPU, nothing found within 6 s; hence the 60,000.
* In the benchmark's 20 s runs on this machine, shared with other work at load 3.8-7.4 (in
  turns with the code before, ``bench/matcher.py --time-limit 20``, large seeds 1-10, twice),
  the bound process rarely ends its LP stage in time: re-seating ran on seeds 1, 4 and 5 of
  the second round only (one, two and three components tried; +0, +7 and +24 seats taken),
  and the gaps moved with the load as before: 1.8-8.4 % before, 1.9-8.0 % after, the bound
  process stopped before its largest flow in about half the runs either way; wall 18.8-22.0
  s either way (compiling alone took 2.2-8.4 s of it). Medium seeds 1-10 (bounded in a
  thread, never re-seated; load 5.1-6.5): the same fills and bounds as before, 0.09-1.10 %
  (seed 2 cut by the time limit at that load, 2,538 for 2,566, in both).
* Given 45 s at load 4.3-5.8 (seeds 2, 3, 5, 8, 9, in turns), re-seating ran on seeds 2, 3
  and 5: the parent took 35 seats (seed 3, three components) and 24 (seed 5, two) more than
  its search's final answer on them, but the total rose only by 5 and 8 seats (25,964 for
  25,959 and 26,167 for 26,159), since under such load the process's work takes CPU that the
  search would have had and the other components filled fewer. Again with the final code
  (load 5.7-7.4, seeds 3 and 5): seed 3 took 31 seats on three components but filled 25,915
  for 25,953 (its bound process got to no LP of its largest component this time, 26,451 for
  26,278; re-seating then had 17 s and used them), seed 5 took 24 on two and filled 26,112
  for 26,093 (2.68 % for 2.72 %). It is meant for the quiet machine, where the process's core
  idles from about 14.5 s of the 20.
* On the quiet machine (load 1.1-2.0; 20 s; large seeds 2, 3, 5, 8, 9 in turns with the code
  before, then 9, 8 and 2 again in the other order): seed 8 took 33 seats on three components
  in both of its runs, 26,232 -> 26,265 (1.02 % -> 0.89 %, the same bound); seed 2 26,495 and
  26,496 -> 26,496 twice, seed 3 25,975 -> 25,978 (1.15 % -> 1.13 %); seeds 5 and 9 read
  26,225 -> 26,218 and 26,360 -> 26,334 in the first round, 26,360 both in the second (seed
  9's search was not cut there: nothing to take). Then all ten seeds with it (load 1.0-2.4):
  0.77, 1.11, 1.17, 0.91, 1.39, 0.77, 0.79, 0.89, 1.67, 0.76 %. Re-seating ran only on seeds
  8 (three components, 62 seats over the answer it was given) and 6 (one, 17 seats; the
  search's final answer had caught up): on the other eight the LP stage kept the process busy
  until about a second before the search's deadline. Giving re-seating that time instead (no
  LP for components over 200,000 pairs; in turns, load 1.1-2.3): seed 3 filled 26,014 for
  25,962 (62 seats re-seated on three components) but proved 26,451 for 26,275, 1.68 % for
  1.21 %; seed 2 the same either way (1.21 %, 1.20 %). The LP of the largest components is worth
  more to the gap than what re-seating finds in the same seconds, so it keeps its place.
* Where the search ends by itself (``--time-limit 90``, load 0.8-1.5): large seed 2 fills
  26,525 and proves 26,789 (1.00 %) at 32 s, seed 3 26,007 for 26,283 (1.06 %) at 27 s, seed 5
  26,289 for 26,604 (1.20 %) at 31 s; in the same hour, in 20 s, 26,491 for 26,831 (1.28 %),
  25,974 for 26,283 (1.19 %) and 26,231 for 26,613 (1.46 %). On seed 2 the uncut search gains
  28 seats in its neighbourhood step (178 pieces, 13.5 s) and 25 in the fill after it, where in
  20 s the neighbourhood step is cut after 52 pieces and 8 seats. So on these three seeds
  neither more time for the search nor the LPs' best prices reach 1 %: that needs a better
  fill of the largest components, or a bound tighter than these prices prove. From seed 5's
  uncut answer (26,289), the re-seating neighbourhood on its components of 285,572 and 434,217
  pairs (PDLP's values after 250 iterations, pairs within 0.3 of the answer fixed, 14,000-15,000
  left free) found 13 and 11 seats more in 2.2 and 2.6 s, and nothing in a second round: 26,313
  for 26,604, 1.09 %; those components stay 1.2 % and 1.0 % below the 10,345 and 11,597 their
  bounds prove at 250 PDLP iterations (the table in :mod:`.staffing.bound`).
* The LPs of mid-sized components (100,000-500,000 pairs) without week cuts, so that they fit
  (:data:`.staffing.bound.WEEK_CUT_MAX_PAIRS`): large seed 9 1.70 -> 0.96 %, seed 5 2.20 ->
  1.35 %, and seeds 1 and 7 under 1 % again when the machine is busy.

Mediation is a b-matching between roles (lead, assistant) and mediators' free caseload:
components up to 60,000 candidate columns are solved exactly by HiGHS; larger ones by
urgency-ordered augmenting chains (exact for b-matching; pair disputes are staffed
all-or-nothing), bounded by the Lagrangian dual priced by an LP over the 20 nearest
candidates per role, which gives the full LP's value. Large is proven optimal (5,863) in 5 s.

Memory and time: per-pair data lives in numpy arrays and, for the search, in typed
``array.array`` rows per slot and per person (no Python object per pair: the earlier
dictionary of costs and lists of candidates took 277 MB on the large benchmark's densest seed,
1.6 million pairs). Per-person programmes run in chunks of 250,000 pairs; the flow graph is
built row-wise in 32 bits. On an instance of 4.6 million pairs (large seed 8, travel radii
x3.7; ``bench/matcher_memory.py``) the engine's own peak fell from 2,059 to 937 MB.
Compiling the pairs (2.8 s of CPU on the district's densest week, 4.4 million pairs) is not
stopped by the time limit; everything after it is. The search stops at 90 % of the time limit
and the bounds at 85 %, so the answer, its bound and the explanations of empty seats arrive
within the limit.

The product's district run (``bench/matching_scope.py``: 20,000 volunteers, one component of
4.4-4.7 million pairs a week, the 20 s limit shared by the weeks) used to spend most of its
time on two things the answer did not need. The bound worker's flow relaxation of that
component took 9.2 s of CPU and raised the peak from 433 to 1,092 MB, past the deadline,
while the greedy had filled every open seat in 0.1 s: now every component first gets its
open seats as a bound (kind ``"seats"``), and one whose seats are all filled is proven by
them, so its flow is abandoned (asked between the flow's stages); past the deadline no flow
is started, and ``bound.complete`` is false only if seats stay open. And one neighbourhood
piece -- one slot with 6,804 candidates -- kept HiGHS (through SciPy) 26 s of CPU and 72 s of
wall under a 4.8 s limit without a solution (highspy solves that model in 0.05 s): a piece
where no one is a candidate of two of its slots now takes each slot's cheapest, and no
piece starts with less time left than the pieces so far took on average. Four weeks, before:
203.8 and 156.7 s of wall, 71.1 and 69.4 s of CPU, 1,283 and 1,258 MB peak (load 5.6, 5.1);
after: 37.4, 40.2 and 33.7 s, 27.7, 27.0 and 25.4 s of CPU, 709-808 MB (load 2.8-4.2; the
peak varies with how far the flow got before the greedy filled the seats); every seat filled
either way. One week: 81-87 s of wall, 46.5-51.9 s of CPU, 1,168 MB before (load 4.2-6.9);
24.3 s, 18.2 s, 808 MB after (load 5.1). The engine alone on the dumped week with a 20 s
limit: 64.3 s of wall, 41.7 s of CPU, 1,089 MB before (load 6.2; the neighbourhood step 52.9
s, 3 pieces); 19.0 and 18.3 s, 12.0 and 11.8 s of CPU, 729 MB after (load 7.0, 6.5; 41 pieces
in 6.5 s), the same seats and cost.

Determinism: ties between equal-cost candidates follow a permutation drawn from ``seed``;
every search runs in a fixed order, threads only work on disjoint components, and HiGHS is
deterministic for a fixed model and node limit. The time limit is a safety net
(``stats["time_limit_hit"]``): an uncut run's assignments depend on nothing else, only its bound
may depend on the clock. A run it cut (every large run on this machine) stops wherever the
clock stops it, and takes the bound process's re-seated components, which it found from the
search's answer of some moment before; that answer never has fewer seats than the search's.
"""

from __future__ import annotations

from typing import Any

from .jsonio import dump_solution, load_instance
from .mediation.solve import rank_mediators, solve_mediation
from .model import (
    MediationProblem,
    MediationResult,
    StaffingProblem,
    StaffingResult,
)
from .staffing.solve import solve_staffing
from .validate import score_mediation, score_staffing, validate_mediation, validate_staffing

__all__ = [
    "dump_solution",
    "load_instance",
    "rank_mediators",
    "score_mediation",
    "score_staffing",
    "solve",
    "solve_mediation",
    "solve_staffing",
    "validate_mediation",
    "validate_staffing",
]


def solve(
    problem: StaffingProblem | MediationProblem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    **pins: Any,
) -> StaffingResult | MediationResult:
    """:func:`solve_staffing` or :func:`solve_mediation`, by the type of ``problem``."""
    if isinstance(problem, StaffingProblem):
        return solve_staffing(problem, time_limit=time_limit, seed=seed, workers=workers, **pins)
    return solve_mediation(problem, time_limit=time_limit, seed=seed, **pins)
