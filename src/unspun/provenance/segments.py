"""Where the index keeps its sentences and postings: segments, folders of flat files beside
the database (``<db>.segments/<number>/``), memory-mapped to read.

DuckDB keeps the catalogue (the documents, the list of segments, the text's compression
dictionary) and makes each write one transaction; the sentences and postings live once, in
the segments, in the form a trace reads. A trace is a few hundred point look-ups, and a
DuckDB query costs a millisecond or more each, scanning row groups to find a handful of
rows; a binary search in a mapped file costs microseconds.

A segment holds a run of documents (by number) and:

- their sentences: where each starts in its document, and the text (which gives where it
  stops), each sentence its own zstd frame (``offsets`` into ``text``) compressed against a dictionary trained on the
  index's sentences, so that a trace decompresses only the candidates it reads;
- their postings, sorted by key and row: a posting keeps the low 16 bits of its key
  (``low``) and the sentence's row in the segment (``row``), under a ``directory`` of 65,537
  offsets by the high 16 bits (the postings of bucket ``h`` are ``directory[h]`` to
  ``directory[h + 1]``); and the keys left out (``common``, sorted), each shared by more than
  MAX_POSTINGS sentences: a trace would skip them;
- ``documents.arrow``: each document's number, first row and sentence count, id, url,
  title and outlet.

Each batch of documents written becomes a segment. Segments are merged as they pile up
(eight of one size make one of the next size), and into one at the end of each run of
``add``: a merge drops the sentences of documents replaced since, and a trace then searches
one set of files. A merge reads the postings a range of key buckets at a time, so its
memory stays a bounded slice of the index.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

#: The layout of a segment's files.
FORMAT = 3
#: Keys shared by more sentences than this say nothing about where one sentence came from
#: (a stock phrase of names); they are skipped. Below it, a key counts the less the more
#: sentences share it (1 / log2(2 + n)), so that two rare pairs outweigh three common ones.
#: (On 200 farm articles against all of AllSides and BBC, 2,000 and 20,000 trace the same
#: sentences; 500 loses one; the longer lists only cost time.)
MAX_POSTINGS = 2000
#: Segments of one size merged into one of the next size.
FANIN = 8
BUCKET_BITS = 16
_BUCKETS = 1 << BUCKET_BITS
#: A sentence id is its document number << SID_BITS | its number in the document.
SID_BITS = 16
#: Sentences sampled, and the dictionary's size, for the text's zstd dictionary; an index
#: gets its dictionary from the first batch with at least DICT_MIN_SENTENCES sentences.
_DICT_SAMPLES = 10_000
_DICT_BYTES = 256 * 1024
DICT_MIN_SENTENCES = 1000
_ZSTD_LEVEL = 3
#: Postings per step of a merge.
_MERGE_STEP = 1 << 23

_ARRAYS = {"start": np.int32, "low": np.uint16, "row": np.uint32, "common": np.uint32}


def _zstd_params():
    import zstandard

    # No magic number, checksum or dictionary id in each frame: four to eight bytes of a
    # frame of about seventy.
    return zstandard.ZstdCompressionParameters.from_level(
        _ZSTD_LEVEL, format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_content_size=True,
        write_checksum=False, write_dict_id=False)


def compressor(zdict: bytes):
    """``compress(bytes) -> frame`` against this dictionary (none when empty)."""
    import zstandard

    d = zstandard.ZstdCompressionDict(zdict) if zdict else None
    return zstandard.ZstdCompressor(dict_data=d, compression_params=_zstd_params()).compress


def decompressor(zdict: bytes):
    import zstandard

    d = zstandard.ZstdCompressionDict(zdict) if zdict else None
    return zstandard.ZstdDecompressor(dict_data=d, format=zstandard.FORMAT_ZSTD1_MAGICLESS).decompress


def train_dictionary(texts: list[str]) -> bytes:
    """A zstd dictionary for sentences like these, or b"" when there are too few to learn from."""
    import zstandard

    if len(texts) < DICT_MIN_SENTENCES:
        return b""
    step = max(1, len(texts) // _DICT_SAMPLES)
    sample = [t.encode("utf-8", "surrogatepass") for t in texts[::step]]
    try:
        return zstandard.train_dictionary(_DICT_BYTES, sample).as_bytes()
    except zstandard.ZstdError:  # too uniform to learn from
        return b""


@dataclass
class Segment:
    """One segment's arrays: in memory, or mapped from its folder."""

    number: int
    dictionary: int  # the id of the zstd dictionary its text was compressed with (0: none)
    documents: pa.Table  # doc, first, count, id, url, title, outlet; sorted by doc
    start: np.ndarray
    offsets: np.ndarray  # n + 1 byte offsets of the frames in ``text``
    text: np.ndarray  # uint8
    low: np.ndarray
    row: np.ndarray
    directory: np.ndarray  # 65,537 offsets into low and row
    common: np.ndarray  # keys left out, sorted

    def __post_init__(self) -> None:
        self.doc = _np(self.documents.column("doc"), np.int64)
        self.first = _np(self.documents.column("first"), np.int64)
        self.count = _np(self.documents.column("count"), np.int64)

    @property
    def sentences(self) -> int:
        return len(self.start)

    @property
    def postings(self) -> int:
        return len(self.low)

    def sids(self, rows: np.ndarray) -> np.ndarray:
        """The sentence ids (document number << 16 | sentence number) of these rows."""
        at = np.searchsorted(self.first, rows, "right") - 1
        return (self.doc[at] << SID_BITS) | (rows - self.first[at])

    def row_of(self, sid: int) -> int | None:
        doc, n = sid >> SID_BITS, sid & ((1 << SID_BITS) - 1)
        at = int(self.doc.searchsorted(doc))
        if at >= len(self.doc) or int(self.doc[at]) != doc or n >= int(self.count[at]):
            return None
        return int(self.first[at]) + n


