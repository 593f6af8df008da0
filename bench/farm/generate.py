"""Make farm articles from real ones, with the truth recorded sentence by sentence.

    python -m bench.farm.generate --split heldout --n 1000 --seed 1

writes ``bench/out/farm-heldout-seed1-n1000.jsonl``: one JSON record per article, holding its
text and a truth entry for every sentence placed in it. docs/benchmark.md describes the
recipes and the record.

Article ``i`` of a split and seed is the same whatever ``--n`` is: each article has its own
random generator, seeded by the split, the seed and its index, so a slice of the first 200
is a prefix of the first 1000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpora import REPO
from bench.farm import template
from bench.farm.sources import Article, Pool, family
from bench.farm.spin import Settings, Sub, spin

GENERATOR = "unspun.bench.farm/1"
OUT = REPO / "bench" / "out"

# The recipe of article i is KIND_CYCLE[i % 10]: a slice of any ten has three clean articles.
KIND_CYCLE = ("clean", "stitched", "injected", "furniture", "farm", "clean", "spun", "injected", "farm", "clean")
RATES = (0.1, 0.2, 0.3, 0.4)
BODY_LABELS = ("original", "copied", "spun")

# A sentence opening like this leans on the one before it (a pronoun, a connective). Placed
# after anything but its own predecessor, it dangles. A heuristic truth for the
# dangling-reference finding, recorded per body sentence.
_REFERRING = re.compile(
    r"^[\"'“‘]?(?:He|She|They|It|His|Her|Their|Its|This|That|These|Those|Such|But|However|Also|"
    r"Meanwhile|Still|Yet|And|Instead|Moreover|Furthermore|Nonetheless|Nevertheless|Both|"
    r"The former|The latter|The move|The decision|The statement|The comments|The remarks)\b"
)


def fingerprint() -> str:
    """A hash of the generator's code, unspun's segmenter and the furniture rules' version: a
    generated set on disk is stale when it changes."""
    h = hashlib.sha1(GENERATOR.encode())
    for name in ("generate.py", "spin.py", "table.py", "template.py", "sources.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    # Sentence spans and indices come from unspun's segmenter, and furniture from the miner.
    import unspun.doc

    h.update(Path(unspun.doc.__file__).read_bytes())
    try:
        from bench import furniture

        h.update(str(furniture.VERSION).encode())
    except ImportError:
        pass
    return h.hexdigest()[:12]


@dataclass(slots=True)
class Entry:
    """One sentence (or furniture line) being placed, with its truth."""

    text: str
    label: str  # original, copied, spun, injected, furniture
    source_id: str | None = None
    source_field: str | None = None  # 'text' or 'title' of the source article
    source_span: tuple[int, int] | None = None
    source_sentence: int | None = None
    subs: list[Sub] = field(default_factory=list)
    role: str | None = None  # furniture: title, byline, dateline, header, source_line, caption, ...
    position: str | None = None  # furniture and injected: head, middle, end
    origin: str | None = None  # furniture: template:<name>, extraction-benchmark, allsides
    merged: dict | None = None  # a second source sentence joined onto this one
    extra: dict = field(default_factory=dict)

    def truth(self, start: int) -> dict:
        d: dict = {"start": start, "end": start + len(self.text), "label": self.label}
        d["source_id"] = self.source_id
        d["source_field"] = self.source_field
        d["source_span"] = list(self.source_span) if self.source_span else None
        d["source_sentence"] = self.source_sentence
        base = self.source_span[0] if self.source_span else 0
        subs = []
        for s in self.subs:
            sd = s.to_dict()
            sd["start"] += start
            sd["end"] += start
            sd["src_start"] += base
            sd["src_end"] += base
            subs.append(sd)
        d["substitutions"] = subs
        d["number_changes"] = [
            {"from": s["from"], "to": s["to"], "start": s["start"], "end": s["end"]} for s in subs if s["kind"] == "number"
        ]
        if self.role:
            d["role"] = self.role
        if self.position:
            d["position"] = self.position
        if self.origin:
            d["origin"] = self.origin
        if self.merged:
            m = dict(self.merged)
            offset = m.pop("offset")
            m["start"] = start + offset
            m["end"] = start + offset + m.pop("length")
            d["merged_with"] = m
        d.update(self.extra)
        return d


# A line is a list of (separator, entry); a block (paragraph) is a list of lines.
Line = list[tuple[str, Entry]]
Block = list[Line]


def _line(*entries: Entry) -> Line:
    return [("" if i == 0 else " ", e) for i, e in enumerate(entries)]


def assemble(blocks: list[Block]) -> tuple[str, list[dict]]:
    """Blocks joined by blank lines, lines by a line break: the text and its truth, in order."""
    parts: list[str] = []
    truth: list[dict] = []
    pos = 0

    def put(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for bi, block in enumerate(blocks):
        if bi:
            put("\n\n")
        for li, line in enumerate(block):
            if li:
                put("\n")
            for sep, e in line:
                put(sep)
                truth.append(e.truth(pos))
                put(e.text)
    return "".join(parts), truth


def _mark_dangling(truth: list[dict]) -> None:
    prev: tuple[str, int] | None = None
    for t in truth:
        if t["label"] not in BODY_LABELS:
            continue
        here = (t["source_id"], t["source_sentence"])
        follows = prev is not None and prev[0] == here[0] and prev[1] == here[1] - 1
        t["dangling"] = bool(here[1] and not follows and _REFERRING.match(t["_text"]))
        m = t.get("merged_with")
        prev = (m["source_id"], m["source_sentence"]) if m else here


class Generator:
    """Builds farm articles of one split from a :class:`Pool` (built once, reused)."""

    def __init__(self, split: str, seed: int = 1, pool: Pool | None = None) -> None:
        self.split = split
        self.seed = seed
        self.pool = pool if pool is not None else Pool(split)
        self.fingerprint = fingerprint()

    # ----------------------------------------------------------------------------------------
    # Pieces

    def sentence_entry(self, a: Article, i: int, label: str) -> Entry:
        s = a.doc.sentences[i]
        return Entry(a.text[s.start : s.end], label, a.id, "text", (s.start, s.end), i)

    def spun_entry(self, a: Article, i: int, rng: random.Random, settings: Settings, p: float = 1.0) -> Entry:
        """The sentence spun with probability ``p``; 'copied' when left (or come out) unchanged."""
        e = self.sentence_entry(a, i, "copied")
        if rng.random() < p:
            text, subs = spin(e.text, rng, settings)
            if subs:
                e.text, e.subs, e.label = text, subs, "spun"
        return e

    def host_blocks(self, a: Article, label: str = "original", make=None) -> list[Block]:
        """The article's own paragraphs and lines, with the spacing between its sentences kept."""
        doc = a.doc
        by_line: dict[int, list[int]] = {}
        for s in doc.sentences:
            by_line.setdefault(s.line, []).append(s.index)
        blocks: list[Block] = []
        for para in doc.paragraphs:
            block: Block = []
            for li in doc.paragraph_lines(para.index):
                line: Line = []
                prev_end = None
                for si in by_line.get(li, []):
                    s = doc.sentences[si]
                    sep = "" if prev_end is None else a.text[prev_end : s.start]
                    e = make(a, si) if make else self.sentence_entry(a, si, label)
                    line.append((sep, e))
                    prev_end = s.end
                if line:
                    block.append(line)
            if block:
                blocks.append(block)
        return blocks

    def teaser_block(self, rng: random.Random, host_family: str, host: Article | None) -> Block:
        """Another article's title and first one or two sentences, on lines of their own."""
        a, fam, sentences = self.pool.teaser(rng, host_family, host)
        extra = {"teaser_family": fam}
        block: Block = []
        if rng.random() < 0.8:
            block.append(_line(Entry(a.title, "injected", a.id, "title", (0, len(a.title)), None, position="middle", extra=extra)))
        for i in sentences:
            e = self.sentence_entry(a, i, "injected")
            e.position, e.extra = "middle", extra
            block.append(_line(e))
        return block

    def context(self, rng: random.Random, title: str, day: dt.date | None, category: str | None) -> template.Context:
        if day is None:
            day = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
        author = rng.choice(self.pool.authors) if self.pool.authors else "Staff Writer"
        return template.Context(
            site=template.site_name(rng),
            title=title,
            day=day,
            section=template.section_name(category, rng),
            author=author,
            wire=rng.choice(template.WIRES),
        )

    @staticmethod
    def _template_entries(lines: list[template.Line], position: str) -> list[Entry]:
        return [Entry(t.text, "furniture", role=t.role, position=position, origin=f"template:{t.template}") for t in lines]

    def mined_blocks(self, rng: random.Random, position: str) -> list[Block]:
        """Real furniture lines from a page or an AllSides body: one block, or a block each."""
        lines = self.pool.mined_lines(rng)
        entries = [Entry(t, "furniture", d, None, None, None, role="page", position=position, origin=o) for d, t, o in lines]
        if len(entries) > 1 and rng.random() < 0.5:
            return [[_line(e) for e in entries]]
        return [[_line(e)] for e in entries]

    def head_blocks(self, rng: random.Random, ctx: template.Context, mined_p: float) -> list[Block]:
        blocks: list[Block] = [[_line(e) for e in self._template_entries(template.head_block(ctx, rng), "head")]]
        if rng.random() < mined_p:
            mined = self.mined_blocks(rng, "head")
            blocks = mined + blocks if rng.random() < 0.5 else blocks + mined
        return blocks

    def middle_block(self, rng: random.Random, ctx: template.Context, title_entry: Entry | None) -> list[Block]:
        k = rng.random()
        if k < 0.4:
            return self.mined_blocks(rng, "middle")
        if k < 0.6:
            return [[_line(*self._template_entries([template.source_line(ctx, rng)], "middle"))]]
        if k < 0.8 or title_entry is None:
            return [[_line(*self._template_entries([template.caption(ctx, rng)], "middle"))]]
        e = Entry(title_entry.text, "furniture", title_entry.source_id, title_entry.source_field, title_entry.source_span,
                  None, list(title_entry.subs), role="title_repeat", position="middle", origin="title")
        return [[_line(e)]]

    def end_blocks(self, rng: random.Random, ctx: template.Context, tags: list[str]) -> list[Block]:
        if rng.random() < 0.5:
            return [[_line(e)] for e in self._template_entries(template.footer(ctx, rng, tags), "end")]
        return self.mined_blocks(rng, "end")

    @staticmethod
    def insert_at(blocks: list[Block], new: list[Block], rng: random.Random, lo: float = 0.25, hi: float = 0.75) -> None:
        """Put ``new`` between two body blocks, somewhere in the middle part of the article."""
        n = len(blocks)
        at = rng.randint(max(1, int(n * lo)), max(1, int(n * hi)))
        blocks[at:at] = new

    def body_runs(self, rng: random.Random, sources: list[Article], total: int) -> list[tuple[Article, int]]:
        """Runs of consecutive sentences from each source, more from the first, then shuffled."""
        used: set[tuple[str, int]] = set()
        runs: list[tuple[Article, list[int]]] = []

        def one_run(a: Article) -> list[int]:
            u = self.pool.usable(a)
            free = [j for j in range(len(u)) if (a.id, u[j]) not in used]
            if not free:
                return []
            j = rng.choice(free)
            want = rng.choice((1, 1, 2, 2, 3, 4))
            run: list[int] = []
            while j < len(u) and len(run) < want and (a.id, u[j]) not in used:
                run.append(u[j])
                used.add((a.id, u[j]))
                j += 1
            return run

        for a in sources:
            run = one_run(a)
            if run:
                runs.append((a, run))
        weights = [3.0] + [1.0] * (len(sources) - 1)
        count = sum(len(r) for _, r in runs)
        for _ in range(300):
            if count >= total:
                break
            a = rng.choices(sources, weights)[0]
            run = one_run(a)
            if run:
                runs.append((a, run))
                count += len(run)
        rng.shuffle(runs)
        return [(a, i) for a, run in runs for i in run]

    @staticmethod
    def paragraphs(entries: list[Entry], rng: random.Random, sizes: tuple[int, ...]) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        while i < len(entries):
            n = rng.choice(sizes)
            blocks.append([_line(*entries[i : i + n])])
            i += n
        return blocks

    # ----------------------------------------------------------------------------------------
    # Recipes

    def clean(self, rng: random.Random) -> tuple[list[Block], dict]:
        host = self.pool.host(rng, self._slot)
        return self.host_blocks(host), {"sources": [host.id]}

    def injected(self, rng: random.Random) -> tuple[list[Block], dict]:
        host = self.pool.host(rng, self._slot)
        blocks = self.host_blocks(host)
        self.insert_at(blocks, [self.teaser_block(rng, family(host.category), host)], rng)
        return blocks, {"sources": [host.id]}

    def furniture(self, rng: random.Random) -> tuple[list[Block], dict]:
        host = self.pool.host(rng, self._slot)
        blocks = self.host_blocks(host)
        title_entry = None
        if rng.random() < 0.5 and host.title:
            title_entry = Entry(host.title, "furniture", host.id, "title", (0, len(host.title)), role="title", position="head", origin="title")
        ctx = self.context(rng, host.title, host.date, host.category)
        for _ in range(rng.choice((1, 1, 2))):
            self.insert_at(blocks, self.middle_block(rng, ctx, title_entry), rng, 0.2, 0.8)
        head = self.head_blocks(rng, ctx, mined_p=0.5) if rng.random() < 0.7 else self.mined_blocks(rng, "head")
        if title_entry:
            head = [[_line(title_entry)]] + head
        blocks = head + blocks + self.end_blocks(rng, ctx, _tags(host, rng))
        return blocks, {"sources": [host.id], "title": title_entry.text if title_entry else None}

    def spun(self, rng: random.Random) -> tuple[list[Block], dict]:
        host = self.pool.host(rng, self._slot)
        rate = rng.choice(RATES)
        settings = Settings(rate=rate, quote_cut_p=0.2)
        blocks = self.host_blocks(host, make=lambda a, i: self.spun_entry(a, i, rng, settings, p=0.9))
        return blocks, {"sources": [host.id], "spin_rate": rate}

    def stitched(self, rng: random.Random) -> tuple[list[Block], dict]:
        sources = self.pool.stitch_sources(rng, rng.randint(2, 5))
        picks = self.body_runs(rng, sources, rng.randint(10, 24))
        entries = [self.sentence_entry(a, i, "copied") for a, i in picks]
        return self.paragraphs(entries, rng, (1, 2, 2, 3, 3)), {"sources": [a.id for a in sources]}

    def farm(self, rng: random.Random) -> tuple[list[Block], dict]:
        """All of it, the way the farm network does it: stitched, spun, a teaser, furniture."""
        sources = self.pool.stitch_sources(rng, rng.randint(2, 10))
        main = sources[0]
        rate = rng.choice(RATES)
        settings = Settings(rate=rate, quote_cut_p=0.3)
        picks = self.body_runs(rng, sources, rng.randint(12, 28))
        entries = self._merge_or_spin(picks, rng, settings)
        if rng.random() < 0.35 and len(entries) > 4:
            self._repeat_one(entries, rng, settings)
        blocks = self.paragraphs(entries, rng, (1, 1, 1, 2, 2, 3))

        title, title_subs = spin(main.title, rng, settings) if main.title else ("", [])
        title_entry = Entry(title, "furniture", main.id, "title", (0, len(main.title)), None, title_subs,
                            role="title", position="head", origin="title") if title else None
        ctx = self.context(rng, title or main.title, main.date, main.category)
        for _ in range(rng.choice((1, 1, 2))):
            self.insert_at(blocks, self.middle_block(rng, ctx, title_entry), rng, 0.2, 0.8)
        for _ in range(2 if rng.random() < 0.1 else 1):
            self.insert_at(blocks, [self.teaser_block(rng, family(main.category), main)], rng)
        head = self.head_blocks(rng, ctx, mined_p=0.25)
        if title_entry:
            head = [[_line(title_entry)]] + head
        blocks = head + blocks + self.end_blocks(rng, ctx, _tags(main, rng))
        return blocks, {"sources": [a.id for a in sources], "spin_rate": rate, "title": title or None}

    def _merge_or_spin(self, picks: list[tuple[Article, int]], rng: random.Random, settings: Settings) -> list[Entry]:
        """Each sentence spun (3 in 4) or copied; now and then two sentences from different
        sources joined into one, both copied as they are."""
        out: list[Entry] = []
        i = 0
        while i < len(picks):
            a, ai = picks[i]
            if i + 1 < len(picks) and picks[i + 1][0].id != a.id and rng.random() < 0.06:
                first = self.sentence_entry(a, ai, "copied")
                second = self.sentence_entry(*picks[i + 1], "copied")
                if first.text[-1] in ".!?":
                    out.append(self._merged(first, second, rng))
                    i += 2
                    continue
            out.append(self.spun_entry(a, ai, rng, settings, p=0.75))
            i += 1
        return out

    @staticmethod
    def _merged(first: Entry, second: Entry, rng: random.Random) -> Entry:
        core = first.text[:-1]
        joiner = rng.choice(("; ", ", and ", " - ", ", while "))
        merged = Entry(core + joiner + second.text, "copied", first.source_id, "text",
                       (first.source_span[0], first.source_span[1] - 1), first.source_sentence)
        merged.merged = {"source_id": second.source_id, "source_span": list(second.source_span),
                         "source_sentence": second.source_sentence, "offset": len(core) + len(joiner),
                         "length": len(second.text), "joiner": joiner}
        return merged

    def _repeat_one(self, entries: list[Entry], rng: random.Random, settings: Settings) -> None:
        """One fact twice, spun two ways."""
        j = rng.randrange(len(entries))
        first = entries[j]
        if first.merged or first.source_id is None:
            return
        a = self.pool.by_id[first.source_id]
        for _ in range(5):
            again = self.spun_entry(a, first.source_sentence, rng, Settings(rate=max(0.3, settings.rate), quote_cut_p=0.0))
            if again.text != first.text and again.label == "spun":
                again.extra = {"repeat": True}
                far = [k for k in range(len(entries) + 1) if abs(k - j) > 2]
                if far:
                    entries.insert(rng.choice(far), again)
                return

    # ----------------------------------------------------------------------------------------

    def article(self, index: int) -> dict:
        rng = random.Random(f"{GENERATOR}:{self.split}:{self.seed}:{index}")
        # Golden-ratio steps from a seeded start: the hosts of one set are spread over the pool.
        start = random.Random(f"{GENERATOR}:{self.split}:{self.seed}:slot").random()
        self._slot = (start + index * 0.6180339887498949) % 1.0
        kind = KIND_CYCLE[index % len(KIND_CYCLE)]
        blocks, meta = getattr(self, kind)(rng)
        text, truth = assemble(blocks)
        for t in truth:
            t["_text"] = text[t["start"] : t["end"]]
        _mark_dangling(truth)
        for t in truth:
            del t["_text"]
        body_sources = {t["source_id"] for t in truth if t["label"] in BODY_LABELS}
        body_sources |= {t["merged_with"]["source_id"] for t in truth if t.get("merged_with")}
        labels = {t["label"] for t in truth}
        kinds = []
        if len(body_sources) >= 2:
            kinds.append("stitched")
        if "spun" in labels:
            kinds.append("spun")
        if "injected" in labels:
            kinds.append("injected")
        if "furniture" in labels:
            kinds.append("furniture")
        return {
            "id": f"farm-{self.split}-s{self.seed}-{index:05d}",
            "kind": kind,
            "kinds": kinds or ["clean"],
            "split": self.split,
            "seed": self.seed,
            "index": index,
            "generator": GENERATOR,
            "fingerprint": self.fingerprint,
            "title": meta.get("title"),
            "spin_rate": meta.get("spin_rate"),
            "sources": meta["sources"],
            "text": text,
            "truth": truth,
        }

    def articles(self, n: int, start: int = 0) -> list[dict]:
        return [self.article(i) for i in range(start, start + n)]


