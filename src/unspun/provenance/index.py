"""The reference index: documents, their sentences with spans, and retrieval postings; and
tracing an article's sentences back to it.

The DuckDB file is the catalogue:

- ``documents(doc, id, url, title, outlet, date, sentences, bytes)``: ``doc`` is an internal
  number, ``id`` the caller's id. A sentence's id is ``doc * 2**16 + its number``.
- ``segments(segment, level, first_doc, last_doc, documents, sentences, postings, dictionary)``:
  the segments holding the sentences and postings (see :mod:`unspun.provenance.segments`).
- ``dictionaries(id, data)``: the zstd dictionary the sentences' text is compressed with.
- ``meta(name, value)``: the layout (``schema``) and the ``generation``, counted up by each write.

Each batch of documents is written as a segment, then listed in one transaction with its
documents: a run stopped at any point leaves the batches before it, whole, and nothing of the
batch it was in (a segment written but not listed is removed at the next opening).
"""

from __future__ import annotations

import gc
import os
import re
import shutil
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from itertools import islice
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.doc import Document, parse, sentence_spans
from unspun.errors import InputError
from unspun.provenance import segments
from unspun.provenance.align import align_tokens, has_digit, kept_words, similarity_of
from unspun.provenance.segments import SID_BITS
from unspun.provenance.tokens import keys_of, retrieval_keys_batch, tokens

SCHEMA_VERSION = "3"
MAX_SENTENCES = (1 << SID_BITS) - 1
#: Documents written per transaction.
BATCH = 500
#: Documents a worker process prepares at a time, when several do (see SourceIndex.add) ...
CHUNK = 100
#: ... once this many documents have been prepared in-process: below it, starting the
#: workers (a second or two each) costs more than they save.
INLINE = 2 * BATCH
#: Candidates considered per sentence, the ones sharing the most (rarest) retrieval keys ...
CANDIDATES = 8
#: ... less those whose share of keys (weighted by rarity) is under this part of the best
#: one's (on 200 farm articles, the source matched was never below 0.27 of the best, and
#: most chance candidates are) ...
WEAKEST = 0.25
#: ... of which at most this many, the closest by word overlap, are aligned in turn.
ALIGNED = 3
#: A match needs this share of words in common (2 x kept / words of both sentences) ...
MIN_SIMILARITY = 0.6
#: ... and at least this many words kept: shorter agreements are commonplace phrases.
#: (Measured on the farm benchmark: 95% of spun sentences keep 0.68 of their words or more
#: and 7 words or more; half the chance resemblances between sentences on one story, 0.58
#: and 6.)
MIN_KEPT = 6
#: A reference sentence of at least this many words, this share of them kept in order,
#: is contained in the article's sentence.
MIN_CONTAINED = 8
CONTAINED_SHARE = 0.9
#: Sentences with fewer words are not traced: too short to tell a copy from a coincidence.
MIN_WORDS = 5
#: A sentence next to a traced one is looked for up to this many sentences on from the
#: reference sentence its neighbour was traced to.
NEAR = 2
#: ... where the very next reference sentence needs only this similarity (MIN_KEPT words
#: kept still): the run it continues makes the match.
NEXT_SIMILARITY = 0.45
#: A spin of a sentence that quotes someone must keep this share of the words around the
#: quotation, when there are at least QUOTE_FRAME of them.
QUOTE_FRAME = 2
QUOTE_FRAME_KEPT = 0.3
#: From this many traceable sentences on, the text is an article: a spun match must then
#: have company from its document (see _drop_lone_spins).
MIN_ARTICLE = 3

_TABLES = """
CREATE TABLE meta (name VARCHAR, value VARCHAR);
CREATE TABLE documents (doc BIGINT, id VARCHAR, url VARCHAR, title VARCHAR,
    outlet VARCHAR, date VARCHAR, sentences INTEGER, bytes BIGINT);
CREATE TABLE segments (segment INTEGER, level INTEGER, first_doc BIGINT, last_doc BIGINT,
    documents INTEGER, sentences BIGINT, postings BIGINT, dictionary INTEGER);
CREATE TABLE dictionaries (id INTEGER, data BLOB);
"""