def from_batch(number: int, dictionary: int, documents: pa.Table, start, frames: list[bytes],
               keys: np.ndarray, owners: np.ndarray) -> Segment:
    """A segment from one batch: ``documents`` (doc, count, id, url, title, outlet, in doc
    order, their sentences in that order), the sentences' spans and compressed text, and
    the retrieval keys with the row of the sentence each belongs to."""
    counts = _np(documents.column("count"), np.int64)
    first = np.cumsum(np.r_[0, counts])[:-1].astype(np.int64)
    documents = documents.add_column(1, "first", pa.array(first, pa.int64()))
    lengths = np.fromiter(map(len, frames), np.int64, len(frames))
    order = np.lexsort((owners, keys))
    keys = keys[order].astype(np.uint32)
    return Segment(
        number, dictionary, documents,
        np.asarray(start, np.int32),
        np.r_[0, np.cumsum(lengths)].astype(np.uint64),
        np.frombuffer(b"".join(frames), np.uint8),
        keys.astype(np.uint16),  # the cast keeps the low 16 bits
        np.asarray(owners, np.int64)[order].astype(np.uint32),
        _directory(keys),
        np.zeros(0, np.uint32),
    )


def _directory(keys: np.ndarray) -> np.ndarray:
    bucket_starts = np.arange(_BUCKETS, dtype=np.uint32) << np.uint32(BUCKET_BITS)
    return np.r_[np.searchsorted(keys, bucket_starts, "left"), len(keys)].astype(np.uint64)


# ----------------------------------------------------------------------------------------
# Files