def _tags(a: Article, rng: random.Random) -> list[str]:
    words = sorted({w for w in re.findall(r"\b[A-Z][a-z]{3,}\b", a.title or "")})
    tags = rng.sample(words, min(len(words), rng.randint(1, 3)))
    if a.category:
        tags.append(template.section_name(a.category, rng))
    return tags


def default_path(split: str, seed: int, n: int) -> Path:
    return OUT / f"farm-{split}-seed{seed}-n{n}.jsonl"


def write(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_or_generate(split: str, n: int, seed: int, path: Path | None = None, quiet: bool = False) -> list[dict]:
    """The generated set, read back when a file made by this same generator code exists."""
    path = path or default_path(split, seed, n)
    fp = fingerprint()
    if path.exists():
        with path.open(encoding="utf-8") as f:
            first = f.readline()
        if first and json.loads(first).get("fingerprint") == fp:
            return read(path)
    if not quiet:
        print(f"generating {n} {split} articles (seed {seed}) -> {path}", file=sys.stderr)
    records = Generator(split, seed).articles(n)
    write(records, path)
    return records


def summary(records: list[dict]) -> str:
    kinds = Counter(r["kind"] for r in records)
    labels = Counter(t["label"] for r in records for t in r["truth"])
    subs = Counter(s["kind"] for r in records for t in r["truth"] for s in t["substitutions"])
    return (
        f"{len(records)} articles: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + "\nsentences: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
        + "\nsubstitutions: " + ", ".join(f"{k} {v}" for k, v in sorted(subs.items()))
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.farm.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="output JSONL (default bench/out/farm-<split>-seed<seed>-n<n>.jsonl)")
    args = ap.parse_args(argv)
    path = args.out or default_path(args.split, args.seed, args.n)
    records = Generator(args.split, args.seed).articles(args.n)
    write(records, path)
    print(summary(records))
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
