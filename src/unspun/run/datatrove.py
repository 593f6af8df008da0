"""unspun as a step of a datatrove pipeline (FineWeb-style data jobs).

    from datatrove.pipeline.readers import JsonlReader
    from unspun.run.datatrove import UnspunFilter

    pipeline = [JsonlReader("crawl/"), UnspunFilter(pass_threshold="suspicious"), ...]

The step takes and yields datatrove Documents. It adds the verdict, its score and the finding
counts to each document's metadata (keys prefixed ``unspun_``), can replace the text with the
clean text, and drops the documents whose verdict does not pass (and those unspun cannot read)
unless ``drop=False``. Dropped documents go to datatrove's exclusion writer when one is given.
"""

from __future__ import annotations

try:
    from datatrove.pipeline.filters.base_filter import BaseFilter
except ImportError as e:  # checked when the step is built, not when unspun is imported
    raise ImportError(
        "the unspun datatrove step needs datatrove: pip install 'unspun[datatrove]'"
    ) from e

from unspun.errors import InputError
from unspun.run.keep import parse_threshold, passes
from unspun.run.writer import KINDS


class UnspunFilter(BaseFilter):
    name = "📰 unspun"

    def __init__(
        self,
        pass_threshold: str | float = "suspicious",
        drop: bool = True,
        clean_text: bool = False,
        exclusion_writer=None,
    ) -> None:
        super().__init__(exclusion_writer)
        self.threshold = parse_threshold(pass_threshold)
        self.drop = drop
        self.clean_text = clean_text
        self._pipeline = None

    def __getstate__(self):
        # The pipeline is built in each task's process, not sent to it.
        state = dict(self.__dict__)
        state["_pipeline"] = None
        return state

    def filter(self, doc) -> bool | tuple[bool, str]:
        if self._pipeline is None:
            from unspun import Pipeline

            self._pipeline = Pipeline()
        meta = doc.metadata
        try:
            report = self._pipeline.check(doc.text, name=str(doc.id))
        except InputError as e:
            meta["unspun_error"] = e.problem
            self.stat_update("unspun_error")
            return (False, "unspun_error") if self.drop else True
        counts: dict[str, int] = {}
        for f in report.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        meta["unspun_verdict"] = report.verdict.label
        meta["unspun_score"] = round(report.verdict.score, 4)
        for kind in KINDS:
            meta[f"unspun_{kind}"] = counts.get(kind, 0)
        self.stat_update(f"unspun_{report.verdict.label}")
        if self.clean_text:
            doc.text = report.clean_text
        if self.drop and not passes(report.verdict.label, report.verdict.score, self.threshold):
            return False, f"unspun_{report.verdict.label}"
        return True