_FIELDS = ("url", "title", "outlet", "date")


@dataclass(slots=True)
class _Prepared:
    id: str
    fields: tuple
    bytes: int
    starts: list[int]  # where each sentence starts in the text
    texts: list[str] | None  # each sentence's text, or None when compressed already ...
    frames: list[bytes] | None  # ... into these frames, against the index's dictionary
    keys: np.ndarray  # the retrieval keys of its sentences (uint32) ...
    owners: np.ndarray  # ... and the sentence of each, numbered within the document


def prepare(record: dict) -> _Prepared:
    """Segment one record into its sentences (the spans ``parse`` gives, without the rest of
    the parse) and work out their retrieval keys (no database work)."""
    return prepare_batch([record])[0]


def prepare_batch(records: list[dict], zdict: bytes | None = None) -> list[_Prepared]:
    """:func:`prepare` of several records, with the retrieval keys of all their sentences
    worked out in one pass (numpy's cost per call, paid once); and, given the index's
    compression dictionary, their text compressed. A pure function of its arguments: worker
    processes run it as well as the writer."""
    compress = segments.compressor(zdict) if zdict else None
    out: list[_Prepared] = []
    words: list[list[str]] = []
    for record in records:
        text = record["text"]
        spans = sentence_spans(text)[:MAX_SENTENCES]
        texts = [text[a:b] for a, b in spans]
        words.extend(map(keys_of, texts))
        fields = tuple(None if record.get(f) is None else str(record.get(f)) for f in _FIELDS)
        p = _Prepared(str(record["id"]), fields, len(text.encode("utf-8", "surrogatepass")), [a for a, _ in spans],
                      texts, None, _NO_KEYS, _NO_ROWS)
        if compress is not None:
            p.texts, p.frames = None, [compress(t.encode("utf-8", "surrogatepass")) for t in texts]
        out.append(p)
    keys, owners = retrieval_keys_batch(words)
    # Each document's keys: its sentences are a run of rows, so a stable sort by row keeps
    # each key's place within its document.
    order = np.argsort(owners, kind="stable")
    keys, owners = keys[order], owners[order]
    first = np.cumsum([0] + [len(p.starts) for p in out])
    cuts = np.searchsorted(owners, first)
    for p, lo, hi, row in zip(out, cuts[:-1], cuts[1:], first[:-1]):
        p.keys, p.owners = keys[lo:hi], owners[lo:hi] - row
    return out


_NO_KEYS = np.zeros(0, np.uint32)
_NO_ROWS = np.zeros(0, np.int64)


def _prepared(records: Iterable[dict], workers: int, dictionary, batch: int = BATCH) -> Iterator[_Prepared]:
    """The records prepared, in their order: in this process, or past INLINE documents in
    ``workers`` processes, CHUNK documents a task, with at most two tasks per worker waiting
    so that memory holds a few chunks whatever the size of the input. The workers compress
    the text too when the index has its dictionary by then (``dictionary()``: (id, data), or
    None). A bad record stops the run where it is read; in one process, no more than a batch
    is read ahead of what is written."""
    checked = map(_checked, records)
    size = min(CHUNK, batch)
    done = 0
    while True:
        chunk = list(islice(checked, size))
        if not chunk:
            return
        yield from prepare_batch(chunk)
        done += len(chunk)
        if workers > 1 and done >= INLINE:
            break
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: DuckDB's threads run in this process, and forking a threaded process
    # can copy a held lock into the child.
    known = dictionary()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(known[1] if known else None,))
    pending: deque = deque()
    try:
        while True:
            chunk = list(islice(checked, size))
            if chunk:
                pending.append(pool.submit(_prepare_in_worker, chunk))
            if pending and (len(pending) >= 2 * workers or not chunk):
                yield from pending.popleft().result()
            elif not chunk:
                return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# A worker's copy of the index's dictionary, sent once when it starts rather than per task.
_worker_dictionary: bytes | None = None


def _worker_start(zdict: bytes | None) -> None:
    global _worker_dictionary
    gc.disable()  # as in the writer (see SourceIndex.add)
    _worker_dictionary = zdict


def _prepare_in_worker(records: list[dict]) -> list[_Prepared]:
    return prepare_batch(records, _worker_dictionary)


