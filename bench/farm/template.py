"""The farm template's own furniture: byline, dateline, header, source line, captions, footer.

Farm sites in one network share a template, and the template puts the same kinds of lines
around every article: a fake byline and dateline, a header such as
``Published: <date> / <section> | By <name>``, a fake ``Source AP`` line, the title or a photo
caption repeated, and a footer such as ``Other reports by <site>`` and ``Discuss This Article``.
The wording varies here; people's names come from AllSides' author lists, sections from its
topics, site names from word lists below.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# Site names are made from these, e.g. "The Evening Ledger", "Capital Wire 24", "newsdailyhub.com".
_SITE_FIRST = (
    "Daily", "Morning", "Evening", "National", "Metro", "Global", "Capital", "Liberty", "Union",
    "Citizen", "Patriot", "Pacific", "Atlantic", "Northern", "Frontier", "Summit", "Harbor",
    "Prairie", "Central", "World", "Breaking", "Trending", "Insider", "Prime",
)
_SITE_SECOND = (
    "Herald", "Ledger", "Chronicle", "Gazette", "Dispatch", "Observer", "Post", "Times",
    "Bulletin", "Sentinel", "Tribune", "Wire", "Report", "Digest", "News", "Journal", "Review",
    "Monitor", "Express", "Courier", "Today", "Update", "Headlines", "Press",
)
_DOMAIN_WORDS = ("news", "daily", "hub", "now", "today", "wire", "times", "report", "feed", "live", "world", "us")
_TLDS = (".com", ".net", ".co", ".org", ".info", ".news")

WIRES = (
    "AP", "Reuters", "AFP", "CNN", "Associated Press", "Agence France-Presse", "BBC", "Bloomberg",
    "Yonhap", "ANI", "PTI", "Xinhua",
)
PHOTO_AGENCIES = ("Getty Images", "AFP via Getty Images", "Reuters", "AP Photo", "EPA", "Shutterstock", "Alamy")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def site_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return ("The " if rng.random() < 0.5 else "") + rng.choice(_SITE_FIRST) + " " + rng.choice(_SITE_SECOND)
    if r < 0.7:
        return rng.choice(_SITE_FIRST) + " " + rng.choice(_SITE_SECOND) + " " + str(rng.choice((24, 360, 7, 365, 1)))
    words = rng.sample(_DOMAIN_WORDS, 2 + (rng.random() < 0.3))
    return "".join(words) + rng.choice(_TLDS)


def section_name(category: str | None, rng: random.Random) -> str:
    """An AllSides topic as a section: 'white_house' -> 'White House' (or 'World' when none)."""
    if not category:
        return rng.choice(("World", "News", "Politics", "US", "Business", "Top Stories"))
    words = category.replace("_", " ").split()
    small = {"and", "of", "in", "the"}
    out = " ".join(w if w in small else (w.upper() if len(w) <= 3 and w in {"us", "fbi", "cia", "nsa", "epa", "dea", "fda", "lgbt", "isis"} else w.capitalize()) for w in words)
    return out


def date_text(day: dt.date, rng: random.Random) -> str:
    fmt = rng.randrange(7)
    if fmt == 0:
        return f"{day:%B} {day.day}, {day.year}"
    if fmt == 1:
        return f"{day.day} {day:%B} {day.year}"
    if fmt == 2:
        return f"{day:%b} {day.day}, {day.year}"
    if fmt == 3:
        return day.isoformat()
    if fmt == 4:
        return f"{day.month}/{day.day}/{day.year}"
    if fmt == 5:
        return f"{day:%a}, {day.day} {day:%b} {day.year} {rng.randrange(24):02d}:{rng.randrange(60):02d} GMT"
    return f"{_WEEKDAYS[day.weekday()]}, {day:%B} {day.day}, {day.year}"


def time_text(rng: random.Random) -> str:
    h = rng.randrange(1, 13)
    return f"{h}:{rng.randrange(60):02d} {rng.choice(('AM', 'PM', 'a.m.', 'p.m.'))} {rng.choice(('ET', 'EST', 'EDT', 'GMT', 'PT'))}"


@dataclass(slots=True)
class Line:
    """One furniture line and its role ('byline', 'dateline', 'header', 'source_line', ...)."""

    text: str
    role: str
    template: str


@dataclass(slots=True)
class Context:
    """What the template fills in: the farm's site, the article's title, date, section, author."""

    site: str
    title: str
    day: dt.date
    section: str
    author: str
    wire: str


def head_block(ctx: Context, rng: random.Random) -> list[Line]:
    """The lines under the title: byline and dateline, or one header line holding both."""
    date = date_text(ctx.day, rng)
    k = rng.randrange(9)
    if k == 0:
        return [Line(ctx.author, "byline", "name"), Line(date, "dateline", "date")]
    if k == 1:
        return [Line(f"By {ctx.author}", "byline", "by-name"), Line(date, "dateline", "date")]
    if k == 2:
        return [Line(f"Published: {date} / {ctx.section} | By {ctx.author}", "header", "published-section-by")]
    if k == 3:
        return [Line(f"Posted on {date} by {ctx.author}", "header", "posted-on-by")]
    if k == 4:
        return [Line(f"{ctx.author} | {date}", "header", "name-pipe-date")]
    if k == 5:
        return [Line(f"By {ctx.author} | {ctx.site} | {date}", "header", "by-site-date")]
    if k == 6:
        return [Line(f"Updated {time_text(rng)}, {date}", "dateline", "updated"), Line(f"By {ctx.author}", "byline", "by-name")]
    if k == 7:
        return [Line(f"{date} / {ctx.section}", "dateline", "date-section"), Line(ctx.author, "byline", "name")]
    return [Line(f"Written by {ctx.author} on {date}", "header", "written-by-on")]


def source_line(ctx: Context, rng: random.Random) -> Line:
    k = rng.randrange(6)
    text = (
        f"Source {ctx.wire}",
        f"Source: {ctx.wire}",
        f"Via {ctx.wire}",
        f"(Source: {ctx.wire})",
        f"Original source: {ctx.wire}",
        "Source link",
    )[k]
    return Line(text, "source_line", f"source-{k}")


def caption(ctx: Context, rng: random.Random) -> Line:
    agency = rng.choice(PHOTO_AGENCIES)
    k = rng.randrange(5)
    text = (
        f"Photo: {agency}",
        f"(Photo by {ctx.author}/{agency})",
        f"Image copyright {agency}",
        f"{ctx.title} (Image: {agency})",
        f"File photo. Credit: {agency}",
    )[k]
    return Line(text, "caption", f"caption-{k}")


def footer(ctx: Context, rng: random.Random, tags: list[str]) -> list[Line]:
    """One to three footer lines."""
    options = [
        Line(f"Other reports by {ctx.site}", "footer", "other-reports-by"),
        Line("Other reports by", "footer", "other-reports-by-empty"),
        Line("Discuss This Article", "footer", "discuss"),
        Line("Leave a Comment", "footer", "leave-comment"),
        Line("Share this:", "footer", "share"),
        Line("Related Posts", "footer", "related"),
        Line("You may also like", "footer", "also-like"),
        Line(f"More from {ctx.site}", "footer", "more-from"),
        Line(f"© {ctx.day.year} {ctx.site}. All rights reserved.", "footer", "copyright"),
        Line(f"Filed under: {ctx.section}", "footer", "filed-under"),
        Line("Share on Facebook Share on Twitter", "footer", "share-buttons"),
        Line(f"Read more from {ctx.site}", "footer", "read-more-from"),
        Line("Previous article Next article", "footer", "prev-next"),
    ]
    if tags:
        options.append(Line("Tags: " + ", ".join(tags), "footer", "tags"))
    n = rng.choice((1, 2, 2, 3))
    picked = rng.sample(options, n)
    # The network's signature pair, as often as not.
    if rng.random() < 0.4:
        picked = [options[rng.choice((0, 1))], options[2]]
    return picked
