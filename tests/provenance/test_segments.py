"""The segments the index keeps its sentences and postings in: written per batch, merged as
they pile up and at the end of each add, read together while there are several, and what
a stopped run leaves of them."""

from __future__ import annotations

from pathlib import Path

from unspun import SourceIndex
from unspun.doc import parse


def _probes(docs: list[dict], every: int = 9) -> list[str]:
    """A long sentence from every ``every``-th document."""
    out = []
    for d in docs[::every]:
        text = d["text"]
        out += [text[s.start : s.end] for s in parse(text).sentences if len(text[s.start : s.end].split()) >= 10][:1]
    return out


def _traces(index: SourceIndex, probes: list[str]) -> list:
    return [index.trace(p)[0] for p in probes]


def _segment_folders(path: Path) -> list[str]:
    return sorted(f.name for f in Path(str(path) + ".segments").iterdir())


def test_small_batches_merged_along_the_way_index_as_one_batch(tmp_path, docs):
    """Forty batches of five documents make forty segments, merged eight at a time and into
    one at the end: the same counts, the same postings and the same traces as one batch."""
    probes = _probes(docs)
    with SourceIndex(tmp_path / "one.duckdb") as one, SourceIndex(tmp_path / "many.duckdb") as many:
        one.add(docs, batch=len(docs))
        many.add(docs, batch=5)
        a, b = one.stats(), many.stats()
        for key in ("documents", "sentences", "postings", "text_bytes"):
            assert a[key] == b[key]
        assert a["segments"] == b["segments"] == 1
        assert _traces(many, probes) == _traces(one, probes)
        assert sum(t is not None for t in _traces(one, probes)) >= len(probes) - 1
    assert len(_segment_folders(tmp_path / "many.duckdb")) == 1


def test_several_segments_are_read_together_until_merged(tmp_path, docs):
    """Between batches (a run stopped before its end leaves them so) the index is several
    segments: a trace reads them all, a replaced document is not traced to, and the next
    add merges them into one without the replaced document's sentences."""
    path = tmp_path / "r.duckdb"
    probes = _probes(docs[:60], every=3)
    with SourceIndex(path) as index:
        for start in range(0, 60, 10):
            index._write([_prepared(d) for d in docs[start : start + 10]], None)
        assert index.stats()["segments"] == 6
        first = _traces(index, probes)
        assert sum(t is not None for t in first) >= len(probes) - 1
        # Replace docs[0] with the text of docs[1]: its old sentences stay in a segment, unread.
        index._write([_prepared(dict(docs[1], id=docs[0]["id"]))], None)
        old = index.trace(probes[0])[0]
        assert old is None or old["document"]["id"] != docs[0]["id"]
        index.add(docs[60:70])
        assert index.stats()["segments"] == 1
        after = index.stats()
    with SourceIndex(tmp_path / "fresh.duckdb") as fresh:
        fresh.add([dict(docs[1], id=docs[0]["id"]), *docs[1:70]])
        expect = fresh.stats()
    for key in ("documents", "sentences", "postings"):
        assert after[key] == expect[key]


def test_the_first_batches_compressed_without_a_dictionary_are_merged_with_one(tmp_path, docs):
    """A first batch too small to train the text's dictionary is compressed without one; the
    merge after a larger batch compresses it with the dictionary, and its text reads back."""
    path = tmp_path / "d.duckdb"
    probes = _probes(docs[:5], every=1)
    with SourceIndex(path) as index:
        index.add(docs[:5])
        assert index._dictionaries() == {}
        index.add(docs[5:])
        assert list(index._dictionaries()) == [1]
        traced = _traces(index, probes)
    assert [t["match"]["text"] for t in traced] == probes


