"""kzcoder's crash test: python benchmarks/torture.py [--kills N] [--seed S] [--jobs J] [--json OUT]

Kills kzcoder with SIGKILL at random moments while it works, then checks that nothing it had
acknowledged was lost and that the project file is sound. Four kinds of work, in turn:

- coding:     a child adds codings (and removes some of its own) through the services, printing
              each one's id once it is committed; afterwards every acknowledged coding is
              there, every acknowledged removal gone, and the codings are well-formed.
- importing:  a child imports a new folder of files (with a manifest) into a fresh project,
              printing progress's count of finished files; afterwards each of them is there with
              its exact text and attributes, and no document is half-written.
- creating:   a child runs ``kzcoder new PATH --sample`` (killed within 1.5 times what it
              takes, so about a third finish); afterwards PATH is absent or a complete sample
              project, and complete if ``created`` was printed.
- backing-up: a child writes consistent copies of a project (``services.backup.save_copy``)
              in a loop, printing each; afterwards each printed copy is there and sound, and no
              file under a copy's final name is incomplete.

After every kill the files are checked with ``PRAGMA integrity_check`` (and
``foreign_key_check``). The exit status is 1 if anything acknowledged was lost, a file failed a
check, or something was half-written. Each kill's moment is drawn after the child says it is
ready, uniformly over the time its work takes; ``--seed`` makes a run repeatable (up to the
machine's timing). ``--max-seconds`` bounds the run: it stops early and says so.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SCENARIOS = ("coding", "importing", "creating", "backing-up")
#: the longest a child works before it is killed, after it is ready (seconds); the moment of
#: each kill is uniform below it, so most land in the middle of the work
WINDOW = {"coding": 0.4, "importing": 0.6, "creating": None, "backing-up": 0.4}
IMPORT_FILES = 40


# --- the children (run as: torture.py --child KIND ARGS...) ---------------------------------
def child_coding(project_path: str, seed: str) -> None:
    from kzcoder.services.codings import add_coding, remove_coding
    from kzcoder.services.project import Project

    rng = random.Random(int(seed))
    mine: list[int] = []  # ids this child added (it removes only those)
    with Project.open(project_path) as project:
        from kzcoder.services.documents import list_documents

        lengths = {d.id: d.length for d in list_documents(project)}
        print("ready", flush=True)
        while True:
            if mine and rng.random() < 0.2:
                coding_id = mine.pop(rng.randrange(len(mine)))
                removed = remove_coding(project, coding_id).value
                print(f"-{removed.guid}", flush=True)
            else:
                document = rng.choice(list(lengths))
                start = rng.randrange(lengths[document] - 1)
                end = min(lengths[document], start + rng.randint(1, 300))
                coding = add_coding(project, document, rng.randint(1, 4), start, end,
                                    coder=f"torture{seed}", memo=rng.choice(("", "memo")))
                mine.append(coding.value.id)
                print(f"+{coding.value.guid}", flush=True)  # ids may be reused, GUIDs not


def child_importing(project_path: str, folder: str) -> None:
    from kzcoder.services.documents import import_paths
    from kzcoder.services.project import Project

    def progress(done: int, _total: int, _name: str) -> bool:
        print(done, flush=True)  # the first *done* files are finished
        return True

    with Project.open(project_path) as project:
        print("ready", flush=True)
        import_paths(project, [Path(folder)], progress=progress)
    print("end", flush=True)


def child_backing_up(project_path: str, folder: str) -> None:
    from kzcoder.services.backup import save_copy

    print("ready", flush=True)
    for number in range(1_000_000):
        written = save_copy(project_path, Path(folder) / f"copy{number:05}.kzc")
        print(written.name, flush=True)


CHILDREN = {"coding": child_coding, "importing": child_importing,
            "backing-up": child_backing_up}


# --- checks ----------------------------------------------------------------------------------
def sound(path: Path) -> list[str]:
    """What is wrong with the database at *path* (recovering its log as SQLite does)."""
    try:
        connection = sqlite3.connect(path, timeout=10)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            problems = [] if problems == ["ok"] else problems
            problems += [f"foreign key: {row}" for row in
                         connection.execute("PRAGMA foreign_key_check")]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return [f"cannot be read: {exc}"]
    return problems


def rows(path: Path, query: str, args: tuple = ()) -> list[tuple]:
    connection = sqlite3.connect(path, timeout=10)
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


@dataclass
class Round:
    """One kill: what the child acknowledged and what was found afterwards."""

    scenario: str
    seconds: float = 0.0
    killed_mid_work: bool = True
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged and not there
    unsound: list[str] = field(default_factory=list)  # integrity or foreign-key problems
    half_written: list[str] = field(default_factory=list)  # incomplete yet visible
    leftovers: int = 0  # temporary files a killed child left (cleaned up later by kzcoder)


def run_child(kind: str, args: list[str], window: float, rng: random.Random,
              command: list[str] | None = None) -> tuple[list[str], bool, float | None]:
    """Start a child, kill it at a random moment of its work; its output lines, whether it
    was still working when killed, and (if it finished) how long its work took."""
    argv = command or [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=REPO,
                               stderr=subprocess.DEVNULL)
    lines: list[str] = []
    ended: list[float] = []

    def read() -> None:
        for line in process.stdout:
            lines.append(line.strip())
            if line.strip() == "end" or line.startswith("created "):
                ended.append(time.perf_counter())

    try:
        ready = time.perf_counter()  # a command: from its start
        if command is None:
            first = process.stdout.readline().strip()
            if first != "ready":
                raise SystemExit(f"torture: the {kind} child did not start ({first!r})")
            ready = time.perf_counter()
        delay = rng.uniform(0, window)
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(delay)
        still = process.poll() is None
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        reader.join(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    took = ended[0] - ready if ended else None
    return [line for line in lines if line], still, took


class Lane:
    """One worker's files: a coding project (kept across its rounds) and scratch folders."""

    def __init__(self, work: Path, number: int, template: Path, empty: Path) -> None:
        self.folder = work / f"lane{number}"
        self.folder.mkdir()
        self.template, self.empty = template, empty
        self.coding_project = self.folder / "coding.kzc"
        shutil.copy(template, self.coding_project)
        self.present: set[str] = set()  # GUIDs of acknowledged codings not known removed
        self.removed: set[str] = set()  # GUIDs of acknowledged removals
        self.rounds = 0
        self.import_seconds = WINDOW["importing"]  # how long a whole import takes, learnt
        self.create_seconds = 0.0  # how long `new --sample` takes here, learnt

    def run(self, scenario: str, rng: random.Random, create_seconds: float) -> Round:
        self.rounds += 1
        started = time.perf_counter()
        result = getattr(self, "_" + scenario.replace("-", "_"))(rng, create_seconds)
        result.seconds = time.perf_counter() - started
        return result

    def _coding(self, rng: random.Random, _create: float) -> Round:
        result = Round("coding")
        lines, result.killed_mid_work, _ = run_child(
            "coding", [str(self.coding_project), str(rng.randrange(1 << 30))], WINDOW["coding"],
            rng)
        added_now: set[str] = set()
        for line in lines:
            guid = line[1:]
            if line[0] == "+":
                self.present.add(guid)
                added_now.add(guid)
            else:
                self.present.discard(guid)
                self.removed.add(guid)
            result.acknowledged += 1
        result.unsound = sound(self.coding_project)
        found = {row[0] for row in rows(self.coding_project, "SELECT guid FROM codings")}
        missing = self.present - found
        if len(missing) == 1 and missing <= added_now and result.killed_mid_work:
            # the child was killed removing one of its own codings after the commit, before
            # it could say so: an unacknowledged removal, not a loss
            self.present -= missing
            missing = set()
        result.lost = [f"coding {guid}" for guid in sorted(missing)]
        result.lost += [f"removal of coding {guid}" for guid in sorted(self.removed & found)]
        bad = rows(self.coding_project,
                   'SELECT c.id FROM codings c JOIN documents d ON d.id = c.document_id '
                   'WHERE NOT (0 <= c.start AND c.start < c."end" AND c."end" <= d.length)')
        result.half_written = [f"coding {row[0]} has a bad span" for row in bad]
        return result

    def _importing(self, rng: random.Random, _create: float) -> Round:
        result = Round("importing")
        project = self.folder / "import.kzc"
        for leftover in self.folder.glob("import.kzc*"):
            leftover.unlink()
        shutil.copy(self.empty, project)
        source = self.folder / "source"
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir()
        texts = {}
        for i in range(IMPORT_FILES):
            words = rng.choices(("протест", "police", "Жаңаөзен", "😀", "oil", "the", "a"),
                                k=rng.randint(20, 6000))
            text = f"round {self.rounds} file {i}\n" + " ".join(words) + "\n"
            (source / f"f{i:02}.txt").write_text(text, encoding="utf-8")
            texts[f"f{i:02}"] = text
        (source / "manifest.csv").write_text(
            "file,number\n" + "".join(f"f{i:02}.txt,{i}\n" for i in range(IMPORT_FILES)),
            encoding="utf-8")
        lines, still, took = run_child("importing", [str(project), str(source)],
                                       self.import_seconds, rng)
        if took is not None:  # it finished: kill within what a whole import takes from now on
            self.import_seconds = took
        result.killed_mid_work = still and "end" not in lines
        done = max((int(line) for line in lines if line.isdigit()), default=0)
        result.acknowledged = done
        result.unsound = sound(project)
        stored = {name: (text, length, sha, number) for name, text, length, sha, number in rows(
            project, "SELECT d.name, d.text, d.length, d.sha256, a.value FROM documents d "
                     "LEFT JOIN document_attributes a ON a.document_id = d.id "
                     "AND a.name = 'number'")}
        for i in range(done):
            if f"f{i:02}" not in stored:
                result.lost.append(f"file f{i:02}.txt")
        for name, (text, length, sha, number) in stored.items():
            expected = texts.get(name)
            if (text != expected or length != len(text)
                    or sha != hashlib.sha256(text.encode()).hexdigest()
                    or number != str(int(name[1:]))):
                result.half_written.append(f"document {name}")
        return result

    def _creating(self, rng: random.Random, create_seconds: float) -> Round:
        result = Round("creating")
        target = self.folder / "new" / "made.kzc"
        shutil.rmtree(target.parent, ignore_errors=True)
        target.parent.mkdir()
        command = [sys.executable, "-m", "kzcoder", "new", str(target), "--sample"]
        # a third of the kills after it would have finished: some creations are acknowledged
        window = 1.5 * (self.create_seconds or create_seconds)
        lines, result.killed_mid_work, took = run_child("creating", [], window, rng,
                                                        command=command)
        if took is not None:
            self.create_seconds = took
        acknowledged = any(line.startswith("created ") for line in lines)
        result.acknowledged = int(acknowledged)
        if target.exists():
            result.unsound = sound(target)
            documents = rows(target, "SELECT count(*) FROM documents")[0][0]
            codes = rows(target, "SELECT count(*) FROM codes")[0][0]
            if (documents, codes) != (5, 4):
                result.half_written.append(f"made.kzc with {documents} documents, {codes} codes")
        elif acknowledged:
            result.lost.append("made.kzc")
        result.leftovers = sum(1 for p in target.parent.iterdir() if p.name != "made.kzc")
        return result

    def _backing_up(self, rng: random.Random, _create: float) -> Round:
        result = Round("backing-up")
        copies = self.folder / "copies"
        shutil.rmtree(copies, ignore_errors=True)
        copies.mkdir()
        lines, result.killed_mid_work, _ = run_child(
            "backing-up", [str(self.coding_project), str(copies)], WINDOW["backing-up"], rng)
        acknowledged = set(lines)
        result.acknowledged = len(acknowledged)
        for name in sorted(acknowledged):
            if not (copies / name).exists():
                result.lost.append(f"copy {name}")
        for path in sorted(copies.iterdir()):
            if path.name.startswith("."):
                result.leftovers += 1  # a temporary copy the kill interrupted
                continue
            problems = sound(path)
            if problems or path.read_bytes()[18:20] != b"\x01\x01":
                result.half_written.append(f"copy {path.name}: {problems[:1]}")
        return result


