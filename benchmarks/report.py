#!/usr/bin/env python3
"""Turns the results of scripts/bench (Google Benchmark JSON, memory.json,
compile_time.json, machine.json in one directory) into docs/11-performance.md.

  python3 benchmarks/report.py --results build-bench/results --out docs/11-performance.md

Standard library only. Every number in the report comes from the result files;
the prose around them (the performance model) is a fixed template.
"""
import argparse
import glob
import json
import os
import sys

PEERS = [
    ("hand", "hand loop"),
    ("range_v3", "range-v3"),
    ("thunks", "thunks"),
    ("coroutine", "coroutine"),
    ("rill_push", "rill push"),
    ("rill_next", "rill next()"),
    ("rill_for", "rill for"),
    ("stream_push", "stream<T> push"),
    ("stream_next", "stream<T> next()"),
    ("asio_loop", "bare asio"),
    ("asio_channel", "asio channel generator"),
    ("async_push", "rill::async sink"),
    ("async_next", "rill::async next()"),
    ("ideal", "ideal"),
    ("threads", "rill::par_map threads"),
]

PEER_LEGEND = """\
* **hand loop**: the same work written as plain loops, the speed limit (ratio 1.00).
* **range-v3**: `views::iota | transform | filter | ...` consumed by a range-for.
* **thunks**: the naive design (`benchmarks/peers/thunk_stream.hpp`): a lazy list of
  `std::function` thunks and `shared_ptr` cells, items as `rill::result<T>`.
* **coroutine**: a bare C++20 generator (`benchmarks/peers/generator.hpp`) running the
  whole pipeline in one coroutine, one resume per item (its most favourable form).
* **rill push**: the templated pipeline consumed by a sink (`rill::for_each`), which
  drives it through `detail::drain` (push protocol).
* **rill next()**: the templated pipeline pulled with `open()` / `next()`.
* **rill for**: the templated pipeline in a range-for (`begin()` / `operator++`).
* **bare asio** (async family): the same work in plain asio coroutines (`benchmarks/async.cpp`): one
  co_awaited pull per item and the functions inline; for `requests`, 1000 worker coroutines sharing a counter.
* **asio channel generator**: a producer coroutine sending on a rendezvous `asio::experimental::channel`.
* **rill::async sink / next()**: the async pipeline drained by `async::for_each` / by a `co_await next()` loop.
* **ideal** (`async.requests`): one timer wait as long as the 10 waves of 10 ms the requests need at best.
* **rill::par_map threads**: the sync `rill::par_map` with 1000 worker threads, each request a 10 ms sleep.
* **stream&lt;T&gt; push / next()**: the same pipeline erased to `rill::stream<int64_t>`,
  consumed by the sink / by `next()`.
"""

CASE_NOTES = {
    "pipeline": "`iota(0, 4M) | map(body) | filter(even) | try_map(checked_half)`, summed. "
                "`cheap`: body `3i+1`; `real`: a 64-bit hash finaliser (~2 ns). "
                "`err0`: no Err items; `err1`: ~0.8% of the source items (1.6% of those reaching try_map) fail; "
                "`err15`: ~7.8% of the source items (15.6% of those reaching try_map). The sink peers count the "
                "Err items with `for_each`'s error handler, as the hand loop does.",
    "and_then": "`iota(0, n) | and_then(x -> inner(x))`, 4M inner items in all: `pure1` = `pure(x)`, "
                "`ofK` = `of(x, ..., x+K-1)`.",
    "generate": "a `generate` coroutine counting to 4M against the same loop in a bare coroutine generator.",
    "using_resource": "1M runs in sequence of `using_resource(acquire, r -> iota(r.id, r.id+4))` against "
                      "a loop of RAII guards (and a coroutine per run). `runs`: acquire and release inline (the "
                      "compiler fuses the RAII loop); `opaque`: out-of-line calls, as for a real resource.",
    "take": "`iota(0) | map(3i+1) | take(4M)`: an endless source cut by take.",
    "lines": "A generated CSV file (`benchmarks/support/lines_file.hpp`, ~200 MB, 12.5M lines of `id,amount`, "
             "0.5% malformed), read from the page cache, each line parsed to its amount (`std::from_chars`; "
             "malformed lines are Err items, kept in a vector by every peer), the amounts summed. `hand`: "
             "`std::getline` over an `std::ifstream` into one reused `std::string`; `range-v3`: "
             "`ranges::getlines(in) | views::transform(parse)`; rill: `lines(path) | try_map(parse)`. "
             "`rill next()` copies each line out of the run's storage (`next()` returns a value): lines longer "
             "than the small-string buffer allocate there; the sink and the range-for do not.",
    "par_map": "`iota(0, n) | par_map(body, {.workers = w, .ordered = o})` with a calibrated arithmetic body "
               "of 1 µs or 10 µs (n = 20k / 2k), against the serial loop (`hand`) and oneTBB `parallel_pipeline` "
               "(serial input, parallel body, serial in/out-of-order output, 2w tokens, `task_arena(w)`). "
               "A ratio below 1 is a speedup. Wall-clock time.",
    "redis": "`rill::redis::consume` against a plain hiredis loop doing the same work (`benchmarks/redis.cpp`), on a "
             "redis-server the benchmark starts (loopback, no persistence): N entries preloaded (5k for batch 1, 20k for "
             "batch 10, 80k otherwise; every 50th malformed and dead-lettered in the MULTI/EXEC of its batch's XACK), "
             "drained by 1 (`c1`) or 3 (`c3`, forked processes) consumers reading batches of `b` entries without BLOCK "
             "(a blocked read of a drained stream waits for redis-server's 100 ms timer tick). Wall-clock time, 9 "
             "repetitions (runs of 3 processes on 2 cores are bimodal); entries/s = 10^9 / ns per item (b1.c1: about "
             "7k/s, one round trip per read and per ack; b1000.c3: about 700k/s). Both peers make the same round trips "
             "per batch; rill adds a few at the start and end of a session (own pending entries, a claim round, the "
             "drained check).",
    "async": "`async.pipeline`: `async::from(iota(0, 1M)) | map(3i+1) | filter(even) | try_map(checked_half)`, the "
             "functions of `pipeline.cheap` (`err1`: ~0.8% Err items). `async.generate`: `async::generate` counting to 1M. "
             "`async.requests`: 10,000 requests, each an asio timer wait of 10 ms, through "
             "`async::par_map(request, {.concurrency = 1000, .ordered = false})` on one thread (wall-clock time; "
             "allocations per request include the timer and the coroutine frames). `bench_async` builds asio "
             "without `std::aligned_alloc` (`ASIO_DISABLE_STD_ALIGNED_ALLOC`), so that the frames and handlers "
             "asio allocates go through the counting `operator new` and are in the allocation figures.",
    "buffer": "Handing 50k (b1) or 200k ints from a producer thread to the consumer: `iota | buffer(b)`, a "
              "`channel<int64_t>(b)` with a producer thread, against a naive bounded queue (mutex, two condition "
              "variables, a notify per item) of capacity b. Wall-clock time.",
}