class SourceIndex:
    """A reference index: a DuckDB file (the catalogue) and its segments beside it, in
    ``<path>.segments/`` (see :mod:`unspun.provenance.segments`). ``read_only=True`` lets
    many processes open it at once (none of them may write meanwhile)."""

    def __init__(self, path: str | os.PathLike, read_only: bool = False) -> None:
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise InputError(self.path, "no such index (build it with: unspun index DB INPUT...)")
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as e:
            raise InputError(self.path, f"cannot open the index ({e})") from None
        tables = {r[0] for r in self._con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if (read_only and not {"meta", "documents"} <= tables) or ("meta" not in tables and tables):
            self._con.close()
            raise InputError(self.path, "not an unspun index (its tables are missing)")
        if not read_only:
            if "meta" not in tables:
                self._con.execute(_TABLES)
                self._con.execute("INSERT INTO meta VALUES ('schema', ?), ('generation', '0')", [SCHEMA_VERSION])
        row = self._con.execute("SELECT value FROM meta WHERE name = 'schema'").fetchall()
        if row and row[0][0] != SCHEMA_VERSION:
            self._con.close()
            raise InputError(self.path, f"an index of layout {row[0][0]}, this unspun reads layout "
                                        f"{SCHEMA_VERSION}: build it again (unspun index DB INPUT...)")
        # An index with no file keeps its segments here; a file's are in its folder.
        self._root = None if self.path == ":memory:" else Path(self.path + ".segments")
        self._memory: dict[int, segments.Segment] = {}
        if not read_only:
            self._remove_unlisted()
        self._next_doc = None
        self._reader: segments.Reader | None = None
        self._generation: int | None = None

    # ------------------------------------------------------------------------------------
    # Context manager

    def __enter__(self) -> SourceIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._reader = None
        if self._con is not None:
            self._con.close()
            self._con = None

    # ------------------------------------------------------------------------------------
    # Writing

    def add(self, records: Iterable[dict], batch: int = BATCH, progress=None, workers: int = 1) -> int:
        """Add documents (dicts with ``id`` and ``text``, optionally url, title, outlet and date),
        a batch per transaction. A document whose id is already there replaces it. Returns the
        number of documents written. ``progress(n_docs, n_bytes)`` is called after each batch.
        At the end the segments are merged into one (see :mod:`.segments`).

        ``workers``: processes that segment the documents, work out their keys and compress
        their text, while this one writes; the index is the same whatever their number. They
        start once INLINE documents have been read, so a small addition runs in this process."""
        if self.read_only:
            raise InputError(self.path, "opened read-only: cannot add documents")
        pending: dict[str, _Prepared] = {}
        written = 0
        # The collector would walk the batch's many small lists again and again and find
        # nothing to free (they hold no cycles): a tenth of the build.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for p in _prepared(records, workers, self._known_dictionary, batch):
                pending.pop(p.id, None)  # the later one of a batch wins, and keeps its place
                pending[p.id] = p
                if len(pending) >= batch:
                    written += self._write(list(pending.values()), progress)
                    pending = {}
            if pending:
                written += self._write(list(pending.values()), progress)
            if written:
                self._compact(everything=True)
        finally:
            if collecting:
                gc.enable()
        return written

    def _write(self, docs: list[_Prepared], progress) -> int:
        import pyarrow as pa

        con = self._con
        if self._next_doc is None:
            # Past every number in use, a replaced document's too (its sentences stay in a
            # segment until the next merge).
            self._next_doc = con.execute(
                "SELECT greatest((SELECT coalesce(max(doc), -1) FROM documents),"
                " (SELECT coalesce(max(last_doc), -1) FROM segments)) + 1").fetchall()[0][0]
        # The batch's retrieval keys, ``owners[j]`` the row of the sentence key ``j`` belongs to.
        rows = np.cumsum([0] + [len(d.starts) for d in docs[:-1]])
        keys = np.concatenate([d.keys for d in docs])
        owners = np.concatenate([d.owners + row for d, row in zip(docs, rows)])
        dict_id, zdict, new_dict = self._dictionary(lambda: [t for d in docs if d.texts for t in d.texts])
        compress = segments.compressor(zdict)
        frames: list[bytes] = []
        for d in docs:
            if d.texts is None:  # compressed by a worker, against the index's one dictionary
                frames += d.frames
            else:
                frames += [compress(t.encode("utf-8", "surrogatepass")) for t in d.texts]
        first_doc = doc_no = self._next_doc
        d_cols = {k: [] for k in ("doc", "id", "url", "title", "outlet", "date", "sentences", "bytes")}
        for d in docs:
            d_cols["doc"].append(doc_no)
            d_cols["id"].append(d.id)
            for name, value in zip(_FIELDS, d.fields):
                d_cols[name].append(value)
            d_cols["sentences"].append(len(d.starts))
            d_cols["bytes"].append(d.bytes)
            doc_no += 1
        documents = pa.table({
            "doc": pa.array(d_cols["doc"], pa.int64()), "id": d_cols["id"],
            **{f: pa.array(d_cols[f], pa.string()) for f in _FIELDS},
            "sentences": pa.array(d_cols["sentences"], pa.int32()),
            "bytes": pa.array(d_cols["bytes"], pa.int64()),
        })
        number = self._next_segment()
        segment = segments.from_batch(
            number, dict_id,
            documents.select(["doc", "sentences", "id", "url", "title", "outlet"]).rename_columns(
                ["doc", "count", "id", "url", "title", "outlet"]),
            [a for d in docs for a in d.starts], frames, keys, owners)
        folder = segments.save(segment, self._root) if self._root is not None else None
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("batch_ids", pa.table({"id": d_cols["id"]}))
            con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM batch_ids)")
            con.unregister("batch_ids")
            con.register("batch_rows", documents)
            con.execute("INSERT INTO documents SELECT * FROM batch_rows")
            con.unregister("batch_rows")
            if new_dict:
                con.execute("INSERT INTO dictionaries VALUES (?, ?)", [dict_id, zdict])
            con.execute("INSERT INTO segments VALUES (?, 0, ?, ?, ?, ?, ?, ?)",
                        [number, first_doc, doc_no - 1, len(docs), segment.sentences, segment.postings, dict_id])
            self._bump(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        if self._root is None:
            self._memory[number] = segment
        self._next_doc = doc_no
        if progress is not None:
            progress(len(docs), sum(d.bytes for d in docs))
        self._compact(everything=False)
        return len(docs)

    def _bump(self, con) -> None:
        con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE name = 'generation'")
        self._generation = None

    def _dictionary(self, texts) -> tuple[int, bytes, bool]:
        """The index's text dictionary (id, data, whether it is new): trained on the first
        batch with enough sentences (``texts()``); until then the text is compressed without one."""
        known = self._known_dictionary()
        if known is not None:
            return known[0], known[1], False
        zdict = segments.train_dictionary(texts())
        return (1, zdict, True) if zdict else (0, b"", False)

    def _known_dictionary(self) -> tuple[int, bytes] | None:
        row = self._con.execute("SELECT id, data FROM dictionaries ORDER BY id DESC LIMIT 1").fetchall()
        return (int(row[0][0]), bytes(row[0][1])) if row else None

    def _next_segment(self) -> int:
        return self._con.execute("SELECT coalesce(max(segment), 0) + 1 FROM segments").fetchall()[0][0]

    def _compact(self, everything: bool) -> None:
        """Merge segments: FANIN of one level into one of the next; with ``everything``, all
        of them into one (and a lone segment holding replaced documents, to drop them)."""
        while True:
            listed = self._con.execute(
                "SELECT segment, level, first_doc, last_doc, documents FROM segments ORDER BY first_doc").fetchall()
            if everything:
                live = self._live_count(listed[0][2], listed[-1][3]) if listed else 0
                if len(listed) > 1 or (listed and listed[0][4] != live):
                    self._merge(listed, max(r[1] for r in listed))
                return
            by_level: dict[int, list] = {}
            for r in listed:
                by_level.setdefault(r[1], []).append(r)
            full = next((rows for level, rows in sorted(by_level.items()) if len(rows) >= segments.FANIN), None)
            if full is None:
                return
            self._merge(full[: segments.FANIN], full[0][1] + 1)

    def _live_count(self, first: int, last: int) -> int:
        return self._con.execute("SELECT count(*) FROM documents WHERE doc BETWEEN ? AND ?", [first, last]).fetchall()[0][0]

    def _merge(self, listed: list[tuple], level: int) -> None:
        con = self._con
        first, last = listed[0][2], listed[-1][3]
        held = sum(r[4] for r in listed)
        live = None
        if self._live_count(first, last) != held:  # some were replaced since: leave them out
            live = np.asarray([r[0] for r in con.execute(
                "SELECT doc FROM documents WHERE doc BETWEEN ? AND ? ORDER BY doc", [first, last]).fetchall()], np.int64)
        zdicts = self._dictionaries()
        parts = [self._segment(r[0]) for r in listed]
        number = self._next_segment()
        merged = segments.merge(parts, number, live, zdicts, max(zdicts, default=0), self._root)
        n_docs = len(merged.doc)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM segments WHERE segment IN ({', '.join(str(r[0]) for r in listed)})")
            con.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [number, level, int(merged.doc[0]) if n_docs else first, int(merged.doc[-1]) if n_docs else last,
                         n_docs, merged.sentences, merged.postings, merged.dictionary])
            self._bump(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            if self._root is not None:
                shutil.rmtree(self._root / str(number), ignore_errors=True)
            raise
        self._reader = None
        for r in listed:
            if self._root is None:
                self._memory.pop(r[0], None)
            else:
                shutil.rmtree(self._root / str(r[0]), ignore_errors=True)
        if self._root is None:
            self._memory[number] = merged

    def _remove_unlisted(self) -> None:
        """Segment folders the catalogue does not list: a run stopped between writing a
        segment and committing it, or between committing a merge and removing its parts."""
        if self._root is None or not self._root.is_dir():
            return
        listed = {str(r[0]) for r in self._con.execute("SELECT segment FROM segments").fetchall()}
        for f in self._root.iterdir():
            if f.name not in listed:
                shutil.rmtree(f, ignore_errors=True) if f.is_dir() else f.unlink(missing_ok=True)

    def _dictionaries(self) -> dict[int, bytes]:
        return {int(i): bytes(d) for i, d in self._con.execute("SELECT id, data FROM dictionaries").fetchall()}

    def _segment(self, number: int) -> segments.Segment:
        if self._root is None:
            return self._memory[number]
        dictionary = self._con.execute("SELECT dictionary FROM segments WHERE segment = ?", [number]).fetchall()[0][0]
        folder = self._root / str(number)
        try:
            return segments.load(folder, number, dictionary)
        except (OSError, ValueError, KeyError) as e:
            raise InputError(self.path, f"its segment {folder} cannot be read ({e}); an index is the file and "
                                        f"the folder {self._root.name}/ beside it, kept together") from None

    # ------------------------------------------------------------------------------------
    # Reading

    def stats(self) -> dict:
        con = self._con
        docs, sentences, size = con.execute(
            "SELECT count(*), coalesce(sum(sentences), 0), coalesce(sum(bytes), 0) FROM documents").fetchall()[0]
        n_segments, postings = con.execute("SELECT count(*), coalesce(sum(postings), 0) FROM segments").fetchall()[0]
        database = segment_bytes = 0
        if self._root is not None:
            for p in (Path(self.path), Path(self.path + ".wal")):
                if p.exists():
                    database += p.stat().st_size
            if self._root.is_dir():
                segment_bytes = sum(f.stat().st_size for f in self._root.rglob("*") if f.is_file())
        return {"documents": docs, "sentences": int(sentences), "postings": int(postings), "text_bytes": int(size),
                "segments": n_segments, "database_bytes": database, "segment_bytes": segment_bytes,
                "disk_bytes": database + segment_bytes, "path": self.path}

    def generation(self) -> int:
        """Counted up by every batch written and every merge; no other process writes while
        this one has the file open (DuckDB's file lock), so the count read at opening stays
        true."""
        if self._generation is None:
            row = self._con.execute("SELECT value FROM meta WHERE name = 'generation'").fetchall()
            row = row[0] if row else None
            self._generation = int(row[0]) if row else 0
        return self._generation

    def _lookup_table(self) -> segments.Reader:
        """The segments of the current generation, read together."""
        gen = self.generation()
        if self._reader is None or self._reader.generation != gen:
            listed = self._con.execute("SELECT segment, documents FROM segments").fetchall()
            held = sum(r[1] for r in listed)
            live = None
            if held != len(self):  # replaced documents still in a segment
                live = np.asarray([r[0] for r in self._con.execute(
                    "SELECT doc FROM documents ORDER BY doc").fetchall()], np.int64)
            self._reader = segments.Reader([self._segment(r[0]) for r in listed], self._dictionaries(), live, gen)
        return self._reader

    def __len__(self) -> int:
        return self._con.execute("SELECT count(*) FROM documents").fetchall()[0][0]

    def sentence_texts(self):
        """Every indexed sentence: (document id, sentence number, text), in index order."""
        return self._lookup_table().texts()

    def trace(self, article: Document | str, *, only: Iterable[int] | None = None,
              exclude: Iterable[str] = (), reuse: bool = False) -> list[dict | None]:
        """One entry per sentence of ``article``: its source (the shape of a report sentence's
        ``source``) or None. ``only``: trace just these sentence indexes (the rest get None);
        ``exclude``: document ids not to trace to (an article's own page, say); ``reuse``:
        for studies of text reuse, where one borrowed sentence or a shared quotation counts,
        keep the matches the article rules let go (a lone near-match, a spin sharing only a
        quotation)."""
        doc = article if isinstance(article, Document) else parse(article)
        wanted = range(len(doc.sentences)) if only is None else sorted(set(only))
        out: list[dict | None] = [None] * len(doc.sentences)
        texts = {}
        words = []
        known = {}  # every wanted sentence's word keys, the short ones' too (see _fill_between)
        for i in wanted:
            text = doc.sentence_text(i)
            known[i] = keys = keys_of(text)
            if len(keys) < MIN_WORDS:
                continue
            texts[i] = text
            words.append(keys)
        if not words:
            return out
        keys, owners = retrieval_keys_batch(words)
        if not len(keys):
            return out
        order = np.fromiter(texts, dtype=np.int64)
        pairs = np.sort((order[owners] << 32) | keys.astype(np.int64))
        pairs = pairs[segments._starts(pairs)]  # each key once per sentence
        q_i, q_key = pairs >> 32, pairs & 0xFFFFFFFF
        lookup = self._lookup_table()
        # The candidates scoring under WEAKEST of the best are left out there, before their
        # text is read.
        rows = lookup.candidates(q_i, q_key, set(exclude), CANDIDATES, WEAKEST)
        by_query: dict[int, list[tuple]] = {}
        for row in rows:
            by_query.setdefault(row[0], []).append(row)
        best: dict[int, tuple] = {}
        sids: dict[int, int] = {}
        for qi, cands in by_query.items():
            mine = known[qi]
            mine_set = set(mine)
            mine_tokens = None  # computed for the first alignment
            ranked = []
            # A candidate with the very same text has the same keys: those before it need
            # tokenising only to see whether one of them has the same keys too.
            same = next((n for n, row in enumerate(cands) if row[4] == texts[qi]), None)
            if same is not None:
                cands = cands[: same + 1]
            for n, row in enumerate(cands):  # most shared keys first
                theirs = mine if n == same else keys_of(row[4])
                if theirs == mine:
                    ranked = [(2.0, row, theirs)]
                    break
                # Word-set overlap: cheap, and close enough to choose which ones to align.
                other = set(theirs)
                ranked.append((2 * len(mine_set & other) / (len(mine_set) + len(other)), row, theirs))
            ranked.sort(key=lambda x: -x[0])
            for overlap, row, theirs in ranked[:ALIGNED]:
                if overlap < MIN_SIMILARITY - 0.15:
                    break
                if not _may_match(theirs, mine):
                    continue  # the alignment would be turned down: not worth making
                _, sid, start, stop, ref, doc_no, _ = row
                if mine_tokens is None:
                    mine_tokens = tokens(texts[qi], mine)
                a = align_tokens(ref, tokens(ref, theirs), texts[qi], mine_tokens)
                if not _matches(a, texts[qi], ref, reuse=reuse):
                    continue
                best[qi] = (a, start, stop, ref, *lookup.document(doc_no))
                sids[qi] = sid
                break
        self._fill_between(doc, wanted, best, sids, known, reuse)
        if len(texts) >= MIN_ARTICLE and not reuse:
            _drop_lone_spins(best)
        for qi, (a, start, stop, ref, did, url, title, outlet) in best.items():
            out[qi] = {
                "status": a.status,
                "similarity": a.similarity,
                "document": {"id": did, "url": url, "title": title, "outlet": outlet},
                "match": {"start": start, "end": stop, "text": ref},
                "edits": a.edits,
                "numbers": a.numbers,
            }
        return out


    def _fill_between(self, doc: Document, wanted, best: dict, sids: dict, known: dict[int, list[str]],
                      reuse: bool = False) -> None:
        """Copies come in runs: a sentence next to a traced one is looked for near the
        reference sentence its neighbour was traced to, up to NEAR sentences on. There it
        needs the usual match, or a looser one (NEXT_SIMILARITY) with the very next
        reference sentence; a sentence too short to trace alone ("Eastern.", "2.") must be
        the very next reference sentence, word for word but for figures: the context makes
        the match. This finds sentences whose few rare words the spinner changed, which the
        retrieval keys then miss, and heavier spins inside a traced run. ``known``: the word
        keys of the wanted sentences."""
        wanted = set(wanted)
        changed = True
        while changed:  # a run traced at one end is followed to its other end
            changed = False
            for i in sorted(wanted):
                if i in best:
                    continue
                mine = known[i]
                if not mine:
                    continue
                found = self._near(doc.sentence_text(i), mine, i, sids, reuse)
                if found is not None:
                    best[i], sids[i] = found
                    changed = True

    def _near(self, text: str, mine: list[str], i: int, sids: dict, reuse: bool = False):
        lookup = self._lookup_table()
        short = len(mine) < MIN_WORDS
        mine_tokens = None  # the sentence's words with their spans, made for the first alignment
        for neighbour, step in ((i - 1, 1), (i + 1, -1)):
            if neighbour not in sids:
                continue
            for distance in range(1, NEAR + 1):
                if short and distance > 1:
                    break
                row = lookup.sentence(sids[neighbour] + step * distance)
                if row is None:
                    break
                sid, start, stop, ref, doc_no = row
                theirs = keys_of(ref)
                if short and not _same_but_figures(theirs, mine):
                    continue
                floor = NEXT_SIMILARITY if distance == 1 else MIN_SIMILARITY
                if not (short or theirs == mine
                        or _may_match(theirs, mine, floor)):
                    continue  # the alignment would be turned down: not worth making
                mine_tokens = mine_tokens or tokens(text, mine)
                a = align_tokens(ref, tokens(ref, theirs), text, mine_tokens)
                if short or theirs == mine or _matches(a, text, ref, floor, reuse):
                    return (a, start, stop, ref, *lookup.document(doc_no)), sid
        return None


def _same_but_figures(theirs: list[str], mine: list[str]) -> bool:
    """The same words, or the same but for figures ("1." and "2." in a numbered list)."""
    return len(theirs) == len(mine) and all(
        x == y or (has_digit(x) and has_digit(y)) for x, y in zip(theirs, mine)
    )


def _close_enough(similarity: float, kept: int, ref_words: int, floor: float = MIN_SIMILARITY) -> bool:
    """The first test of :func:`_matches`, which needs only the number of words kept (so it
    can be made before the alignment): the similarity reaches the floor, or the reference
    sentence is kept nearly whole inside the other."""
    return similarity >= floor or (kept >= MIN_CONTAINED and kept >= CONTAINED_SHARE * ref_words)


def _may_match(theirs: list[str], mine: list[str], floor: float = MIN_SIMILARITY) -> bool:
    """Whether the alignment of these word keys could pass :func:`_close_enough`, from the
    length of their longest common subsequence alone (a microsecond)."""
    kept = kept_words(theirs, mine)
    return _close_enough(similarity_of(kept, len(theirs), len(mine)), kept, len(theirs), floor)


def _matches(a, text: str, ref: str, floor: float = MIN_SIMILARITY, reuse: bool = False) -> bool:
    """Whether an alignment shows a copy or a spin rather than a chance resemblance. A copy
    needs only MIN_WORDS words; a spin must keep MIN_KEPT. A reference sentence kept nearly
    whole inside a longer one (two sentences joined into one, a clause added) counts however
    much was added. A spin whose words in common are the quotation and not the words around
    it is two outlets quoting one speaker, not one copying the other."""
    if not _close_enough(a.similarity, a.kept, a.ref_words, floor):
        return False
    if a.status == "copied":
        return True
    return a.kept >= MIN_KEPT and (reuse or not _quote_carried(a, text, ref))


_QUOTE_MARKS = re.compile(r'["“”]')


def _unquoted_keys(text: str) -> list[str]:
    """The words of ``text`` outside its quotation marks. Marks pair in order; a closing
    curly mark with no opening one before it closes a quotation the sentence began inside,
    and a mark left open runs to the end."""
    marks = [(m.start(), m.group()) for m in _QUOTE_MARKS.finditer(text)]
    if not marks:
        return keys_of(text)
    if marks[0][1] == "”":
        marks.insert(0, (-1, "“"))
    if len(marks) % 2:
        marks.append((len(text), "”"))
    outside, last = [], 0
    for (a, _), (b, _) in zip(marks[0::2], marks[1::2]):
        outside.append(text[last : max(a, 0)])
        last = b + 1
    outside.append(text[last:])
    return keys_of(" ".join(outside))


def _quote_carried(a, text: str, ref: str) -> bool:
    """Whether the words the two sentences share are a quotation and not its frame: the
    words around the quotation, on either side, at least QUOTE_FRAME of them, are mostly
    not kept. A bare quotation (a copy with its speaker cut off) has no frame of its own
    and is judged by the reference's frame only when it has words outside quotation marks."""
    if not (_QUOTE_MARKS.search(text) or _QUOTE_MARKS.search(ref)):
        return False
    mine = _unquoted_keys(text)
    if not mine:
        return False
    for words, side in ((mine, "to"), (_unquoted_keys(ref), "from")):
        if len(words) < QUOTE_FRAME or words == keys_of(text if side == "to" else ref):
            continue  # too little frame, or no quotation on this side
        kept = Counter(k for e in a.edits if e["op"] == "keep" for k in keys_of(e[side] or ""))
        shared = sum(min(n, kept[k]) for k, n in Counter(words).items())
        if shared < QUOTE_FRAME_KEPT * len(words):
            return True
    return False


def _drop_lone_spins(best: dict) -> None:
    """In an article, a spun match that is the only sentence traced to its document is let
    go: farms copy runs and several sentences from each source, while a lone near-match is
    most often another outlet's version of the same sentence from a shared wire report."""
    per_doc = Counter(entry[4] for entry in best.values())
    for i in [i for i, entry in best.items() if entry[0].status != "copied" and per_doc[entry[4]] == 1]:
        del best[i]


def _checked(record) -> dict:
    if not isinstance(record, dict):
        raise InputError("<record>", f"expected a dict with id and text, got {type(record).__name__}")
    rid = record.get("id")
    if rid is None or rid == "":
        raise InputError("<record>", "has no id")
    if not isinstance(record.get("text"), str):
        raise InputError(f"<record {rid}>", "has no text")
    return record


def summarise(sources: list[dict | None], index_name: str, body: Iterable[int]) -> dict:
    """The report's ``provenance`` summary: the documents copied from, with their sentences."""
    body = list(body)
    by_doc: dict[str, dict] = {}
    traced = 0
    for i in body:
        s = sources[i]
        if s is None:
            continue
        traced += 1
        d = s["document"]
        entry = by_doc.setdefault(d["id"], {**d, "sentences": [], "copied": 0, "spun": 0})
        entry["sentences"].append(i)
        entry[s["status"]] += 1
    docs = sorted(by_doc.values(), key=lambda e: (-len(e["sentences"]), e["sentences"][0]))
    return {"index": index_name, "traced_sentences": traced, "body_sentences": len(body), "documents": docs}
