"""The read side of the index: postings sorted by key, sentences and documents sorted by
number, in Arrow files beside the database, memory-mapped.

DuckDB holds the index and does the writing, replacing and counting; but a trace is a few
hundred point look-ups, and a DuckDB query costs a millisecond or more each, scanning row
groups to find a handful of rows. So the first trace after a change exports the three tables,
sorted, to ``<db>.lookup/<generation>/`` (a few seconds per 10,000 documents), and each trace
then finds its rows by binary search in the mapped files. The generation, counted up by every
write, tells a stale export from a current one; a read-only process that cannot write beside
the database builds the export in memory instead.

To keep the files small, a posting stores only the low 16 bits of its key: the high 16 bits
are its bucket in a directory of 65,537 offsets (the postings of bucket ``h`` are rows
``directory[h]`` to ``directory[h + 1]``). Each sentence's text is its own zstd frame,
compressed against a dictionary trained on the index's sentences (about half the size; a
trace decompresses only the few hundred candidates it reads, a microsecond or two each).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from unspun.provenance.index import SID_BITS

#: Keys shared by more sentences than this say nothing about where one sentence came from
#: (a stock phrase of names); they are skipped. Below it, a key counts the less the more
#: sentences share it (1 / log2(2 + n)), so that two rare pairs outweigh three common ones.
#: (On 200 farm articles against all of AllSides and BBC, 2,000 and 20,000 trace the same
#: sentences; 500 loses one; the longer lists only cost time.)
MAX_POSTINGS = 2000
#: The layout of the files: a directory made by another layout is rebuilt, not misread.
FORMAT = "2"
_BUCKET_BITS = 16
#: Sentences sampled, and the dictionary's size, for the text's zstd dictionary.
_DICT_SAMPLES = 10_000
_DICT_BYTES = 112 * 1024
_ZSTD_LEVEL = 3

# Postings point at sentences by row number in the sorted sentences file (32 bits), not by sid.
_QUERIES = {
    # Sentences are joined to their row numbers before their key lists are unnested: a join
    # of one row per sentence, not one per posting.
    "postings": """SELECT key, row FROM (
                       SELECT unnest(p.keys) AS key, CAST(s.row AS UINTEGER) AS row FROM postings p
                       JOIN (SELECT sid, row_number() OVER (ORDER BY sid) - 1 AS row FROM sentences) s USING (sid))
                   ORDER BY key, row""",
    "sentences": "SELECT sid, start, stop, text FROM sentences ORDER BY sid",
    "documents": "SELECT doc, id, url, title, outlet FROM documents ORDER BY doc",
}


_TABLES = ("postings", "directory", "sentences", "documents", "dictionary")


def _single_chunk(table: pa.Table) -> pa.Table:
    return table.combine_chunks()


class Lookup:
    def __init__(self, tables: dict[str, pa.Table], generation: int) -> None:
        import zstandard

        self.generation = generation
        self._tables = tables
        p = tables["postings"]
        self.low = _np(p.column("low"))
        self.rows = _np(p.column("row"))
        self.directory = _np(tables["directory"].column("start")).astype(np.int64)
        sizes = np.diff(self.directory)
        # Binary-search steps that narrow the largest bucket down to one place.
        self._steps = int(sizes.max()).bit_length() + 1 if len(sizes) else 1
        s = tables["sentences"]
        self.s_sid = _np(s.column("sid"))
        self.s_start = _np(s.column("start"))
        self.s_stop = _np(s.column("stop"))
        text = s.column("text").chunk(0) if s.num_rows else pa.array([], pa.large_binary())
        # The frames straight from the mapped buffers: no Arrow scalar per read.
        self._text_offsets = np.frombuffer(text.buffers()[1], np.int64)[text.offset : text.offset + len(text) + 1]
        self._text_data = memoryview(text.buffers()[2]) if len(text) else memoryview(b"")
        zdict = tables["dictionary"].column("data")[0].as_py() if tables["dictionary"].num_rows else b""
        self._unzip = (zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(zdict)) if zdict
                       else zstandard.ZstdDecompressor()).decompress
        d = tables["documents"]
        self.d_doc = _np(d.column("doc"))
        self.d_cols = [d.column(c).chunk(0) if d.num_rows else pa.array([], pa.string())
                       for c in ("id", "url", "title", "outlet")]
        self._doc_of_id: dict[str, int] | None = None

    @classmethod
    def open(cls, con, path: str, generation: int) -> Lookup:
        if path == ":memory:":
            return cls(_export(con), generation)
        root = Path(path + ".lookup")
        name = f"{generation}.{FORMAT}"
        here = root / name
        if not (here / "documents.arrow").exists():
            tables = _export(con)
            try:
                root.mkdir(exist_ok=True)
                tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
                for table_name, t in tables.items():
                    with pa.OSFile(str(tmp / f"{table_name}.arrow"), "wb") as f, ipc.new_file(f, t.schema) as w:
                        w.write_table(t, max_chunksize=max(1, t.num_rows))
                try:
                    os.rename(tmp, here)
                except OSError:  # another process got there first: its export is as good
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError:
                return cls(tables, generation)  # nowhere to write: keep it in memory
            for old in root.iterdir():
                if old.name != name and not old.name.startswith(".build-"):
                    shutil.rmtree(old, ignore_errors=True)
        tables = {}
        for table_name in _TABLES:
            source = pa.memory_map(str(here / f"{table_name}.arrow"), "r")
            tables[table_name] = ipc.open_file(source).read_all()
        return cls(tables, generation)

    def _bounds(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The postings of each key (uint32): rows ``lo`` to ``hi``. A binary search inside
        each key's bucket, all keys at once."""
        bucket = (keys >> _BUCKET_BITS).astype(np.int64)
        target = (keys & ((1 << _BUCKET_BITS) - 1)).astype(np.int32)
        # The first posting not below the key, and the first above it, in one pass.
        target = np.concatenate([target, target + 1])
        lo = np.tile(self.directory[bucket], 2)
        hi = np.tile(self.directory[bucket + 1], 2)
        last = len(self.low) - 1
        for _ in range(self._steps):
            active = lo < hi
            if not active.any():
                break
            mid = (lo + hi) >> 1
            less = active & (self.low[np.minimum(mid, last)] < target)
            lo = np.where(less, mid + 1, lo)
            hi = np.where(active & ~less, mid, hi)
        n = len(keys)
        return lo[:n], lo[n:]

    def texts(self, rows) -> list[str]:
        """The text of these rows of the sentences file."""
        unzip, data, offsets = self._unzip, self._text_data, self._text_offsets
        rows = np.asarray(rows, dtype=np.int64)
        return [unzip(data[a:b]).decode("utf-8", "surrogatepass")
                for a, b in zip(offsets[rows].tolist(), offsets[rows + 1].tolist())]

    def document(self, position: int) -> tuple:
        """(id, url, title, outlet) of the document at this position of the documents file."""
        return tuple(c[position].as_py() for c in self.d_cols)

    def _doc_numbers(self, ids: set[str]) -> set[int]:
        if not ids:
            return set()
        if self._doc_of_id is None:
            self._doc_of_id = dict(zip(self.d_cols[0].to_pylist(), self.d_doc.tolist()))
        return {self._doc_of_id[i] for i in ids if i in self._doc_of_id}

    def candidates(self, q_i: list[int], q_key: list[int], exclude: set[str], k: int) -> list[tuple]:
        """For each query sentence, the ``k`` indexed sentences sharing most keys with it:
        (query index, sid, start, stop, text, document position; see :meth:`document`)."""
        if not len(self.low):
            return []
        keys = np.asarray(q_key).astype(np.uint32)
        qi = np.asarray(q_i, dtype=np.int64)
        lo, hi = self._bounds(keys)
        n = hi - lo
        keep = (n > 0) & (n <= MAX_POSTINGS)
        if not keep.any():
            return []
        lo, hi, qi = lo[keep], hi[keep], qi[keep]
        n = hi - lo
        # Each key's run of postings, one after the other.
        rows = self.rows[np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))]
        sids = self.s_sid[rows]
        owners = np.repeat(qi, (hi - lo))
        weights = np.repeat(1.0 / np.log2(2.0 + (hi - lo)), (hi - lo))
        if exclude:
            banned = self._doc_numbers(exclude)
            if banned:
                ok = ~np.isin(sids >> SID_BITS, np.fromiter(banned, np.int64))
                sids, owners, weights = sids[ok], owners[ok], weights[ok]
        if not len(sids):
            return []
        pair = owners << 40 | sids
        uniq, inverse = np.unique(pair, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(uniq))
        u_q = uniq >> 40
        u_sid = uniq & ((1 << 40) - 1)
        order = np.lexsort((u_sid, -counts, u_q))
        u_q, u_sid = u_q[order], u_sid[order]
        first = np.r_[True, u_q[1:] != u_q[:-1]]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(u_q)), 0))
        rank = np.arange(len(u_q)) - group_start
        sel = rank < k
        u_q, u_sid = u_q[sel], u_sid[sel]
        rows = np.searchsorted(self.s_sid, u_sid)
        docs = np.searchsorted(self.d_doc, u_sid >> SID_BITS)
        return list(zip(u_q.tolist(), u_sid.tolist(), self.s_start[rows].tolist(), self.s_stop[rows].tolist(),
                        self.texts(rows), docs.tolist()))


    def sentence(self, sid: int) -> tuple | None:
        """(sid, start, stop, text, document position) of one indexed sentence, or None."""
        row = int(np.searchsorted(self.s_sid, sid))
        if row >= len(self.s_sid) or int(self.s_sid[row]) != sid:
            return None
        d = int(np.searchsorted(self.d_doc, sid >> SID_BITS))
        return (sid, int(self.s_start[row]), int(self.s_stop[row]), self.texts([row])[0], d)