def save(segment: Segment, root: Path) -> Path:
    """Write a segment to ``root/<number>``: its files in a temporary folder first, flushed
    to disk, then renamed into place whole. The catalogue lists it only after that."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    out = _Files(tmp)
    for name in ("start", "low", "row", "common", "text"):
        out.add(name, getattr(segment, name))
    out.finish(segment.documents, len(segment.start), len(segment.low), segment.offsets, segment.directory)
    return _place(tmp, root, segment.number)


def _place(tmp: Path, root: Path, number: int) -> Path:
    here = root / str(number)
    if here.exists():  # left by a run stopped before its catalogue listed it
        shutil.rmtree(here)
    os.rename(tmp, here)
    return here


def load(folder: Path, number: int, dictionary: int) -> Segment:
    meta = json.loads((folder / "segment.json").read_text())
    if meta.get("format") != FORMAT:
        raise ValueError(f"{folder}: segment format {meta.get('format')}, expected {FORMAT}")
    arrays = {name: _map(folder / name, dtype) for name, dtype in _ARRAYS.items()}
    arrays["text"] = _map(folder / "text", np.uint8)
    arrays["offsets"] = _map(folder / "offsets", np.dtype(meta["offsets"]))
    arrays["directory"] = _map(folder / "directory", np.dtype(meta["directory"]))
    documents = ipc.open_file(pa.memory_map(str(folder / "documents.arrow"), "r")).read_all()
    return Segment(number, dictionary, documents, **arrays)


def _map(path: Path, dtype) -> np.ndarray:
    if path.stat().st_size == 0:
        return np.zeros(0, dtype)
    # A plain array over the mapping: np.memmap's own indexing costs a microsecond a call.
    return np.memmap(path, dtype=dtype, mode="r").view(np.ndarray)


def _smallest(values: np.ndarray) -> np.ndarray:
    """Offsets as 32-bit values when they fit (they do below 4 GB of text or 4 G postings)."""
    return values.astype(np.uint32) if (not len(values) or int(values[-1]) < 1 << 32) else values.astype(np.uint64)


class _Files:
    """A segment being written to a folder, its arrays appended piece by piece."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files = {}

    def add(self, name: str, array: np.ndarray) -> None:
        f = self._files.get(name) or self._files.setdefault(name, open(self.folder / name, "wb"))
        f.write(memoryview(np.ascontiguousarray(array)).cast("B"))

    def finish(self, docs: pa.Table, sentences: int, postings: int, offsets: np.ndarray, directory: np.ndarray):
        for name in ("start", "low", "row", "common", "text"):
            if name not in self._files:
                self.add(name, np.zeros(0, np.uint8))
        offsets, directory = _smallest(np.asarray(offsets)), _smallest(np.asarray(directory))
        self.add("offsets", offsets)
        self.add("directory", directory)
        for f in self._files.values():
            f.flush()
            os.fsync(f.fileno())
            f.close()
        options = ipc.IpcWriteOptions(compression="zstd")  # read whole at opening: no need to map it
        with pa.OSFile(str(self.folder / "documents.arrow"), "wb") as f, \
                ipc.new_file(f, docs.schema, options=options) as w:
            w.write_table(docs, max_chunksize=max(1, docs.num_rows))
        meta = {"format": FORMAT, "sentences": sentences, "postings": postings,
                "offsets": offsets.dtype.name, "directory": directory.dtype.name}
        with open(self.folder / "segment.json", "w") as f:
            json.dump(meta, f)
            f.flush()
            os.fsync(f.fileno())


