"""Corpus runs: whole inputs through the pipeline, on a local process pool or on Ray.

Readers stream the inputs as records; records are cut into shards with stable ids; a shard
function analyses a shard and writes its Parquet file; an engine runs shard functions in
parallel; the summary is tallied from the files written.
"""

from unspun.run.job import scan

__all__ = ["scan"]
