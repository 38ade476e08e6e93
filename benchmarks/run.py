"""reportgen's benchmark: speed, memory, scaling, PDF size, batches; optionally a peer route side by side.

Run on demand (not part of the test suite; needs pypdf, from the ``test`` extra):

    python benchmarks/run.py                          # everything, prints a Markdown table
    python benchmarks/run.py --quick                  # fewer repetitions, smaller batches
    python benchmarks/run.py --peer reportlab-briefing  # also time benchmarks/peer_briefing.py, with ratios
    python benchmarks/run.py --peer reportlab-briefing --peer reportlab-script  # both peers, a column each
    python benchmarks/run.py --instructions           # also count instructions (valgrind): exact when busy

Every number is a median of repeated runs; "cold" means a fresh process
(``reportgen`` as a user runs it: byte-compiled as installed, its on-disk caches of parsed fonts and compiled
templates filled by an earlier run; one row also times it without them), "warm"
means one more document in a process that has already made one (fonts parsed,
templates compiled, catalogs loaded): the same document again (a re-run: its font
subsets are made already), and one whose font subsets are new to the process (as
another briefing's mostly are: ``forget_subsets`` before each).
The targets come from issue 6 and are never asserted: this script measures.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "fixtures" / "digital-government-2025.yaml"
PYTHON = sys.executable
REPORTGEN = [PYTHON, "-m", "reportgen"]
PEERS = {
    "reportlab-script": ROOT / "benchmarks" / "peer_plain.py",  # half the briefing, pasted into paragraphs
    "reportlab-briefing": ROOT / "benchmarks" / "peer_briefing.py",  # the same briefing, written by hand
}

Row = tuple[str, ...]  # measure, reportgen, target, then one column per peer ("" where it has none)
Peers = dict[str, Path]  # name → script


# ------------------------------------------------------------------ helpers


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


LAUNCHER = """\
import json, resource, subprocess, sys, time
started = time.perf_counter()
run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([run.returncode, elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime,
                  run.stderr.decode(errors="replace")[-3000:]]))
"""


def run_child(argv: Sequence[str | Path], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run a process to completion: wall time (s), peak RSS (MB, itself or any of its children), CPU time (s).

    It is started from a small launcher process: a child forked straight from
    this (large) process would report this process's RSS as its own peak.
    """
    out = subprocess.run(
        [PYTHON, "-c", LAUNCHER, *map(str, argv)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env} if env else None,
    )
    status, elapsed, peak, cpu, stderr = json.loads(out.stdout)
    if status not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({status}):\n{stderr}")
    return elapsed, peak, cpu