# --- the run ---------------------------------------------------------------------------------
def prepare(work: Path) -> tuple[Path, Path, float]:
    """The sample project and an empty one to copy, and how long ``new --sample`` takes."""
    from kzcoder.services.project import Project
    from kzcoder.services.sample import create_project

    template = work / "template.kzc"
    create_project(template, sample=True).close()
    empty = work / "empty.kzc"
    Project.create(empty).close()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kzcoder", "new", str(work / "timed.kzc"), "--sample"],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return template, empty, time.perf_counter() - start


def torture(kills: int, seed: int, jobs: int, max_seconds: float, work: Path,
            scenarios: tuple[str, ...] = SCENARIOS) -> dict:
    began = time.perf_counter()
    template, empty, create_seconds = prepare(work)
    lanes = [Lane(work, n, template, empty) for n in range(jobs)]
    plan = [scenarios[i % len(scenarios)] for i in range(kills)]
    results: list[Round] = []
    stopped_early = False
    lock = threading.Lock()

    def lane_work(number: int) -> None:
        nonlocal stopped_early
        lane, rng = lanes[number], random.Random(seed * 1000 + number)
        for scenario in plan[number::jobs]:
            if time.perf_counter() - began > max_seconds:
                stopped_early = True
                return
            outcome = lane.run(scenario, rng, create_seconds)
            with lock:
                results.append(outcome)
                if len(results) % 50 == 0:
                    print(f"torture: {len(results)} kills, "
                          f"{time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lane_work, range(jobs)))
    return summary(results, seed, jobs, time.perf_counter() - began, stopped_early,
                   create_seconds)


def summary(results: list[Round], seed: int, jobs: int, seconds: float, stopped_early: bool,
            create_seconds: float) -> dict:
    per: dict[str, dict] = {}
    for scenario in SCENARIOS:
        mine = [r for r in results if r.scenario == scenario]
        if not mine:
            continue
        per[scenario] = {
            "kills": len(mine),
            "killed_mid_work": sum(r.killed_mid_work for r in mine),
            "acknowledged": sum(r.acknowledged for r in mine),
            "lost": sum(len(r.lost) for r in mine),
            "unsound": sum(bool(r.unsound) for r in mine),
            "half_written": sum(len(r.half_written) for r in mine),
            "leftovers": sum(r.leftovers for r in mine),
            "median_round_s": round(sorted(r.seconds for r in mine)[len(mine) // 2], 3),
        }
    problems = [f"{r.scenario}: {text}" for r in results
                for text in (*r.lost, *r.unsound, *r.half_written)]
    totals = Counter()
    for values in per.values():
        totals.update({k: v for k, v in values.items() if isinstance(v, int)})
    return {"seed": seed, "jobs": jobs, "seconds": round(seconds, 1),
            "stopped_early": stopped_early, "create_seconds": round(create_seconds, 2),
            "kills": len(results), "lost": totals["lost"], "unsound": totals["unsound"],
            "half_written": totals["half_written"], "leftovers": totals["leftovers"],
            "acknowledged": totals["acknowledged"], "scenarios": per,
            "problems": problems[:50]}


def table(report: dict) -> str:
    head = (f"{'scenario':<12}{'kills':>7}{'mid-work':>10}{'acked':>9}{'lost':>6}"
            f"{'unsound':>9}{'half':>6}{'leftover':>10}{'s/kill':>8}")
    lines = [head]
    for scenario, v in report["scenarios"].items():
        lines.append(f"{scenario:<12}{v['kills']:>7}{v['killed_mid_work']:>10}"
                     f"{v['acknowledged']:>9}{v['lost']:>6}{v['unsound']:>9}"
                     f"{v['half_written']:>6}{v['leftovers']:>10}{v['median_round_s']:>8}")
    lines.append(f"{report['kills']} kills in {report['seconds']} s (seed {report['seed']}, "
                 f"{report['jobs']} at once{', STOPPED EARLY' if report['stopped_early'] else ''}"
                 f"): {report['lost']} acknowledged lost, {report['unsound']} unsound, "
                 f"{report['half_written']} half-written")
    lines.extend(report["problems"])
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None, help="default: from the clock")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="children killed at once, each on its own files")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        CHILDREN[kind](*rest)
        return 0
    scenarios = tuple(s for s in args.scenarios.split(",") if s)
    if unknown := set(scenarios) - set(SCENARIOS):
        parser.error(f"no scenario {', '.join(sorted(unknown))}")
    seed = args.seed if args.seed is not None else time.time_ns() % 100_000
    work = Path(tempfile.mkdtemp(prefix="kztorture-"))
    os.environ.setdefault("KZCODER_HOME", str(work / "home"))
    try:
        report = torture(args.kills, seed, max(1, args.jobs), args.max_seconds, work, scenarios)
    finally:
        if args.keep:
            print(f"torture: files kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    failed = report["lost"] or report["unsound"] or report["half_written"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