PIPE_ERR0 = ["pipeline.cheap.err0", "pipeline.real.err0"]
PIPE_ERR1 = ["pipeline.cheap.err1", "pipeline.real.err1"]
PIPE_ERR15 = ["pipeline.cheap.err15", "pipeline.real.err15"]
AND_THEN = ["and_then.pure1", "and_then.of1", "and_then.of2", "and_then.of8"]
RESOURCE = ["using_resource.runs", "using_resource.opaque"]
GENERATE = ["generate.counter"]
EVERY_SYNC = PIPE_ERR0 + PIPE_ERR1 + PIPE_ERR15 + AND_THEN + ["take.endless"] + GENERATE + RESOURCE

# (title, cases, numerator peer, denominator peer, limit): the targets of issue 5
# (the push path, the peers) and of issue 13 (every consumer at the push path's speed).
TARGETS = [
    ("map|filter|try_map <= 1.1x hand (push)", PIPE_ERR0, "rill_push", "hand", 1.1),
    ("map|filter|try_map, 0% and 1% Err items, <= 1.2x hand (range-for)", PIPE_ERR0 + PIPE_ERR1, "rill_for", "hand", 1.2),
    ("map|filter|try_map, 0% and 1% Err items, <= 1.2x hand (next())", PIPE_ERR0 + PIPE_ERR1, "rill_next", "hand", 1.2),
    ("map|filter|try_map no slower than range-v3's range-for (push)", PIPE_ERR0, "rill_push", "range_v3", 1.0),
    ("map|filter|try_map no slower than range-v3's range-for (range-for)", PIPE_ERR0, "rill_for", "range_v3", 1.0),
    ("map|filter|try_map no slower than range-v3's range-for (next())", PIPE_ERR0, "rill_next", "range_v3", 1.0),
    ("1% and 15% Err items <= 1.3x hand (push)", PIPE_ERR1 + PIPE_ERR15, "rill_push", "hand", 1.3),
    ("1% and 15% Err items <= 1.3x hand (range-for)", PIPE_ERR1 + PIPE_ERR15, "rill_for", "hand", 1.3),
    ("1% and 15% Err items <= 1.3x hand (next())", PIPE_ERR1 + PIPE_ERR15, "rill_next", "hand", 1.3),
    ("and_then, small inner streams <= 1.5x hand (push)", AND_THEN, "rill_push", "hand", 1.5),
    ("and_then, using_resource, generate: range-for <= 1.5x push", AND_THEN + RESOURCE + GENERATE, "rill_for", "rill_push", 1.5),
    ("and_then, using_resource, generate: next() <= 1.5x push", AND_THEN + RESOURCE + GENERATE, "rill_next", "rill_push", 1.5),
    ("generate <= 1.2x bare coroutine (push)", GENERATE, "rill_push", "coroutine", 1.2),
    ("generate <= 1.2x bare coroutine (next())", GENERATE, "rill_next", "coroutine", 1.2),
    ("stream<T> <= 2x templated, every case (push)", EVERY_SYNC, "stream_push", "rill_push", 2.0),
    ("stream<T> <= 2x templated, every case (next())", EVERY_SYNC, "stream_next", "rill_next", 2.0),
    ("lines(path) | try_map(parse) <= 1.05x a getline loop (push)", ["lines.csv"], "rill_push", "hand", 1.05),
    ("lines(path) | try_map(parse) <= 1.05x a getline loop (range-for)", ["lines.csv"], "rill_for", "hand", 1.05),
    ("1M using_resource runs <= 2x RAII loop (push)", RESOURCE, "rill_push", "hand", 2.0),
    ("1M using_resource runs <= 2x RAII loop (next())", RESOURCE, "rill_next", "hand", 2.0),
    ("async map|filter|try_map <= 1.5x a bare asio coroutine loop (async sink)", ["async.pipeline.err0", "async.pipeline.err1"], "async_push", "asio_loop", 1.5),
    ("async map|filter|try_map <= 1.5x a bare asio coroutine loop (async next())", ["async.pipeline.err0", "async.pipeline.err1"], "async_next", "asio_loop", 1.5),
    ("async::generate no slower than a bare asio channel generator (async sink)", ["async.generate"], "async_push", "asio_channel", 1.0),
    ("async::generate no slower than a bare asio channel generator (async next())", ["async.generate"], "async_next", "asio_channel", 1.0),
    ("10,000 x 10 ms requests, async::par_map(.concurrency = 1000), one thread: wall <= 1.2x the ideal 100 ms", ["async.requests"], "async_push", "ideal", 1.2),
    ("redis consume within 10% of a plain hiredis loop (entries/s, 1 and 3 consumers)",
     ["redis.b%d.c%d" % (b, c) for c in (1, 3) for b in (1, 10, 100, 1000)], "rill_push", "hand", 1.1),
]