class _Memory:
    """A segment being put together in memory (an index with no file)."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}

    def add(self, name: str, array: np.ndarray) -> None:
        self._parts.setdefault(name, []).append(np.array(array))

    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name, dtype in (*_ARRAYS.items(), ("text", np.uint8)):
            parts = self._parts.get(name)
            out[name] = np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)
        return out


# ----------------------------------------------------------------------------------------
# Merging


def merge(parts: list[Segment], number: int, live: np.ndarray | None, zdicts: dict[int, bytes],
          dictionary: int, root: Path | None) -> Segment:
    """One segment holding ``parts`` (in document order) less the documents not in ``live``
    (sorted document numbers; None keeps all), its text under ``dictionary``. Written to
    ``root/<number>`` (see :func:`save`), or kept in memory when ``root`` is None."""
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root)) if root is not None else None
    out = _Files(tmp) if tmp is not None else _Memory()
    try:
        # Which rows stay, and their numbers in the merged segment.
        new_rows, tables, kept_counts = [], [], []
        base = 0
        for part in parts:
            keep = np.ones(len(part.doc), bool) if live is None else _member(part.doc, live)
            rows_kept = np.repeat(keep, part.count)
            numbers = np.full(part.sentences, np.iinfo(np.int64).max, np.int64)
            numbers[rows_kept] = base + np.arange(int(rows_kept.sum()))
            base += int(rows_kept.sum())
            new_rows.append(numbers)
            t = part.documents.filter(pa.array(keep))
            tables.append(t.drop_columns(["first"]))
            kept_counts.append(_np(t.column("count"), np.int64))
            out.add("start", part.start[rows_kept])
        documents = pa.concat_tables(tables) if tables else parts[0].documents.drop_columns(["first"])
        counts = np.concatenate(kept_counts) if kept_counts else np.zeros(0, np.int64)
        documents = documents.add_column(1, "first", pa.array(np.cumsum(np.r_[0, counts])[:-1].astype(np.int64)))
        offsets = _merge_text(parts, new_rows, zdicts, dictionary, out)
        directory, postings = _merge_postings(parts, new_rows, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    if tmp is None:
        return Segment(number, dictionary, documents, offsets=offsets, directory=directory, **out.arrays())
    out.finish(documents, base, postings, offsets, directory)
    return load(_place(tmp, root, number), number, dictionary)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    at = np.minimum(np.searchsorted(sorted_set, values), max(len(sorted_set) - 1, 0))
    return (sorted_set[at] == values) if len(sorted_set) else np.zeros(len(values), bool)


def _merge_text(parts, new_rows, zdicts, dictionary, out) -> np.ndarray:
    lengths = []
    for part, numbers in zip(parts, new_rows):
        kept = numbers != np.iinfo(np.int64).max
        offs = np.asarray(part.offsets, np.int64)
        if part.dictionary != dictionary:  # an early segment: compress it as the rest
            unzip, rezip = decompressor(zdicts.get(part.dictionary, b"")), compressor(zdicts.get(dictionary, b""))
            frames = [rezip(unzip(bytes(part.text[a:b]))) for a, b in
                      zip(offs[:-1][kept].tolist(), offs[1:][kept].tolist())]
            out.add("text", np.frombuffer(b"".join(frames), np.uint8))
            lengths.append(np.fromiter(map(len, frames), np.int64, len(frames)))
            continue
        # Runs of kept rows, each copied as one range of bytes.
        edges = np.flatnonzero(np.diff(np.r_[0, kept.astype(np.int8), 0]))
        for a, b in zip(edges[0::2].tolist(), edges[1::2].tolist()):
            out.add("text", part.text[offs[a] : offs[b]])
        lengths.append(np.diff(offs)[kept])
    lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
    return np.r_[0, np.cumsum(lengths)].astype(np.uint64)


def _merge_postings(parts, new_rows, out) -> tuple[np.ndarray, int]:
    """The postings of all parts, renumbered and sorted by key then row: a range of buckets
    at a time. Each part's postings are sorted already, and the parts follow each other in
    row order, so a stable sort by key leaves each key's rows in order. The keys shared by
    more than MAX_POSTINGS sentences, here or in a part's ``common`` list, are left out and
    listed in ``common``: a trace skips them, and keeping them would cost more than a tenth
    of the postings of a large index."""
    common = [np.asarray(p.common, np.uint32) for p in parts if len(p.common)]
    common = np.unique(np.concatenate(common)) if common else np.zeros(0, np.uint32)
    new_common = []
    sizes = sum(np.diff(np.asarray(p.directory, np.int64)) for p in parts)
    per_bucket = np.zeros(_BUCKETS, np.int64)
    ends = np.cumsum(sizes)
    b0 = 0
    total = 0
    while b0 < _BUCKETS:
        done = ends[b0 - 1] if b0 else 0
        b1 = int(np.searchsorted(ends, done + _MERGE_STEP, "right"))
        b1 = min(max(b1, b0 + 1), _BUCKETS)
        keys, rows = [], []
        for part, numbers in zip(parts, new_rows):
            d = np.asarray(part.directory[b0 : b1 + 1], np.int64)
            if d[-1] == d[0]:
                continue
            bucket = np.repeat(np.arange(b0, b1, dtype=np.uint32), np.diff(d))
            k = (bucket << np.uint32(BUCKET_BITS)) | np.asarray(part.low[d[0] : d[-1]], np.uint32)
            r = numbers[np.asarray(part.row[d[0] : d[-1]], np.int64)]
            kept = r != np.iinfo(np.int64).max
            keys.append(k[kept])
            rows.append(r[kept])
        if keys:
            k, r = np.concatenate(keys), np.concatenate(rows)
            order = np.argsort(k, kind="stable")
            k, r = k[order], r[order]
            starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
            sizes_k = np.diff(np.r_[starts, len(k)])
            frequent = k[starts[sizes_k > MAX_POSTINGS]]
            new_common.append(frequent)
            drop = _member(k, np.union1d(frequent, common)) if len(frequent) or len(common) else None
            if drop is not None and drop.any():
                k, r = k[~drop], r[~drop]
            out.add("low", k.astype(np.uint16))
            out.add("row", r.astype(np.uint32))
            per_bucket[b0:b1] = np.bincount((k >> np.uint32(BUCKET_BITS)) - b0, minlength=b1 - b0)
            total += len(k)
        b0 = b1
    out.add("common", np.union1d(common, np.concatenate(new_common)) if new_common else common)
    return np.r_[0, np.cumsum(per_bucket)].astype(np.uint64), total


# ----------------------------------------------------------------------------------------
# Reading


class Reader:
    """The segments of one generation of the index, read together. Rows are numbered across
    them in document order (the segments hold disjoint runs of document numbers), so a row
    order is a sentence-id order."""

    def __init__(self, parts: list[Segment], zdicts: dict[int, bytes], live: np.ndarray | None,
                 generation: int) -> None:
        self.generation = generation
        self.parts = sorted(parts, key=lambda p: int(p.doc[0]) if len(p.doc) else -1)
        self.live = live
        self._unzip = {p.dictionary: decompressor(zdicts.get(p.dictionary, b"")) for p in self.parts}
        self._base = np.r_[0, np.cumsum([p.sentences for p in self.parts])].astype(np.int64)
        self._first_docs = [int(p.doc[0]) if len(p.doc) else -1 for p in self.parts]
        self._doc_of_id: dict[str, int] | None = None
        self._documents: dict[int, tuple] = {}  # those read so far
        common = [np.asarray(p.common, np.uint32) for p in self.parts if len(p.common)]
        self._common = np.unique(np.concatenate(common)) if common else None

    def _bounds(self, n: int, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The postings of each key (uint32) in part ``n``: rows ``lo`` to ``hi``. A binary
        search inside each key's bucket, all keys at once."""
        part = self.parts[n]
        directory, low = part.directory, part.low
        bucket = (keys >> BUCKET_BITS).astype(np.int64)
        target = (keys & (_BUCKETS - 1)).astype(np.int32)
        start = np.asarray(directory[bucket], np.int64)
        end = np.asarray(directory[bucket + 1], np.int64)
        # The first posting not below the key, and the first above it, in one pass: ``pos``
        # is the last posting known to be below the target (none yet: the one before the
        # bucket), moved on by falling powers of two while the posting there is still below
        # (so many steps reach across the largest of these buckets).
        target = np.concatenate([target, target + 1])
        end = np.concatenate([end, end])
        pos = np.concatenate([start, start]) - 1
        size = int((end - pos).max()) - 1 if len(end) else 0
        step = 1 << (size.bit_length() - 1) if size > 0 else 0
        while step:
            at = pos + step
            below = at < end
            below &= low.take(at, mode="clip") < target
            pos = np.where(below, at, pos)
            step >>= 1
        k = len(keys)
        return pos[:k] + 1, pos[k:] + 1

    def candidates(self, q_i, q_key, exclude: set[str], k: int, weakest: float = 0.0) -> list[tuple]:
        """For each query sentence, the ``k`` indexed sentences sharing most keys with it,
        best first, less those scoring under ``weakest`` times the best one's: (query index,
        sid, start, stop, text, document number (see :meth:`document`), score: the keys
        shared, each weighted by its rarity)."""
        keys = np.asarray(q_key).astype(np.uint32)
        qi = np.asarray(q_i, dtype=np.int64)
        if not len(keys) or not any(p.postings for p in self.parts):
            return []
        bounds = [self._bounds(n, keys) if p.postings else None for n, p in enumerate(self.parts)]
        total = sum(hi - lo for lo, hi in (b for b in bounds if b is not None))
        useful = (total > 0) & (total <= MAX_POSTINGS)
        if self._common is not None:
            useful &= ~_member(keys, self._common)
        if not useful.any():
            return []
        weight = 1.0 / np.log2(2.0 + total)
        rows, owners, weights = [], [], []
        for n, b in enumerate(bounds):
            if b is None:
                continue
            lo, hi = b[0][useful], b[1][useful]
            counts = hi - lo
            if not counts.sum():
                continue
            # Each key's run of postings, one after the other.
            at = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
            rows.append(np.asarray(self.parts[n].row[at], np.int64) + self._base[n])
            owners.append(np.repeat(qi[useful], counts))
            weights.append(np.repeat(weight[useful], counts))
        rows, owners, weights = np.concatenate(rows), np.concatenate(owners), np.concatenate(weights)
        banned = self.doc_numbers(exclude) if exclude else set()
        if banned or self.live is not None:
            docs = self._docs_of(rows)
            ok = np.ones(len(rows), bool)
            if banned:
                ok &= ~np.isin(docs, np.fromiter(banned, np.int64))
            if self.live is not None:
                ok &= _member(docs, self.live)
            rows, owners, weights = rows[ok], owners[ok], weights[ok]
        if not len(rows):
            return []
        pair = owners << 40 | rows
        # Each (query, row) pair once, in order, and its score: the weights added up in
        # the order of the postings (as np.unique and np.bincount would). The pairs come
        # as runs already sorted (a key's postings, by row), which a stable sort (a merge
        # of runs) takes in half the time of a quicksort.
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        new = _starts(pair)
        inverse = np.empty(len(pair), np.int64)
        inverse[order] = np.cumsum(new) - 1
        uniq = pair[new]
        scores = np.bincount(inverse, weights=weights, minlength=len(uniq))
        u_q = uniq >> 40
        # Most rows share one common key with a query: those under ``weakest`` times the
        # query's best are left out before the ranking, which then sorts a few hundred.
        first = _starts(u_q)
        best = np.maximum.reduceat(scores, np.flatnonzero(first))
        strong = scores >= weakest * best[np.cumsum(first) - 1]
        uniq, u_q, scores = uniq[strong], u_q[strong], scores[strong]
        u_row = uniq & ((1 << 40) - 1)
        order = np.lexsort((u_row, -scores, u_q))
        u_q, u_row, scores = u_q[order], u_row[order], scores[order]
        ranks = np.arange(len(u_q))
        sel = ranks - np.maximum.accumulate(np.where(_starts(u_q), ranks, 0)) < k
        return list(zip(u_q[sel].tolist(), *self._rows(u_row[sel]), scores[sel].tolist()))

    def _split(self, rows: np.ndarray) -> np.ndarray:
        return np.searchsorted(self._base, rows, "right") - 1

    def _docs_of(self, rows: np.ndarray) -> np.ndarray:
        return self._sids(rows) >> SID_BITS

    def _sids(self, rows: np.ndarray) -> np.ndarray:
        if len(self.parts) == 1:
            return self.parts[0].sids(rows)
        part = self._split(rows)
        out = np.empty(len(rows), np.int64)
        for n in np.unique(part).tolist():
            sel = part == n
            out[sel] = self.parts[n].sids(rows[sel] - self._base[n])
        return out

    def _rows(self, rows: np.ndarray) -> tuple[list, ...]:
        """sid, start, stop, text and document number of these rows."""
        sids = self._sids(rows)
        if len(self.parts) == 1:
            p = self.parts[0]
            texts = self._texts(p, rows)
            starts = p.start[rows].tolist()
            stops = [start + len(text) for start, text in zip(starts, texts)]
            return sids.tolist(), starts, stops, texts, (sids >> SID_BITS).tolist()
        starts, stops, texts = [None] * len(rows), [None] * len(rows), [None] * len(rows)
        part = self._split(rows)
        for n in np.unique(part).tolist():
            idx = np.flatnonzero(part == n)
            p = self.parts[n]
            local = rows[idx] - self._base[n]
            for j, text, start in zip(idx, self._texts(p, local), p.start[local].tolist()):
                texts[j], starts[j], stops[j] = text, start, start + len(text)
        return sids.tolist(), starts, stops, texts, (sids >> SID_BITS).tolist()

    def _texts(self, p: Segment, local) -> list[str]:
        unzip, data = self._unzip[p.dictionary], memoryview(p.text)
        return [unzip(data[a:b]).decode("utf-8", "surrogatepass")
                for a, b in zip(p.offsets[local].tolist(), p.offsets[np.asarray(local) + 1].tolist())]

    def sentence(self, sid: int) -> tuple | None:
        """(sid, start, stop, text, document number) of one indexed sentence, or None."""
        doc = sid >> SID_BITS
        n = bisect_right(self._first_docs, doc) - 1
        if n < 0:
            return None
        p = self.parts[n]
        row = p.row_of(sid)
        if row is None or (self.live is not None and not _member(np.array([doc]), self.live)[0]):
            return None
        text = self._texts(p, [row])[0]
        start = int(p.start[row])
        return sid, start, start + len(text), text, doc

    def document(self, doc: int) -> tuple:
        """(id, url, title, outlet) of a document, by number."""
        found = self._documents.get(doc)
        if found is None:
            n = bisect_right(self._first_docs, doc) - 1
            p = self.parts[n]
            at = int(np.searchsorted(p.doc, doc))
            found = self._documents[doc] = tuple(p.documents.column(c)[at].as_py()
                                                 for c in ("id", "url", "title", "outlet"))
        return found

    def _live(self, p: Segment) -> np.ndarray:
        """Which of a segment's documents are still in the index."""
        return np.ones(len(p.doc), bool) if self.live is None else _member(p.doc, self.live)

    def doc_numbers(self, ids: set[str]) -> set[int]:
        if not ids:
            return set()
        if self._doc_of_id is None:
            self._doc_of_id = {}
            for p in self.parts:
                live = self._live(p)
                self._doc_of_id.update(zip(p.documents.filter(pa.array(live)).column("id").to_pylist(),
                                           p.doc[live].tolist()))
        return {self._doc_of_id[i] for i in ids if i in self._doc_of_id}

    def texts(self):
        """Every live sentence: (document id, sentence number, text), in document order."""
        for p in self.parts:
            ids = p.documents.column("id").to_pylist()
            for did, first, count, live in zip(ids, p.first.tolist(), p.count.tolist(), self._live(p).tolist()):
                if live:
                    for i, text in enumerate(self._texts(p, range(first, first + count))):
                        yield did, i, text


def _starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins (values sorted, or grouped), as a mask."""
    out = np.empty(len(values), bool)
    out[:1] = True
    np.not_equal(values[1:], values[:-1], out=out[1:])
    return out


def _np(column, dtype) -> np.ndarray:
    if column.num_chunks == 0:
        return np.zeros(0, dtype)
    return np.asarray(column.combine_chunks().to_numpy(zero_copy_only=False), dtype)