def cold(
    argv: Sequence[str | Path], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Median wall time (s), largest peak RSS (MB), median CPU time (s) of ``repeat`` fresh runs."""
    run_child(argv, env)  # the OS page cache, .pyc files, reportgen's on-disk caches
    runs = [run_child(argv, env) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def byte_compile() -> None:
    """Write reportgen's .pyc files, as ``pip install`` does for an installed package.

    An editable install has none until Python writes them on a first import, which
    it never does under ``PYTHONDONTWRITEBYTECODE``: every cold run would then
    compile reportgen's sources again (~200 ms), a cost no installed copy has.
    """
    import compileall

    compileall.compile_dir(ROOT / "reportgen", quiet=1)


def cold_interleaved(
    commands: dict[str, Sequence[str | Path]], repeat: int
) -> dict[str, tuple[float, float, float]]:
    """``cold`` for several commands, run in turns, so that a busy spell of a shared machine hits them alike."""
    for argv in commands.values():
        run_child(argv)  # the OS page cache, .pyc files, on-disk caches
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            runs[name].append(run_child(argv))
    return {
        name: (
            statistics.median(r[0] for r in samples),
            max(r[1] for r in samples),
            statistics.median(r[2] for r in samples),
        )
        for name, samples in runs.items()
    }


def warm(make: Callable[[], object], repeat: int) -> float:
    make()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        make()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from reportgen.batch import default_jobs

    return (
        f"{default_jobs()} cores ({os.cpu_count()} CPUs), {model}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {datetime.date.today().isoformat()}"
    )


# ------------------------------------------------------------------ generated events


def reference_data() -> dict:
    """The reference event as plain data (it holds nothing YAML 1.1 and 1.2 read differently)."""
    import yaml

    return yaml.load(REFERENCE.read_text("utf-8"), Loader=yaml.CSafeLoader)


def large_event(copies: int) -> dict:
    """The reference event with every person, source and section repeated ``copies`` times."""
    data = reference_data()
    person_ids = {p["id"] for p in data["people"]}
    people, sources, sections = [], [], []
    for i in range(1, copies + 1):

        def source_id(ref: int, i: int = i) -> int:
            return i * 1000 + ref

        for person in data["people"]:
            copy = dict(person, id=f"{person['id']}-{i}")
            copy["name"] = {lang: f"{name} {i}" for lang, name in person["name"].items()}
            people.append(copy)
        for source in data["sources"]:
            sources.append(dict(source, id=source_id(source["id"])))
        for section in data["sections"]:
            points = []
            for point in section["points"]:
                point = dict(point, refs=[source_id(r) for r in point.get("refs", [])])
                if point.get("speaker") in person_ids:
                    point["speaker"] = f"{point['speaker']}-{i}"
                points.append(point)
            sections.append(dict(section, id=f"{section['id']}-{i}", points=points))
    data.update(people=people, sources=sources, sections=sections)
    data["summary_refs"] = [1000 + r for r in data.get("summary_refs", [])]
    for figure in data.get("figures", []):
        if figure.get("speaker") in person_ids:
            figure["speaker"] = f"{figure['speaker']}-1"
        figure["refs"] = [1000 + r for r in figure.get("refs", [])]
    return data


def write_event(data: dict, path: Path, event_id: str | None = None) -> Path:
    if event_id:
        data = dict(data, id=event_id)
    path.write_text(json.dumps(data, ensure_ascii=False, default=lambda v: v.isoformat()), "utf-8")
    return path


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def font_programs(data: bytes) -> tuple[int, int, int, int]:
    """Embedded font programs: (count, total bytes, duplicated programs, fonts referenced per page max)."""
    import hashlib

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    programs: dict[tuple[int, int], bytes] = {}
    per_page = 0
    for page in reader.pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        per_page = max(per_page, len(fonts))
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for descendant in descendants.get_object() if descendants is not None else [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    stream_ref = descriptor.get_object().get(key)
                    if stream_ref is not None:
                        programs[(stream_ref.idnum, stream_ref.generation)] = stream_ref.get_object().get_data()
    digests = [hashlib.sha256(p).hexdigest() for p in programs.values()]
    duplicates = len(digests) - len(set(digests))
    return len(programs), sum(len(p) for p in programs.values()), duplicates, per_page


# ------------------------------------------------------------------ measurements


def measure_cold(repeat: int, tmp: Path, peers: Peers) -> list[Row]:
    build = [*REPORTGEN, "build", REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", tmp / "cold", "-q"]
    commands: dict[str, Sequence[str | Path]] = {"build": build, "one": [*build, "--jobs", "1"]}
    for name, peer in peers.items():
        commands[f"peer {name}"] = [PYTHON, peer, REFERENCE, tmp / name]
    measured = cold_interleaved(commands, repeat)
    seconds, peak, cpu = measured["build"]
    one_s, one_peak, one_cpu = measured["one"]
    first_s, first_peak, first_cpu = cold(build, repeat, {"REPORTGEN_NO_CACHE": "1"})
    help_s, _, _ = cold([*REPORTGEN, "--help"], repeat)
    validate_s, validate_peak, _ = cold([*REPORTGEN, "validate", REFERENCE, "-q"], repeat)
    versus: list[list[str]] = [[], [], []]
    for name in peers:
        peer_s, peer_peak, peer_cpu = measured[f"peer {name}"]
        versus[0].append(f"{peer_s:.2f} s (CPU {peer_cpu:.2f} s) ({seconds / peer_s:.2f}×, CPU {cpu / peer_cpu:.2f}×)")
        versus[1].append(f"{peer_peak:.0f} MB")
        versus[2].append(f"({one_s / peer_s:.2f}×, CPU {one_cpu / peer_cpu:.2f}×)")
    return [
        ("cold CLI, reference, zh+en × PDF+DOCX (4 documents)", f"{seconds:.2f} s (CPU {cpu:.2f} s)", "≤ 0.50 s", *versus[0]),
        ("peak RSS of that cold build (largest process)", f"{peak:.0f} MB", "≤ 100 MB", *versus[1]),
        (
            "the same in one process (`--jobs 1`: no DOCX child)",
            f"{one_s:.2f} s (CPU {one_cpu:.2f} s), {one_peak:.0f} MB",
            "",
            *versus[2],
        ),
        (
            "the same without on-disk caches (a first run; `REPORTGEN_NO_CACHE=1`)",
            f"{first_s:.2f} s (CPU {first_cpu:.2f} s), {first_peak:.0f} MB",
            "",
            "",
        ),
        ("cold `reportgen --help`", f"{help_s:.2f} s", "", ""),
        ("cold `reportgen validate`", f"{validate_s:.2f} s, {validate_peak:.0f} MB", "", ""),
    ]


def measure_imports() -> list[Row]:
    probe = (
        "import sys\nfrom reportgen.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(m for m in ('reportlab', 'docx', 'jinja2') if m in sys.modules))"
    )
    rows = []
    for argv in (["--help"], ["validate", str(REFERENCE), "-q"]):
        out = subprocess.run([PYTHON, "-c", probe, *argv], capture_output=True, text=True, check=True).stdout
        heavy = out.strip().splitlines()[-1].removeprefix("HEAVY:")
        rows.append((f"heavy imports of `reportgen {argv[0]}`", heavy or "none", "none", ""))
    return rows


def measure_warm(repeat: int, tmp: Path, peers: Peers) -> list[Row]:
    """Per-document times in this process; with peers, each batch of ours followed at once by the same of each peer's.

    Each peer renders in a process of its own kept waiting for requests, so that a
    busy spell of the shared machine hits both sides of each pair alike.
    """
    from reportgen.compose import compose
    from reportgen.loading import load_event
    from reportgen.renderers import renderer

    event = load_event(REFERENCE)
    composed = {lang: compose(event, lang).document for lang in ("zh", "en")}
    makers: dict[str, Callable[[], object]] = {"load": lambda: load_event(REFERENCE)}
    peer_of: dict[str, str] = {}  # our row → the peer's request timed right after it
    for lang in ("zh", "en"):
        makers[f"compose {lang}"] = lambda lang=lang: compose(event, lang)
        for fmt in ("pdf", "docx"):
            makers[f"{fmt} {lang}"] = lambda render=renderer(fmt), lang=lang: render(composed[lang])
            peer_of[f"{fmt} {lang}"] = f"{fmt} {lang}"
        makers[f"pdf-new {lang}"] = lambda render=renderer("pdf"), lang=lang: new_subsets(render, composed[lang])
        # from the event, as the script makes each document: composed, then rendered (PDF: subsets new)
        makers[f"pdf-event {lang}"] = lambda render=renderer("pdf"), lang=lang: new_subsets(
            render, compose(event, lang).document
        )
        makers[f"docx-event {lang}"] = lambda render=renderer("docx"), lang=lang: render(compose(event, lang).document)
        peer_of.update({f"pdf-new {lang}": f"pdf {lang}", f"pdf-event {lang}": f"pdf {lang}"})
        peer_of[f"docx-event {lang}"] = f"docx {lang}"
    # the scripts keep nothing between documents: their new documents cost the same
    servers = {
        name: subprocess.Popen(
            [PYTHON, str(peer), str(REFERENCE), str(tmp / name), "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        for name, peer in peers.items()
    }
    rounds = 3 if peers else 1
    ours: dict[str, list[float]] = {key: [] for key in makers}
    theirs: dict[str, dict[str, list[float]]] = {name: {key: [] for key in peer_of} for name in peers}
    try:
        for _ in range(rounds):
            for key, make in makers.items():
                ours[key].append(warm(make, repeat))
                for name, server in servers.items() if key in peer_of else ():
                    assert server.stdin is not None and server.stdout is not None
                    server.stdin.write(f"{peer_of[key]} {repeat}\n")
                    server.stdin.flush()
                    theirs[name][key].append(statistics.median(json.loads(server.stdout.readline())))
    finally:
        for server in servers.values():
            server.communicate()
    results = {key: statistics.median(samples) for key, samples in ours.items()}
    medians = {name: {key: statistics.median(s) for key, s in its.items()} for name, its in theirs.items()}

    def row(title: str, kind: str, target: str) -> Row:
        mine = statistics.mean([results[f"{kind} zh"], results[f"{kind} en"]])
        shown = f"{mine:.0f} ms ({results[f'{kind} zh']:.0f} / {results[f'{kind} en']:.0f})"
        versus = []
        for its in medians.values():
            both = statistics.mean([its[f"{kind} zh"], its[f"{kind} en"]])
            versus.append(f"{both:.0f} ms ({its[f'{kind} zh']:.0f} / {its[f'{kind} en']:.0f}) ({mine / both:.2f}×)")
        return (title, shown, target, *versus)

    return [
        row("warm PDF per document, the same document again (render; zh / en)", "pdf", "≤ 28 ms, then 11 ms"),
        row("warm PDF per document whose font subsets are new to the process (zh / en)", "pdf-new", "≤ 28 ms, then 11 ms"),
        row("warm PDF per document from the event: compose + render, subsets new (zh / en)", "pdf-event", "≤ 28 ms, then 11 ms"),
        row("warm DOCX per document (render; zh / en)", "docx", "≤ 49 ms"),
        row("warm DOCX per document from the event: compose + render (zh / en)", "docx-event", "≤ 49 ms"),
        ("warm compose per language (zh / en)", f"{results['compose zh']:.0f} / {results['compose en']:.0f} ms", "", ""),
        ("warm load + validate of the event file", f"{results['load']:.0f} ms", "", ""),
    ]


def new_subsets(render: Callable[[object], object], document: object) -> object:
    """A render as of a briefing the process has not made before: no subset or font program from an earlier one.

    The process keeps the last subsets it made (a re-run of a briefing has the same
    ones); another briefing's subsets mostly differ. The glyphs read stay, as in a batch.
    """
    from reportgen.renderers.pdf_fonts import forget_subsets

    forget_subsets()
    return render(document)


def measure_scaling(repeat: int, tmp: Path, copies: int) -> list[Row]:
    from reportgen.compose import compose
    from reportgen.loading import load_event
    from reportgen.renderers import renderer

    small = load_event(REFERENCE)
    large = load_event(write_event(large_event(copies), tmp / "large.json"))
    rows: list[Row] = []
    for lang in ("zh", "en"):
        docs = {name: compose(ev, lang).document for name, ev in (("small", small), ("large", large))}
        pages = {name: pdf_pages(renderer("pdf")(doc)) for name, doc in docs.items()}
        times = {name: warm(lambda doc=doc: renderer("pdf")(doc), max(3, repeat // 4)) for name, doc in docs.items()}
        docx_times = {
            name: warm(lambda doc=doc: renderer("docx")(doc), max(3, repeat // 4)) for name, doc in docs.items()
        }
        compose_times = {
            name: warm(lambda ev=ev: compose(ev, lang), max(3, repeat // 4))
            for name, ev in (("small", small), ("large", large))
        }
        page_ratio = pages["large"] / pages["small"]
        rows.append(
            (
                f"{lang}: {pages['small']}-page vs {pages['large']}-page event ({copies}× people, sources, sections)",
                f"PDF {times['small']:.0f} → {times['large']:.0f} ms ({times['large'] / times['small']:.1f}× for "
                f"{page_ratio:.1f}× pages); DOCX {docx_times['large'] / docx_times['small']:.1f}×, "
                f"compose {compose_times['large'] / compose_times['small']:.1f}× for {copies}× content",
                f"≈ {page_ratio:.0f}× (linear)",
                "",
            )
        )
    return rows


def measure_pdf_size(tmp: Path) -> list[Row]:
    from reportgen.compose import compose
    from reportgen.loading import load_event
    from reportgen.renderers import renderer

    rows: list[Row] = []
    event = load_event(REFERENCE)
    large = load_event(tmp / "large.json")
    for name, ev in (("reference", event), ("large", large)):
        for lang in ("zh", "en"):
            data = renderer("pdf")(compose(ev, lang).document)
            count, size, duplicates, per_page = font_programs(data)
            rows.append(
                (
                    f"PDF size, {name} {lang} ({pdf_pages(data)} pages)",
                    f"{len(data) / 1024:.0f} KB; {count} subset font programs, {size / 1024:.0f} KB; "
                    f"{duplicates} duplicated",
                    "subsets only, 0 duplicated",
                    "",
                )
            )
    return rows


def measure_memory_growth(documents: int) -> list[Row]:
    """Render ``documents`` documents in one fresh process; RSS after the first 20 vs at the end."""
    code = f"""
import sys
sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
from run import rss_mb, REFERENCE
from reportgen.compose import compose
from reportgen.loading import load_event
from reportgen.renderers import renderer
event = load_event(REFERENCE)
jobs = [(lang, fmt) for lang in ("zh", "en") for fmt in ("pdf", "docx")]
samples = []
for n in range({documents}):
    lang, fmt = jobs[n % 4]
    renderer(fmt)(compose(event, lang).document)
    if n + 1 in (20, {documents}):
        samples.append(rss_mb())
print(samples[0], samples[-1])
"""
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    first, last = float(out[0]), float(out[1])
    return [
        (
            f"RSS in one process: after 20 documents → after {documents}",
            f"{first:.0f} → {last:.0f} MB ({last - first:+.1f} MB)",
            "flat",
            "",
        )
    ]


def measure_batch(events: int, tmp: Path) -> list[Row]:
    from reportgen.batch import default_jobs

    directory = tmp / "batch"
    directory.mkdir()
    data = reference_data()
    for i in range(events):
        # different briefings: sections and key figures in another order, so characters are first
        # used in another order and an event's font subsets are its own (as another briefing's are)
        shuffle = random.Random(i).sample
        event = {**data, "sections": shuffle(data["sections"], len(data["sections"]))}
        event["figures"] = shuffle(data["figures"], len(data["figures"]))
        write_event(event, directory / f"event-{i:04d}.json", f"batch-event-{i:04d}")
    documents = events * 4
    rows: list[Row] = []
    for jobs in sorted({1, default_jobs()}):
        argv = [*REPORTGEN, "build", directory, "--lang", "zh,en", "--format", "pdf,docx", "-o", tmp / f"bout{jobs}", "-q", "-j", str(jobs)]
        seconds, peak, cpu = run_child(argv)
        rows.append(
            (
                f"CLI batch: {events} events = {documents} documents, --jobs {jobs}",
                f"{seconds:.1f} s, {seconds / documents * 1000:.0f} ms/document (CPU {cpu:.1f} s), peak RSS {peak:.0f} MB",
                "",
                "",
            )
        )
    return rows


WARM_SCRIPT = {
    "reportgen": """\
import sys
from reportgen.compose import compose
from reportgen.loading import load_event
from reportgen.renderers import renderer
event = load_event(sys.argv[1])
langs = next((a[5:].split(",") for a in sys.argv[4:] if a.startswith("lang=")), ["zh", "en"])
documents = [compose(event, lang).document for lang in langs]
render = renderer(sys.argv[2])
forget = lambda: None  # noqa: E731
if "new" in sys.argv[4:]:  # each document's font subsets new to the process
    from reportgen.renderers.pdf_fonts import forget_subsets as forget
composing = "compose" in sys.argv[4:]  # each document composed from the event, as the script builds its own
for _ in range(int(sys.argv[3]) + 1):
    for lang, document in zip(langs, documents):
        forget()
        render(compose(event, lang).document if composing else document)
""",
    "peer": """\
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import {module} as peer
event = peer.load(Path(sys.argv[1]))
make = getattr(peer, sys.argv[2])
langs = sys.argv[5].split(",") if len(sys.argv) > 5 else ["zh", "en"]
for _ in range(int(sys.argv[3]) + 1):
    for lang in langs:
        make(event, lang)
""",
}


def instructions(argv: Sequence[str | Path]) -> int:
    """Instructions a command executes, with every process it starts (valgrind's cachegrind, no cache model).

    Unlike seconds, the count is the same on a busy shared machine as on a quiet
    one, so two routes compare exactly; it does not weigh memory stalls. The hash
    seed is fixed, so that the order of sets (and the little work that follows from
    it: ~0.05 M instructions per document between seeds) is the same in every run.
    Whole runs of this script have still differed by up to ~3 M per document (the
    script's English PDF: 75–78 M); read differences smaller than that as noise.
    """
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    run = subprocess.run(
        [*valgrind, "--trace-children=yes", *map(str, argv)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    counts = re.findall(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if run.returncode not in (0, 1) or not counts:
        raise SystemExit(f"valgrind {' '.join(map(str, argv))} failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return sum(int(count.replace(",", "")) for count in counts)


def measure_instructions(tmp: Path, peers: Peers) -> list[Row]:
    """Instruction counts: a cold build, and per warm document (the difference between 0 and 4 more rounds)."""
    build = [*REPORTGEN, "build", REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", tmp / "ir", "-q"]
    run_child(build)
    # --jobs 1: a forked child's count starts from its parent's, so two processes cannot be summed
    ours = {"cold": instructions([*build, "--jobs", "1"])}
    theirs: dict[str, dict[str, int]] = {name: {} for name in peers}
    for name, peer in peers.items():
        theirs[name]["cold"] = instructions([PYTHON, peer, REFERENCE, tmp / f"ir-{name}"])
    def per_document(script: str, fmt: str, *flags: str | Path, langs: int = 2) -> int:
        """Instructions per warm document: 4 more rounds of ``langs`` documents, less none."""
        rounds = [instructions([PYTHON, "-c", script, REFERENCE, fmt, k, *flags]) for k in (0, 4)]
        return (rounds[1] - rounds[0]) // (4 * langs)

    ours_script = WARM_SCRIPT["reportgen"]
    for fmt in ("pdf", "docx"):
        ours[fmt] = per_document(ours_script, fmt)
        if fmt == "pdf":
            ours["pdf-new"] = per_document(ours_script, fmt, "new")
            ours["pdf-event"] = per_document(ours_script, fmt, "new", "compose")
            for lang in ("zh", "en"):  # where the difference lies
                ours[f"pdf-event {lang}"] = per_document(ours_script, fmt, "new", "compose", f"lang={lang}", langs=1)
        else:
            ours["docx-event"] = per_document(ours_script, fmt, "compose")
        for name, peer in peers.items():
            script = WARM_SCRIPT["peer"].replace("{module}", peer.stem)
            theirs[name][fmt] = per_document(script, fmt, peer.parent)
            if fmt == "pdf":
                for lang in ("zh", "en"):
                    theirs[name][f"pdf {lang}"] = per_document(script, fmt, peer.parent, lang, langs=1)

    # the script keeps nothing between documents
    theirs_for = {"pdf-new": "pdf", "pdf-event": "pdf", "docx-event": "docx", "pdf-event zh": "pdf zh", "pdf-event en": "pdf en"}

    def versus(key: str) -> tuple[str, ...]:
        its = theirs_for.get(key, key)
        return tuple(f"{counts[its] / 1e6:,.0f} M ({ours[key] / counts[its]:.2f}×)" for counts in theirs.values())

    return [
        (
            "instructions: cold CLI, zh+en × PDF+DOCX, in one process (`--jobs 1`)",
            f"{ours['cold'] / 1e6:,.0f} M",
            "",
            *versus("cold"),
        ),
        ("instructions: warm PDF per document, the same again (zh and en)", f"{ours['pdf'] / 1e6:,.0f} M", "", *versus("pdf")),
        ("instructions: warm PDF per document, subsets new (zh and en)", f"{ours['pdf-new'] / 1e6:,.0f} M", "", *versus("pdf-new")),
        ("instructions: warm PDF per document from the event: compose + render, subsets new (zh and en)", f"{ours['pdf-event'] / 1e6:,.0f} M", "", *versus("pdf-event")),
        *(
            (f"instructions: warm PDF from the event, {lang} only", f"{ours[f'pdf-event {lang}'] / 1e6:,.0f} M", "", *versus(f"pdf-event {lang}"))
            for lang in ("zh", "en")
        ),
        ("instructions: warm DOCX per document (zh and en)", f"{ours['docx'] / 1e6:,.0f} M", "", *versus("docx")),
        ("instructions: warm DOCX per document from the event: compose + render (zh and en)", f"{ours['docx-event'] / 1e6:,.0f} M", "", *versus("docx-event")),
    ]


# ------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and smaller batches")
    parser.add_argument("--repeat", type=int, help="repetitions per timing (default 5 cold / 20 warm; quick: 3 / 8)")
    parser.add_argument("--documents", type=int, help="documents for the memory-growth run (default 500; quick: 100)")
    parser.add_argument("--batch-events", type=int, help="events in the CLI batch run (default 40; quick: 8)")
    parser.add_argument("--copies", type=int, default=20, help="repetitions of the reference's content in the large event")
    parser.add_argument(
        "--peer", action="append", default=[], choices=sorted(PEERS), help="also time a peer route, with ratios (repeatable)"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind (exact on a busy machine)"
    )
    args = parser.parse_args()
    cold_repeat = args.repeat or (3 if args.quick else 5)
    warm_repeat = args.repeat or (8 if args.quick else 20)
    documents = args.documents or (100 if args.quick else 500)
    batch_events = args.batch_events or (8 if args.quick else 40)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as name:
        tmp = Path(name)
        # reportgen's on-disk caches (parsed fonts, compiled templates): a fresh directory,
        # filled by each cold measurement's first, discarded run
        os.environ["REPORTGEN_CACHE_DIR"] = str(tmp / "cache")
        os.environ.pop("REPORTGEN_NO_CACHE", None)
        byte_compile()
        peers = {name: PEERS[name] for name in dict.fromkeys(args.peer)}
        print("cold …", file=sys.stderr)
        rows += measure_cold(cold_repeat, tmp, peers)
        rows += measure_imports()
        print("warm …", file=sys.stderr)
        rows += measure_warm(warm_repeat, tmp, peers)
        print("scaling …", file=sys.stderr)
        rows += measure_scaling(warm_repeat, tmp, args.copies)
        rows += measure_pdf_size(tmp)
        print("memory …", file=sys.stderr)
        rows += measure_memory_growth(documents)
        print("batch …", file=sys.stderr)
        rows += measure_batch(batch_events, tmp)
        if args.instructions:
            print("instructions (valgrind) …", file=sys.stderr)
            rows += measure_instructions(tmp, peers)
    print(f"Machine: {machine()}\n")
    header = ("measure", "reportgen", "target", *(f"peer: {name} (ratio reportgen/peer)" for name in peers))
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join((*row, *[""] * len(header))[: len(header)]) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