CVS = []  # the coefficients of variation of every benchmark, for the noise note


def load_benchmarks(results_dir):
    """-> {family: {case: {peer: {"cpu_ns": per run, "allocs": per item, "items": n, "errors": n}}}}"""
    data = {}
    context = None
    for path in sorted(glob.glob(os.path.join(results_dir, "bench_*.json"))):
        with open(path) as f:
            doc = json.load(f)
        context = context or doc.get("context")
        for b in doc.get("benchmarks", []):
            if b.get("aggregate_name") == "cv":
                # coefficient of variation across repetitions (a fraction)
                CVS.append(b["real_time"] if "real_time" in b["name"] else b["cpu_time"])
                continue
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            name = b.get("run_name", b["name"])
            if "/" not in name:
                continue
            case, peer = name.split("/", 1)
            peer = peer.split("/")[0]
            scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
            family = case.split(".")[0]
            wall = "real_time" in b["name"]
            data.setdefault(family, {}).setdefault(case, {})[peer] = {
                # Cases that run threads are timed by the wall clock: "cpu_ns" is then wall time too.
                "cpu_ns": (b["real_time"] if wall else b["cpu_time"]) * scale,
                "wall": wall,
                "real_ns": b["real_time"] * scale,
                "allocs": b.get("allocs_per_item"),
                "items": b.get("items"),
                "errors": b.get("errors"),
                "peak_heap_kib": b.get("peak_heap_kib"),
                "peak_rss_kib": b.get("peak_rss_kib"),
            }
    return data, context


def ratio(cases, case, num, den, key="cpu_ns"):
    c = cases.get(case, {})
    if num not in c or den not in c or not c[den][key]:
        return None
    return c[num][key] / c[den][key]


def fmt_ratio(r):
    return "—" if r is None else "%.2f" % r


def fmt_allocs(a):
    if a is None:
        return "—"
    if a == 0:
        return "0"
    if a < 0.001:
        return "%.1e" % a
    return "%.3g" % a


def family_tables(data, suffix=""):
    out = []
    for family in sorted(data):
        cases = data[family]
        peers = [p for p, _ in PEERS if any(p in c for c in cases.values())]
        extra = sorted({p for c in cases.values() for p in c} - {p for p, _ in PEERS})
        peers += extra
        names = dict(PEERS)
        out.append("### %s%s\n" % (family, suffix))
        if family in CASE_NOTES and not suffix:
            out.append(CASE_NOTES[family] + "\n")
        base = "hand" if any("hand" in c for c in cases.values()) else peers[0]
        walls = {bool(p.get("wall")) for c in cases.values() for p in c.values()}
        wall = "wall-clock" if walls == {True} else "CPU" if walls == {False} else "CPU (wall-clock in the cases that wait)"
        bases = {case: base if base in c else "ideal" if "ideal" in c else next(p for p in peers if p in c)
                 for case, c in cases.items()}
        others = sorted({b for b in bases.values() if b != base})
        out.append("Ratio of median %s time to `%s`%s (lower is better); last column: that peer's time per item.\n"
                   % (wall, base,
                      "".join(" (`%s` in a case without `%s`)" % (o, base) for o in others)))
        out.append("| case | " + " | ".join(names.get(p, p) for p in peers) + " | ns/item |")
        out.append("|---|" + "|".join("---:" for _ in peers) + "|---:|")
        for case in sorted(cases):
            c = cases[case]
            per_item = "—"
            cb = bases[case]
            if c[cb]["items"]:
                per_item = "%.2f" % (c[cb]["cpu_ns"] / c[cb]["items"])
            out.append("| %s | " % case + " | ".join(fmt_ratio(ratio(cases, case, p, cb)) for p in peers) +
                       " | %s |" % per_item)
        out.append("")
        out.append("Allocations per item:\n")
        out.append("| case | " + " | ".join(names.get(p, p) for p in peers) + " |")
        out.append("|---|" + "|".join("---:" for _ in peers) + "|")
        for case in sorted(cases):
            c = cases[case]
            out.append("| %s | " % case + " | ".join(fmt_allocs(c[p]["allocs"]) if p in c else "—" for p in peers) + " |")
        out.append("")
        measured = [case for case in sorted(cases) if any(v.get("peak_heap_kib") is not None for v in cases[case].values())]
        if measured:
            out.append("Memory of a run at its peak, MiB: the heap (what operator new holds, coroutine frames "
                       "included) / the resident set it added (thread stacks included; heap pages that earlier "
                       "runs left to the allocator are not counted again):\n")
            out.append("| case | " + " | ".join(names.get(p, p) for p in peers) + " |")
            out.append("|---|" + "|".join("---:" for _ in peers) + "|")
            for case in measured:
                c = cases[case]

                def cell(p):
                    if p not in c or c[p].get("peak_heap_kib") is None:
                        return "—"
                    return "%.2f / %.2f" % (c[p]["peak_heap_kib"] / 1024.0, (c[p].get("peak_rss_kib") or 0) / 1024.0)
                out.append("| %s | " % case + " | ".join(cell(p) for p in peers) + " |")
            out.append("")
    return "\n".join(out)


def flatten(data):
    flat = {}
    for cases in data.values():
        flat.update(cases)
    return flat


