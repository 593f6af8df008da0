"""The pipeline: source -> parsed document -> findings, step by step -> verdict -> report."""

from __future__ import annotations

from collections.abc import Sequence

from unspun import report as report_mod
from unspun.doc import Document, parse
from unspun.errors import InputError
from unspun.lexicon import Lexicon
from unspun.report import MetadataField, Report
from unspun.source import Source, from_string
from unspun.spans import Findings
from unspun.steps.base import Step
from unspun.verdict import decide, stitch_from_sources, with_stitch

#: Below this share of common English function words, the text may not be English (English
#: news runs at 0.3-0.45, with 1 article in 5,000 under 0.1; pages in other languages, even
#: with English words mixed in, stay under 0.1)...
ENGLISH_SHARE = 0.10
#: ...unless most of its words are English words all the same, as in lists and scoreboards.
ENGLISH_KNOWN_SHARE = 0.7


def default_steps(lexicon: Lexicon) -> list[Step]:
    from unspun.steps.boilerplate import BoilerplateStep
    from unspun.steps.figures import FigureStep
    from unspun.steps.injected import InjectedStep
    from unspun.steps.metadata import MetadataStep
    from unspun.steps.quotes import QuoteStep
    from unspun.steps.references import DanglingReferenceStep
    from unspun.steps.threads import ThreadStep
    from unspun.topics import TopicSpace

    return [
        MetadataStep(),
        BoilerplateStep(),
        InjectedStep(lexicon, TopicSpace()),
        DanglingReferenceStep(),
        QuoteStep(),
        FigureStep(lexicon),
        ThreadStep(lexicon),
    ]


class Pipeline:
    """Runs the steps over one article at a time. Build it once: it loads the word statistics
    and models its steps need, and reuses them for every article.

    ``blas_threads``: the steps multiply small matrices (one row per sentence), for which a
    multi-threaded BLAS spends far more time starting and syncing threads than computing:
    on two cores a 100 x 300 product took 3.3 ms of CPU with two OpenBLAS threads and
    0.12 ms with one. So building a pipeline sets the process's BLAS to one thread (through
    threadpoolctl), as one article at a time on one core wants; pass ``None`` to leave it.
    """

    def __init__(
        self, steps: Sequence[Step] | None = None, lexicon: Lexicon | None = None, *, blas_threads: int | None = 1
    ) -> None:
        if blas_threads is not None:
            from threadpoolctl import threadpool_limits

            threadpool_limits(blas_threads, user_api="blas")
        self.lexicon = lexicon if lexicon is not None else Lexicon()
        self.steps = list(steps) if steps is not None else default_steps(self.lexicon)
        self._check_order()

    def _check_order(self) -> None:
        available: set[str] = set()
        produced_by_any = {k for s in self.steps for k in s.kinds()}
        for step in self.steps:
            missing = [k for k in step.requires if k in produced_by_any and k not in available]
            if missing:
                raise ValueError(f"step {step.name} reads {missing} but runs before the step that produces it")
            available.update(step.kinds())

    def check(self, source: Source | str, name: str = "<text>", sources=None) -> Report:
        """``sources``: a reference index (a :class:`unspun.SourceIndex`, or the path of one)
        to trace each body sentence to; or a list of records (id, text, ...) to trace to."""
        if isinstance(source, str):
            source = from_string(source, name)
        doc = parse(source.text, source.name, source.html_metadata)
        if not doc.lines:
            raise InputError(source.name, "empty: no text to analyse")
        return self.analyse(doc, source, sources=sources)

    def analyse(self, doc: Document, source: Source, sources=None) -> Report:
        found = Findings(len(doc.text))
        for step in self.steps:
            found.extend(step.detect(doc, found))
        findings = found.all()
        share = doc.english_share
        english = share >= ENGLISH_SHARE or self._known_share(doc) >= ENGLISH_KNOWN_SHARE
        verdict = decide(findings, english=english)
        report = report_mod.build(
            doc,
            findings,
            verdict,
            source={"name": source.name, "format": source.format},
            language={"english": english, "english_share": round(share, 4)},
            metadata=_metadata(doc, findings, source),
            steps=[{"name": s.name, "config": s.config()} for s in self.steps],
            version=_version(),
        )
        if sources is not None:
            from unspun.provenance.attach import attach

            attach(report, doc, sources)
            # The sources can say what the steps could not: that the body was assembled from
            # several documents. That becomes a finding of its own, and the verdict says so.
            stitch = stitch_from_sources(report.provenance, [(s.start, s.end) for s in doc.sentences])
            if stitch is not None:
                report.findings.append(stitch)
                report.verdict = with_stitch(report.verdict, len(report.findings) - 1, stitch)
        return report


    def _known_share(self, doc: Document) -> float:
        """Share of words (numbers aside) that are fairly common English words."""
        words = [w for line in doc.line_words for w in line if not w.isdigit()]
        if not words:
            return 0.0
        zipf = self.lexicon.zipf
        return sum(1 for w in words if zipf(w) > 3.0) / len(words)


def _metadata(doc: Document, findings, source: Source) -> dict[str, MetadataField | None]:
    """Title, author and date: from the head lines where they are in the text, else from the HTML."""
    out: dict[str, MetadataField | None] = {"title": None, "author": None, "date": None}
    for f in findings:
        if f.kind == "metadata" and out.get(f.details["field"]) is None:
            out[f.details["field"]] = MetadataField(doc.text[f.start : f.end], f.start, f.end)
    for key, value in source.html_metadata.items():
        if key in out and out[key] is None and value:
            at = doc.text.find(value)
            out[key] = MetadataField(value, at, at + len(value)) if at >= 0 else MetadataField(value)
    return out


def _version() -> str:
    from unspun import __version__

    return __version__