def _np(column) -> np.ndarray:
    if column.num_chunks == 0:
        return np.zeros(0, dtype=np.int64)
    return column.chunk(0).to_numpy(zero_copy_only=False)


def _export(con) -> dict[str, pa.Table]:
    out = {}
    for name, sql in _QUERIES.items():
        out[name] = _single_chunk(con.sql(sql).to_arrow_table())
    p = out["postings"]
    keys = np.asarray(_np(p.column("key")), dtype=np.uint32)  # no copy: DuckDB gives uint32
    # Where each bucket starts, searched in the keys themselves (no shifted copy of them).
    bucket_starts = np.arange(1 << _BUCKET_BITS, dtype=np.uint32) << np.uint32(_BUCKET_BITS)
    directory = np.r_[np.searchsorted(keys, bucket_starts, "left"), len(keys)]
    out["postings"] = pa.table({
        "low": pa.array(keys.astype(np.uint16)),  # the cast keeps the low 16 bits
        "row": p.column("row").combine_chunks() if p.num_rows else pa.array([], pa.uint32()),
    })
    del p, keys
    out["directory"] = pa.table({"start": pa.array(directory.astype(np.uint64))})
    s = out["sentences"]
    zdict, packed = _compress(s.column("text"))
    out["sentences"] = s.set_column(s.schema.get_field_index("text"), "text", packed)
    out["dictionary"] = pa.table({"data": pa.array([zdict], pa.binary())})
    return out