def target_rows(data, second=None, compilers=("g++", "clang++")):
    """One row per target; with a second compiler's results, a target holds
    only if it holds for both, and the row lists both."""
    flat = flatten(data)
    flat2 = flatten(second or {})
    rows = []
    for title, cases, num, den, limit in TARGETS:
        groups = []
        for label, f in ((compilers[0], flat), (compilers[1], flat2)):
            measured = [(case, ratio(f, case, num, den)) for case in cases]
            measured = [(c, r) for c, r in measured if r is not None]
            if measured:
                groups.append((label, measured))
        if not groups:
            rows.append((title, "not measured", "—", "—"))
            continue
        worst = max(r for _, m in groups for _, r in m)
        detail = "; ".join(("%s: " % label if flat2 else "") + ", ".join("%s %.2f" % (c.split(".", 1)[1], r) for c, r in m)
                           for label, m in groups)
        rows.append((title, detail, "%.2f" % worst, "met" if worst <= limit else "**missed**"))
    # and_then: zero allocations per item
    allocs = [(c, flat[c]["rill_push"]["allocs"]) for c in flat if c.startswith("and_then.") and "rill_push" in flat[c]]
    if allocs:
        worst = max(a or 0 for _, a in allocs)
        rows.append(("and_then: zero allocations per item (push)", ", ".join("%s %s" % (c.split(".", 1)[1], fmt_allocs(a)) for c, a in allocs),
                     fmt_allocs(worst), "met" if worst == 0 else "**missed**"))
    rows += concurrency_rows(flat)
    return rows