def test_segment_folders_not_listed_are_removed_at_opening(tmp_path, docs):
    """A run stopped after writing a segment's files but before listing it leaves a folder
    the catalogue does not know: the next writer removes it and the index reads as before."""
    path = tmp_path / "o.duckdb"
    with SourceIndex(path) as index:
        index.add(docs[:20])
        expect = index.stats()
    root = Path(str(path) + ".segments")
    (root / "99").mkdir()
    (root / "99" / "low").write_bytes(b"\0" * 64)
    (root / ".build-x").mkdir()
    with SourceIndex(path) as index:
        assert index.stats()["documents"] == expect["documents"]
        assert index.trace(_probes(docs[:20])[0])[0]["document"]["id"] == docs[0]["id"]
    left = _segment_folders(path)
    assert "99" not in left and ".build-x" not in left and len(left) == 1


def _prepared(record):
    from unspun.provenance.index import prepare

    return prepare(record)


def test_keys_too_common_to_trace_by_are_left_out_when_merging(tmp_path, docs, monkeypatch):
    """A key shared by more than MAX_POSTINGS sentences is skipped by a trace; a merge leaves
    its postings out and lists it, so that a trace of the merged segment skips it too and
    traces the same."""
    from unspun.provenance import segments

    monkeypatch.setattr(segments, "MAX_POSTINGS", 3)
    probes = _probes(docs[:80], every=4)
    with SourceIndex(tmp_path / "c.duckdb") as index:
        for start in range(0, 80, 20):
            index._write([_prepared(d) for d in docs[start : start + 20]], None)
        before, postings = _traces(index, probes), index.stats()["postings"]
        index._compact(everything=True)
        merged = index._lookup_table().parts
        assert len(merged) == 1 and len(merged[0].common) > 100
        assert index.stats()["postings"] < postings
        assert _traces(index, probes) == before
        assert sum(t is not None for t in before) >= len(probes) // 2
        # A later segment with a few postings of a listed key: the key stays skipped.
        again = _prepared(dict(docs[0], id="again"))
        keys = set(again.keys.tolist()) & set(merged[0].common.tolist())
        assert keys
        index._write([again], None)
        reader = index._lookup_table()
        assert len(reader.parts) == 2
        assert reader.candidates([0] * len(keys), sorted(keys), set(), 8) == []


def test_a_merge_of_replaced_documents_only_leaves_an_empty_segment(docs):
    """Every document of a segment replaced since: merged, nothing of it is left, and the
    index goes on (in memory, as `sources=` records are indexed)."""
    with SourceIndex(":memory:") as index:
        index._write([_prepared(d) for d in docs[:3]], None)
        index._write([_prepared(d) for d in docs[:3]], None)
        listed = index._con.execute(
            "SELECT segment, level, first_doc, last_doc, documents FROM segments ORDER BY first_doc").fetchall()
        index._merge(listed[:1], 1)
        assert index.stats()["documents"] == 3
        assert sum(len(p.doc) for p in index._lookup_table().parts) == 3
        index.add(docs[3:6])
        assert index.stats()["segments"] == 1
        assert index.trace(_probes(docs[:1])[0])[0]["document"]["id"] == docs[0]["id"]