def _compress(texts: pa.ChunkedArray) -> tuple[bytes, pa.Array]:
    """Each text as its own zstd frame, against a dictionary trained on a sample of them
    (none for an index too small to train one). A slice at a time, so that memory holds
    the Arrow columns, not a Python object per sentence."""
    import zstandard

    n = len(texts)
    zdict = b""
    if n >= 1000:
        sample = texts.take(pa.array(np.arange(0, n, max(1, n // _DICT_SAMPLES)))).to_pylist()
        try:
            zdict = zstandard.train_dictionary(_DICT_BYTES, [t.encode("utf-8", "surrogatepass") for t in sample]).as_bytes()
        except zstandard.ZstdError:  # too little or too uniform text to learn from
            zdict = b""
    params = {"level": _ZSTD_LEVEL, "write_checksum": False, "write_dict_id": False}
    compress = (zstandard.ZstdCompressor(dict_data=zstandard.ZstdCompressionDict(zdict), **params) if zdict
                else zstandard.ZstdCompressor(**params)).compress
    step = 1 << 16
    chunks = [pa.array([compress(t.encode("utf-8", "surrogatepass")) for t in texts.slice(i, step).to_pylist()],
                       pa.large_binary()) for i in range(0, n, step)]
    return zdict, pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_binary())