def concurrency_rows(flat):
    rows = []
    cores = os.cpu_count() or 1
    buf = sorted(c for c in flat if c.startswith("buffer.b"))
    if buf:
        gains = [(c, flat[c]["queue"]["cpu_ns"] / flat[c]["rill_buffer"]["cpu_ns"]) for c in buf
                 if "queue" in flat[c] and "rill_buffer" in flat[c]]
        if gains:
            worst = min(g for _, g in gains)
            rows.append(("buffer >= 5x items/s of a per-item mutex/condvar queue",
                         ", ".join("%s %.2fx" % (c.split(".", 1)[1], g) for c, g in gains), "%.2fx" % worst,
                         "met" if worst >= 5 else "**missed**"))
    pm = sorted((c for c in flat if c.startswith("par_map.10us.")), key=lambda c: (int(c.split(".")[2][1:]), c))
    if pm:
        detail, ok = [], True
        # The serial reference: the median over all the cases' serial runs (the same
        # work each time), steadier than any one of them on a shared machine.
        serials = sorted(flat[c]["hand"]["cpu_ns"] for c in pm if "hand" in flat[c])
        serial = serials[len(serials) // 2] if serials else None
        for c in pm:
            if serial is None or "rill" not in flat[c]:
                continue
            w = int(c.split(".")[2][1:])
            speedup = serial / flat[c]["rill"]["cpu_ns"]
            want = 0.9 * min(w, cores)
            ok = ok and speedup >= want
            detail.append("%s %.2fx (want %.2f)" % (c.split(".", 2)[2], speedup, want))
        rows.append(("par_map, 10 µs items: speedup >= 0.9x workers (up to %d cores) over the median serial run" % cores, ", ".join(detail), "—",
                     "met" if ok else "**missed**"))
        tbb = [(c, flat[c]["tbb"]["cpu_ns"] / flat[c]["rill"]["cpu_ns"]) for c in pm if "tbb" in flat[c]]
        if tbb:
            worst = min(r for _, r in tbb)
            rows.append(("par_map, 10 µs items: throughput >= oneTBB parallel_pipeline",
                         ", ".join("%s %.2fx" % (c.split(".", 2)[2], r) for c, r in tbb), "%.2fx" % worst,
                         "met" if worst >= 1 else "**missed**"))
    return rows


def memory_section(results_dir):
    path = os.path.join(results_dir, "memory.json")
    if not os.path.exists(path):
        return "Not measured (no memory.json).\n", None
    with open(path) as f:
        cases = json.load(f)["cases"]
    sizes = sorted({c["size"] for c in cases})
    names = []
    for c in cases:
        if c["case"] not in names:
            names.append(c["case"])
    by = {(c["case"], c["size"]): c for c in cases}
    out = ["Peak RSS of a fresh process per case and size (`getrusage` via `wait4`), KiB; "
           "allocations per item produced.\n",
           "| case | " + " | ".join("peak KiB @ %s" % human(s) for s in sizes) + " | " +
           " | ".join("allocs/item @ %s" % human(s) for s in sizes) + " |",
           "|---|" + "|".join("---:" for _ in sizes * 2) + "|"]
    flat = True
    for n in names:
        peaks = [by[(n, s)]["peak_rss_kib"] if (n, s) in by else None for s in sizes]
        allocs = [by[(n, s)]["allocations"] / max(by[(n, s)]["items"], 1) if (n, s) in by else None for s in sizes]
        out.append("| %s | " % n + " | ".join("—" if p is None else str(p) for p in peaks) + " | " +
                   " | ".join(fmt_allocs(a) for a in allocs) + " |")
        known = [p for p in peaks if p is not None]
        if len(known) >= 2 and known[-1] > known[0] * 1.10 + 256:
            flat = False
    out.append("")
    verdict = "met" if flat else "**missed**"
    return "\n".join(out), (("Peak memory flat from %s to %s items (largest within 10%% + 256 KiB of smallest)"
                             % (human(sizes[0]), human(sizes[-1]))), "every case", "—", verdict)


def human(n):
    for unit, div in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= div and n % div == 0:
            return "%d%s" % (n // div, unit)
    return str(n)


def compile_section(results_dir):
    path = os.path.join(results_dir, "compile_time.json")
    if not os.path.exists(path):
        return "Not measured (no compile_time.json; run `scripts/compile-time`).\n", []
    with open(path) as f:
        doc = json.load(f)
    compilers = list(doc["versions"])
    out = ["`-fsyntax-only`, median of %d runs, CPU seconds of the compiler (`scripts/compile-time`; the TUs are in "
           "`benchmarks/compile_time/`).\n" % doc["runs"],
           "| translation unit | " + " | ".join(compilers) + " |",
           "|---|" + "|".join("---:" for _ in compilers) + "|"]
    for probe, desc in doc["probes"].items():
        out.append("| %s | " % desc.replace("<", "&lt;").replace(">", "&gt;") +
                   " | ".join("%.2f" % doc["results"][probe][c]["median"] for c in compilers) + " |")
    out.append("")
    out.append("Compilers: " + "; ".join("`%s`" % v for v in doc["versions"].values()) + ".\n")
    rows = []
    for c in compilers:
        r = doc["results"]["rill_pipeline"][c]["median"] / doc["results"]["range_v3_pipeline"][c]["median"]
        rows.append(("5-stage pipeline TU no slower than range-v3 (%s)" % c, "per-stage headers %.2f" % r, "%.2f" % r,
                     "met" if r <= 1.0 else "**missed**"))
        ru = doc["results"]["rill_pipeline_umbrella"][c]["median"] / doc["results"]["range_v3_pipeline"][c]["median"]
        rows.append(("5-stage pipeline TU via <rill/rill.hpp> no slower than range-v3 (%s)" % c,
                     "umbrella %.2f" % ru, "%.2f" % ru, "met" if ru <= 1.0 else "**missed**"))
    return "\n".join(out), rows


def model(data):
    """The numbers the performance model quotes, in ns (CPU time), or None."""
    flat = {}
    for cases in data.values():
        flat.update(cases)

    def per_item(case, peer, base="hand"):
        c = flat.get(case, {})
        if peer not in c or base not in c or not c[peer]["items"]:
            return None
        return (c[peer]["cpu_ns"] - c[base]["cpu_ns"]) / c[peer]["items"]

    def ns(v):
        return "n/a" if v is None else "%.2f ns" % v

    m = {}
    m["push_item"] = ns(per_item("pipeline.cheap.err0", "rill_push"))
    m["pull_item"] = ns(per_item("pipeline.cheap.err0", "rill_next"))
    m["for_item"] = ns(per_item("pipeline.cheap.err0", "rill_for"))
    m["erased_item"] = ns(per_item("pipeline.cheap.err0", "stream_next", "rill_next"))
    m["erased_push_item"] = ns(per_item("pipeline.cheap.err0", "stream_push", "rill_push"))
    m["inner_pure"] = ns(per_item("and_then.pure1", "rill_push"))
    m["inner_of1"] = ns(per_item("and_then.of1", "rill_push"))
    m["inner_of1_pull"] = ns(per_item("and_then.of1", "rill_next"))
    m["gen_item"] = ns(per_item("generate.counter", "rill_push", "coroutine"))
    m["coro_item"] = ns(per_item("generate.counter", "coroutine"))
    # per error: the extra time of the err15 case over err0, per Err item, minus the hand loop's
    def per_error(peer):
        e0, e1 = flat.get("pipeline.cheap.err0", {}), flat.get("pipeline.cheap.err15", {})
        if peer not in e0 or peer not in e1 or "hand" not in e0 or "hand" not in e1 or not e1[peer]["errors"]:
            return None
        extra = (e1[peer]["cpu_ns"] - e0[peer]["cpu_ns"]) - (e1["hand"]["cpu_ns"] - e0["hand"]["cpu_ns"])
        return extra / e1[peer]["errors"]
    m["error_push"] = ns(per_error("rill_push"))
    m["error_pull"] = ns(per_error("rill_next"))
    m["error_for"] = ns(per_error("rill_for"))
    m["error_hand"] = "n/a"
    e0, e1 = flat.get("pipeline.cheap.err0", {}), flat.get("pipeline.cheap.err15", {})
    if "hand" in e0 and "hand" in e1 and e1["hand"]["errors"]:
        m["error_hand"] = ns((e1["hand"]["cpu_ns"] - e0["hand"]["cpu_ns"]) / e1["hand"]["errors"])
    res = flat.get("using_resource.runs", {})
    runs = 1_000_000
    if "rill_push" in res and "hand" in res:
        m["run_push"] = ns((res["rill_push"]["cpu_ns"] - res["hand"]["cpu_ns"]) / runs)
        m["run_pull"] = ns((res["rill_next"]["cpu_ns"] - res["hand"]["cpu_ns"]) / runs) if "rill_next" in res else "n/a"
        m["run_erased"] = ns((res["stream_push"]["cpu_ns"] - res["rill_push"]["cpu_ns"]) / runs) if "stream_push" in res else "n/a"
        m["run_coro"] = ns((res["coroutine"]["cpu_ns"] - res["hand"]["cpu_ns"]) / runs) if "coroutine" in res else "n/a"
    else:
        m["run_push"] = m["run_pull"] = m["run_erased"] = m["run_coro"] = "n/a"
    handoff = []
    for case, peers in sorted(data.get("buffer", {}).items()):
        for p in ("rill_buffer", "rill_channel", "queue"):
            if p in peers and peers[p]["items"]:
                handoff.append("%s %s %.0f ns" % (p, case.split(".", 1)[1], peers[p]["real_ns"] / peers[p]["items"]))
    pm = flat.get("par_map.1us.w2.ordered", {})
    if "rill" in pm and "hand" in pm and pm["rill"]["items"]:
        # Two workers on two cores: the ideal is half the serial time.
        handoff.append("par_map (2 workers, 1 µs body, ordered) %.0f ns per item over half the serial loop"
                       % ((pm["rill"]["real_ns"] - pm["hand"]["real_ns"] / 2) / pm["rill"]["items"]))
    m["handoff"] = ("not measured yet (no concurrency benchmarks)" if not handoff else
                    "wall-clock time per item handed from one thread to another: " + "; ".join(handoff))
    return m


GAPS = """\
Where a target of issue 13 is missed above, this is what the profiles
(`perf record` / `perf annotate` of the benchmark binaries, and the compilers'
output for the same loops) show in the way, and what it would take.

* **range-for** (`pipeline.cheap`, `using_resource`, and with clang `take` and
  `and_then`: about 9x the hand loop over `and_then(pure)`, where `next()` is at
  1.0x). A range-for's iterator holds the cursor
  and the current item in one object, and the item's `err_info` holds strings
  that keep their own addresses (libstdc++'s short-string buffer: its
  destructor compares the string's pointer with the buffer's address). A
  compiler keeps every field of such an object in memory: LLVM's SROA gives up
  on the whole iterator, and GCC does not scalarize an object whose address is
  taken. So the source's position, the stages' counters and the item's flags
  are stored and loaded back every item, a dependency carried from one item to
  the next through memory: clang's range-for over `and_then(pure)` runs 1.75 ns
  an item, its `next()` 0.19 ns (its item is a new object each time, apart from
  the cursor). Tried and measured: the same loop with the cursor and the item
  in two separate objects, 0.79 ns; the iterator's item in a heap block
  recycled per thread, so that the cursor stays in registers: clang's
  `and_then.pure1` 1.5 -> 0.8 ns, but the item's fields then go through
  memory for both compilers (g++ on the same case 0.37 -> 0.73 ns, clang on
  `pipeline.cheap` 1.5x -> 1.9x): not kept. What it would take: C++'s range-for
  gives the iterator no other place for the item (`end()` is called after
  `begin()` pulls the first one), so either an item type without members that
  point into themselves (libc++'s `std::string` has none) or compilers that
  split such an object. (range-v3's iterator over the same pipeline holds
  plain integers, which stay in registers: hence its range-for ahead of
  rill's on the cheap body.) Meanwhile a sink (`for_each`, `fold`, `count`) or
  a `next()` loop is the fast way to consume.
* **`next()` on the cheap body with g++** (`pipeline.cheap`, about 1.5 cycles an
  item by hand; clang is at 1.0x). The pipeline's loop, the cursor's fields and
  the Ok value are in registers. What is left is the `std::optional<result<T>>`
  that `next()` returns: the consumer's variable holds an `err_info` too, so it
  is in memory, and its has-value flag is stored on the Ok path and loaded
  again right after, where the Ok and the Err paths join: g++ does not forward
  the stored constant across the join (clang does). A store and a load of the
  value and of the flag per item: 1.25x. With a ~2 ns body it is 1.07x. With
  15% Err items (`cheap.err15`, 1.35x) each Err item is also moved twice on
  its way out, into the slot and into the returned optional (two strings and
  the trace each time), where the hand loop builds it in place.
* **`take` and `and_then` pulled, with clang**: clang vectorizes the hand loop
  (SSE2, several items an iteration: `take`'s hand loop 0.26 ns an item). The
  pulled loop is all in registers (nine instructions an item for `take`, no
  memory access) but scalar: its exit test is a flag carried from one iteration
  to the next through a `cmov`. The ratio is the vector width, not the pull
  protocol (g++ vectorizes neither: `take` pulled at 1.0x there).
* **`and_then` pulled, `of2` / `of8`**: each outer item builds its inner run (the
  values of `of` in an array inside the cursor's `std::optional`) and each pull
  reads one value back from it; pushed, the compiler sees through the array and
  unrolls it. That is the stores and loads the pushed loop does not have.
* **`stream<T>` on the cheap cases**: one indirect call per item (into the
  consumer's erased sink, or a virtual `next()`) costs about as much as the
  whole templated item; erasing per batch would amortise it but pulls items
  before they are asked for (see the model below).
* **`generate` against a bare coroutine**: clang elides the bare generator's
  frame and runs it as a plain loop (the `coroutine` peer at the hand loop's
  speed); a rill generator's frame outlives the call that starts it (the run is
  a cursor), so it is always a real coroutine, resumed once per item. With g++
  both are resumed per item; rill's resume does a little more: the promise
  records what kind of object was yielded (a `T` to move or copy, or a
  `result<T>`) and the consumer branches on it, the run's position (for the
  Err items' provenance) is stored and loaded around each resume, and the
  lambda's captures are reached through the closure's pointer. Keeping the
  position in a local for the drain made no difference measurable here.
* **`using_resource` pulled** (runs of four items): per run the cursor is built,
  the resource acquired into its recycled home and the inner run opened in a
  `std::optional`, whose position then lives in memory (stored and loaded per
  item), and the end of each run is a mispredicted branch: about 3 ns a run
  over push's 2. Taking `next()` through the drain, as the per-item stages do,
  moved the figures both ways (g++ `runs` 3.6x -> 2.8x, `opaque` 2.2x -> 3.2x:
  the release path and its exception handler in the loop), so `next()` stays
  as it is. What it would take: runs long enough to amortise the per-run work,
  or a sink.
* **`par_map` against oneTBB with 8 workers on 2 cores** (`perf stat` of the
  10 µs case, ordered): oneTBB runs at most as many threads as cores whatever
  the arena's size (it warns that its workers are limited to 1), so its 8-worker
  run is a 2-thread run: 1.88 CPUs busy, 36k context switches over the
  benchmark. rill starts the 8 threads it was asked for (start and join: 0.28
  ms of a ~14 ms run) and they take turns on 2 cores: 1.70 CPUs busy, 303k
  context switches (the consumer sleeps and wakes for its items, idle threads
  yield before they sleep). What it would take: threads kept across runs and
  no more running jobs than cores for a CPU-bound `f`; but more workers than
  cores is what `workers` is for when `f` blocks (I/O), where capping at the
  core count would serialise the waits. With 2 workers the run has three
  threads (the consumer helps) for two cores: about a fifth of the samples are
  in the kernel's scheduler (`sched_yield` and task switches). Letting a
  waiting thread yield only while fewer jobs run than there are cores made no
  difference (measured). Unordered mode loses more: counted over 2,000-item
  runs, its consumer comes back, finds no finished item and no job it may
  start, and waits 250-390 times a run (ordered: 80-105), each wait a third
  thread yielding beside two running jobs, and its runs spread from 11 to 17
  ms where ordered ones stay at 10-12 ms. Why it finds nothing that much more
  often is not found yet.
"""


MODEL = """\
What a rill pipeline costs, in the terms a user can reason with. The numbers are
differences of median times measured above (cheap body, this machine), so they
are the overhead on top of the user's own functions. The prose describes the
design as of this report (edit `MODEL` in `benchmarks/report.py` when it changes);
the numbers are filled in by each run.

* **Per item, push** (a sink such as `fold`, `count`, `for_each` drives the run
  through `detail::drain`): each stage hands the value to the next as a plain
  `T&&`, no `optional<result<T>>` is built, and the compiler sees one loop (a
  source's position and `try_map`'s index live in locals for the loop and are
  stored back to the cursor, never reloaded from it: the sink's calls could alias
  the cursor). Measured
  overhead over the hand loop for `map | filter | try_map`: **{push_item}** per
  source item. A stage without a `drain` of its own makes the part of the pipeline
  above it pull (see `pure` below).
* **Per item, pull with `next()`**: a stage with a `drain` takes its `next()`
  item through it (`detail::pull`): the pipeline above it runs as one loop, as for
  a sink, up to the first item out of the last stage. That item lands in a
  `first_slot`: the Ok value in a local object of its own, an Err item in
  another, moved into the returned optional afterwards. (In one `result<T>`
  the Ok value would stay in memory: an `err_info`'s strings keep their own
  addresses, and a compiler keeps every field of such an object in memory. Nor
  in a default-constructed `std::optional<result<T>>`: g++ 12 zero-fills all
  ~100 bytes of one.) The drains, the per-item adapters, both paths of the
  slot, `pull`, the stages' `next()` and the iterator's `++` are
  `[[gnu::always_inline]]`: left to its cost model, clang 14 stopped one or two
  stages short of the consumer's loop, or kept `next()` out of it (2.5x the
  hand loop instead of 1.0x). What remains is the returned optional, written
  and read through memory. Overhead: **{pull_item}** per item. A range-for
  pulls the same way and moves the item into its iterator, which holds the
  cursor too, so the cursor's fields go through memory as well (see "What
  stands in the way"): **{for_item}** per item.
* **Per Err item**: the user's function builds an `err_info` (the hand loop pays
  {error_hand} per error for that); each rill stage an Err item comes out of stamps a
  provenance frame (`err_info::at`). The first frame is stored inline in the
  trace (a pointer to the operator's name and the index), so an Err item stamped
  once allocates nothing beyond its `err()` strings; a stage name (`named`) or a
  second frame allocates one block. Measured with `for_each` and an error handler
  that counts (the form for long runs, O(1) memory), over the hand loop, per
  error (15% Err items): **{error_push}** pushed, {error_for} in a range-for,
  {error_pull} pulled with `next()`. Ok items never allocate.
* **Per inner stream of `and_then`**: the inner cursor is built in place for each
  outer item, without allocation: {inner_of1} per item for `of(x)` pushed
  ({inner_of1_pull} pulled); `pure(x)` is `of(x)`: {inner_pure}.
* **Per coroutine item** (`generate`): a bare coroutine costs {coro_item} per item
  over the hand loop (one resume); `generate` pushed adds **{gen_item}** on top
  (the promise points at the yielded object where it lives while the coroutine is
  suspended; the sink gets it with no copy, `next()` with one move).
* **Per run**: a templated run allocates nothing; `using_resource` nothing after a
  thread's first run (the resource's stable home is a block recycled per thread),
  `generate` once (closure and frame in one
  block), `stream<T>` nothing when its run fits the erased cursor (once when it
  does not). Per `using_resource` run, over the RAII loop: **{run_push}** pushed,
  {run_pull} pulled; a bare coroutine per run costs {run_coro}; erasing adds
  {run_erased} per run (the virtual calls that open, drain and end it).
* **Per erased stream** (`stream<T>`): no allocation for a run whose state fits
  `stream<T>::inline_size` (128 bytes: it is built inside the erased cursor,
  and moves with it), one for a larger run; per item one
  indirect call (pushed: into the consumer's erased sink; pulled: a virtual
  `next()` on top of the pull path): **{erased_push_item}** per item over the
  templated push path, **{erased_item}** over the templated `next()` loop. Against
  a sub-nanosecond templated item (`of2`, `take`) that call is most of the cost;
  erasing per batch would cut it, but a batch is pulled before the consumer asks
  for it (`take(k)` below the erased stream would pull more than k items), so
  rill erases per item.
* **Per thread handoff** (`buffer`, `channel`, `par_map`): {handoff}. A sleep
  and a wake-up cost tens of microseconds on a virtual machine, so the concurrent
  operators yield before they sleep and notify only a thread that sleeps;
  `par_map`'s consumer helps its workers (it calls `f` on items they pulled
  for it while it waits, and pulls only when nothing is in flight, so that a
  finished item never waits behind a blocking pull), so with no more workers
  than cores an item costs a few uncontended locks. More workers than cores is for an `f` that blocks (I/O): with a
  CPU-bound `f` the extra threads only take turns (oneTBB, the peer, never
  runs more threads than cores).
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    data, context = load_benchmarks(args.results)
    second = {}
    if os.path.isdir(os.path.join(args.results, "second")):
        second, _ = load_benchmarks(os.path.join(args.results, "second"))
    if not data:
        sys.exit("report: no bench_*.json in %s" % args.results)
    machine = {}
    mpath = os.path.join(args.results, "machine.json")
    if os.path.exists(mpath):
        with open(mpath) as f:
            machine = json.load(f)

    mem_text, mem_row = memory_section(args.results)
    ct_text, ct_rows = compile_section(args.results)
    def short_name(version, default):
        return "clang++" if "clang" in (version or "") else "g++" if version else default
    first_name = short_name(machine.get("compiler"), "g++")
    second_name = short_name(machine.get("second_compiler"), "clang++")
    rows = target_rows(data, second, (first_name, second_name))
    if mem_row:
        rows.append(mem_row)
    rows += ct_rows
    if not data.get("buffer"):
        rows.append(("buffer >= 5x items/s of a per-item mutex/condvar queue", "not measured yet", "—", "TODO"))
    if not data.get("par_map"):
        rows.append(("par_map, 10 µs items: speedup >= 0.9x workers, >= oneTBB", "not measured yet", "—", "TODO"))

    out = []
    out.append("# 11. Performance\n")
    out.append("<!-- Generated by scripts/bench from build-bench/results; edit benchmarks/report.py, not this file. -->\n")
    out.append("What rill costs next to the alternatives a C++ user would pick instead, measured in one run: "
               "every case runs the same work through each peer in the same binary, and each peer's checksum "
               "is checked against the others at startup. Numbers are ratios of median CPU times to the "
               "hand-written loop (the speed limit); nothing here is asserted by the tests.\n")
    out.append("## Machine\n")
    if machine:
        out.append("* CPU: %s, %s cores" % (machine.get("cpu", "?"), machine.get("cores", "?")))
        out.append("* Benchmarks built with: `%s`, Release (`-O3 -DNDEBUG`)" % machine.get("compiler", "?"))
        if machine.get("second_compiler"):
            out.append("* The single-threaded families (%s) built with `%s` too, Release"
                       % (", ".join(sorted(second)) or "none", machine["second_compiler"]))
        out.append("* Compile times with: %s" % "; ".join("`%s`" % c for c in machine.get("compilers", [])))
        out.append("* %s; %s repetitions per benchmark, `--benchmark_min_time=%s`; median reported"
                   % (machine.get("benchmark_lib", "Google Benchmark"), machine.get("repetitions", "?"),
                      machine.get("min_time", "?")))
        out.append("* Date: %s; commit `%s`" % (machine.get("date", "?"), machine.get("commit", "?")))
        out.append("* Load average (1, 5, 15 min) before: %s; after: %s (the machine is shared: CPU time, "
                   "not wall time, is compared)" % (machine.get("load_before", "?"), machine.get("load_after", "?")))
        if "elapsed_s" in machine:
            out.append("* `scripts/bench` took %d s up to this report" % machine["elapsed_s"])
        if machine.get("failed"):
            out.append("* **FAILED, missing from this report: %s**" % ", ".join(machine["failed"]))
    elif context:
        out.append("* %s, %s CPUs, load %s" % (context.get("host_name"), context.get("num_cpus"), context.get("load_avg")))
    out.append("")
    out.append("## How to reproduce\n")
    out.append("```sh\nscripts/bench                     # build in build-bench/ (Release), run everything, rewrite this file\n"
               "BENCH_FILTER='^pipeline' scripts/bench   # a subset (regex on case/peer names)\n"
               "build-bench/benchmarks/bench_pipeline --benchmark_filter=rill   # one binary by hand\n"
               "scripts/compile-time              # the compile-time table alone\n"
               "build-bench/benchmarks/bench_memory   # the peak-memory table alone\n```\n")
    out.append("See `benchmarks/README.md` for the layout and the knobs (`REPETITIONS`, `MIN_TIME`, `CXX`).\n")
    out.append("## Targets\n")
    out.append("The targets of issues 5 and 13, against the worst case of each row (ratios of median CPU times; "
               "wall-clock times for the threaded cases).%s\n"
               % (" A row of the single-threaded families holds only if it holds with both compilers; it lists "
                  "the %s figures, then the %s ones." % (first_name, second_name) if second else ""))
    if CVS:
        cvs = sorted(CVS)
        out.append("Noise: across the repetitions of one benchmark, the coefficient of variation was %.0f%% "
                   "at the median and %.0f%% at the 90th percentile; separate runs on a loaded machine differ "
                   "more. A verdict within that margin of its limit is not decided: rerun on a quiet machine "
                   "(or with `REPETITIONS=10`).\n"
                   % (100 * cvs[len(cvs) // 2], 100 * cvs[min(len(cvs) - 1, int(len(cvs) * 0.9))]))
    out.append("| target | measured | worst | verdict |")
    out.append("|---|---|---:|---|")
    for title, detail, worst, verdict in rows:
        out.append("| %s | %s | %s | %s |" % (title.replace("|", "\\|").replace("<T>", "&lt;T&gt;").replace("<rill/rill.hpp>", "`<rill/rill.hpp>`"),
                                               detail, worst, verdict))
    out.append("")
    out.append("## Time: ratios to the hand loop\n")
    out.append(PEER_LEGEND)
    out.append(family_tables(data))
    if second:
        out.append("## Time with %s\n" % second_name)
        out.append("The single-threaded families again, built with `%s` (same cases and peers as above).\n"
                   % machine.get("second_compiler", second_name))
        out.append(family_tables(second, " (%s)" % second_name))
    out.append("## Memory\n")
    out.append("`benchmarks/memory.cpp`: `iota | map | filter | try_map (~1% Err) | and_then(of(x, x+1))` "
               "consumed by `count` (push), by `next()`, erased, plus `generate` and `using_resource` runs; "
               "`hand` is the same loop written by hand. The `err15_` cases run the same pipeline with 15% Err "
               "items (each with its message on the heap) through `count`, `for_each` with `error_summary(10)`, "
               "`next()` and a range-for. The `lines_` cases read a generated CSV file of 1M and "
               "10M lines (~16 MB and ~160 MB): `lines_getline` with `std::getline`, `lines_rill_push` with "
               "`count(lines(path) | try_map(parse) | map(sum))`.\n")
    out.append(mem_text)
    out.append("## Compile time\n")
    out.append(ct_text)
    out.append("## What stands in the way\n")
    out.append(GAPS)
    out.append("## Performance model\n")
    out.append(MODEL.format(**model(data)))
    out.append("Next: [12. Scaling out](12-scaling-out.md), several processes sharing one\n"
               "stream through a Redis consumer group.\n")
    with open(args.out, "w") as f:
        f.write("\n".join(out))
    print("report: wrote %s" % args.out)


if __name__ == "__main__":
    main()