def test_an_index_file_moved_without_its_segments_says_so(tmp_path, docs):
    import shutil

    import pytest

    from unspun import InputError

    with SourceIndex(tmp_path / "a.duckdb") as index:
        index.add(docs[:5])
    shutil.copy(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    with SourceIndex(tmp_path / "b.duckdb", read_only=True) as index:
        with pytest.raises(InputError, match=r"b\.duckdb.*cannot be read.*b\.duckdb\.segments/ beside it"):
            index.trace(_probes(docs[:5])[0])


def _contents(path: Path) -> list[tuple[str, bytes]]:
    folder = Path(str(path) + ".segments")
    return [(f.name, f.read_bytes()) for f in sorted(folder.rglob("*")) if f.is_file() and f.name != "segment.json"]


def test_worker_processes_build_the_same_index(tmp_path, docs, monkeypatch):
    """With worker processes segmenting, keying and compressing (from the third batch on,
    once the dictionary exists), the segment files, the documents and the traces are those of
    a build in one process, byte for byte."""
    from unspun.provenance import index as index_mod

    monkeypatch.setattr(index_mod, "INLINE", 60)
    monkeypatch.setattr(index_mod, "CHUNK", 10)
    compressed_by_workers = []
    write = SourceIndex._write

    def counting_write(self, prepared, progress):
        compressed_by_workers.append(sum(p.texts is None for p in prepared))
        return write(self, prepared, progress)

    probes = _probes(docs)
    with SourceIndex(tmp_path / "one.duckdb") as one, SourceIndex(tmp_path / "two.duckdb") as two:
        assert one.add(docs, batch=30) == len(docs)
        monkeypatch.setattr(SourceIndex, "_write", counting_write)
        assert two.add(docs, batch=30, workers=2) == len(docs)
        assert compressed_by_workers[:2] == [0, 0] and sum(compressed_by_workers) == len(docs) - 60
        rows = "SELECT * FROM documents ORDER BY doc"
        assert one._con.execute(rows).fetchall() == two._con.execute(rows).fetchall()
        assert _traces(two, probes) == _traces(one, probes)
    assert _contents(tmp_path / "one.duckdb") == _contents(tmp_path / "two.duckdb")


def test_a_bad_record_read_while_workers_run_stops_the_build_with_its_name(tmp_path, docs, monkeypatch):
    """A record without text, read after the workers have started, stops the run with an
    error naming it; the batches written before it stay usable."""
    import pytest

    from unspun.errors import InputError
    from unspun.provenance import index as index_mod

    monkeypatch.setattr(index_mod, "INLINE", 40)
    monkeypatch.setattr(index_mod, "CHUNK", 10)
    records = docs[:100] + [{"id": "broken", "text": None}] + docs[100:120]
    path = tmp_path / "bad.duckdb"
    with SourceIndex(path) as index:
        with pytest.raises(InputError, match="broken"):
            index.add(records, batch=20, workers=2)
    with SourceIndex(path, read_only=True) as index:
        written = index.stats()["documents"]
        assert 40 <= written <= 100 and written % 20 == 0
        assert index.trace(_probes(docs[:1], 1)[0])[0]["document"]["id"] == docs[0]["id"]


def test_the_weakest_candidates_are_left_out_as_a_trace_would(index, docs):
    """Leaving out the candidates under a share of the best score in the search keeps the
    others as they were, in the same order, with the same scores."""
    import numpy as np

    from unspun.provenance.tokens import keys_of, retrieval_keys_batch

    # Sentences from a few documents, one a little changed, so that candidates score apart.
    probes = _probes(docs[:60], every=6)
    probes[0] = probes[0].replace(" the ", " a ")
    keys, owners = retrieval_keys_batch([keys_of(p) for p in probes])
    reader = index._lookup_table()
    everything = reader.candidates(owners, keys, set(), 8)
    strong = reader.candidates(owners, keys, set(), 8, 0.25)
    best = {}
    for row in everything:
        best.setdefault(row[0], row[6])
    kept = [row for row in everything if row[6] >= 0.25 * best[row[0]]]
    assert strong == kept
    assert len(kept) < len(everything)
    assert len(np.unique([row[0] for row in strong])) == len(probes)


def test_the_postings_of_a_key_are_found_whatever_its_bucket(index):
    """The search inside each key's bucket finds the same postings as a search of all the
    keys written out in full: keys held, keys not held, empty buckets and the edges."""
    import numpy as np

    from unspun.provenance.segments import BUCKET_BITS

    reader = index._lookup_table()
    part = reader.parts[0]
    directory = np.asarray(part.directory, np.int64)
    buckets = np.repeat(np.arange(len(directory) - 1, dtype=np.uint32), np.diff(directory))
    full = (buckets << np.uint32(BUCKET_BITS)) | np.asarray(part.low, np.uint32)
    rng = np.random.default_rng(7)
    keys = np.concatenate([
        full[rng.integers(0, len(full), 500)],  # held
        rng.integers(0, 1 << 32, 500, dtype=np.uint32),  # mostly not held
        np.array([0, 1, 0xFFFF, 0x10000, 0xFFFFFFFF], np.uint32),
    ])
    lo, hi = reader._bounds(0, keys)
    assert (lo == np.searchsorted(full, keys, "left")).all()
    assert (hi == np.searchsorted(full, keys, "right")).all()
    assert (hi - lo).sum() >= 500
