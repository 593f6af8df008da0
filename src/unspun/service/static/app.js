// The page of `unspun serve`: send an article to /api/check and show its report.
//
// The report holds scraped web text, so it is only ever put into the page as text nodes
// (textContent, createTextNode), never as markup; the page's Content-Security-Policy also
// allows no script but this file and no connection but to this server.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  const KIND_NOTES = {
    metadata: "title, byline or date",
    boilerplate: "page furniture",
    injected: "text from another story",
    dangling_reference: "refers to something not in the text",
    quote: "quotation (speaker on hover)",
    figure: "figure",
    repeat: "figure stated again",
    conflict: "figures that disagree",
    thread: "a run of one story thread",
  };
  // Kinds that cover whole runs of sentences: listed, but not painted over the text.
  const UNMARKED = new Set(["thread"]);
  const LABELS = new Set(["clean", "suspicious", "polluted", "stitched"]);

  let current = null; // the report shown

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  const isInt = (v) => Number.isInteger(v);
  const kindClass = (kind) =>
    KIND_NOTES[kind] ? `k-${kind}` : `k-generic`;

  // ---- sending -------------------------------------------------------------------------

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message;
    s.classList.toggle("error", !!isError);
  }

  function describeError(body, status) {
    const detail = body && body.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((e) => {
          const where = Array.isArray(e.loc) ? e.loc.filter((p) => p !== "body").join(".") : "";
          return (where ? where + ": " : "") + (e.msg || "invalid");
        })
        .join("; ");
    }
    return `the server answered ${status}`;
  }

  async function send(init, what) {
    const button = $("check");
    button.disabled = true;
    setStatus(`Checking ${what}…`);
    try {
      const response = await fetch("/api/check", Object.assign({ method: "POST" }, init));
      let body = null;
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
      if (!response.ok) {
        // A report left on screen under a failed check would read as this input's report.
        $("results").hidden = true;
        current = null;
        document.title = "unspun";
        setStatus(`Could not check ${what}: ${describeError(body, response.status)}`, true);
        return;
      }
      show(body);
      setStatus(`Checked ${what}.`);
      $("results").focus();
    } catch (e) {
      setStatus(`Could not reach the server: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
  }

  function sendText(text) {
    send(
      { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: text, name: "pasted text" }) },
      "the pasted text"
    );
  }

  function sendFile(file) {
    const form = new FormData();
    form.append("file", file, file.name);
    send({ body: form }, file.name);
  }

  // ---- the report ----------------------------------------------------------------------

  function show(report) {
    current = report;
    const text = typeof report.text === "string" ? report.text : "";
    const findings = numbered(Array.isArray(report.findings) ? report.findings : [], text.length);
    renderVerdict(report, findings);
    renderArticle(report, text, findings);
    renderFindings(text, findings);
    renderClean(report);
    renderSources(report, text);
    const src = report.source || {};
    $("source-name").textContent = [src.name, src.format].filter(Boolean).join(" · ");
    setClean(false);
    $("results").hidden = false;
    const label = report.verdict && typeof report.verdict.label === "string" ? report.verdict.label : "report";
    document.title = `unspun: ${label}${src.name ? " — " + src.name : ""}`;
  }

  // Findings in reading order (an enclosing one before what it holds), numbered from 1;
  // those whose offsets do not fit the text come last and are listed, not marked.
  function numbered(list, n) {
    const items = list
      .filter((f) => f && typeof f === "object")
      .map((f, i) => ({
        f,
        id: f.id !== undefined ? f.id : i,
        kind: typeof f.kind === "string" ? f.kind : "finding",
        placed: isInt(f.start) && isInt(f.end) && 0 <= f.start && f.start <= f.end && f.end <= n,
      }));
    items.sort((a, b) => {
      if (a.placed !== b.placed) return a.placed ? -1 : 1;
      if (!a.placed) return 0;
      return a.f.start - b.f.start || b.f.end - a.f.end;
    });
    items.forEach((m, i) => {
      m.number = i + 1;
      m.start = m.placed ? m.f.start : 0;
      m.end = m.placed ? m.f.end : 0;
      m.links = []; // [number, label]: figures and the repeats or conflicts that name them
    });
    // A repeat or conflict names the span of the figure it is compared with: link both ways.
    for (const m of items) {
      const other = m.f.details && m.f.details.other;
      if ((m.kind === "conflict" || m.kind === "repeat") && Array.isArray(other)) {
        const target =
          items.find((o) => o.kind === "figure" && o.start === other[0] && o.end === other[1]) ||
          items.find((o) => o.kind === "figure" && o.start <= other[0] && o.end >= other[1]);
        if (target) {
          m.links.push([target.number, `${m.kind} with finding ${target.number}`]);
          target.links.push([m.number, `${m.kind}: finding ${m.number}`]);
        }
      }
    }
    return items;
  }

  function note(m) {
    const f = m.f;
    const d = f.details || {};
    let head = `[${m.number}] ${m.kind}`;
    if (typeof f.score === "number") head += ` ${f.score.toFixed(2)}`;
    if (m.kind === "quote") {
      const who = typeof d.speaker === "string" && d.speaker ? d.speaker : null;
      const how = typeof d.attribution === "string" && d.attribution ? ` (${d.attribution})` : "";
      return `${head}: ${who ? "quoted speaker: " + who + how : "no speaker named"}`;
    }
    if (m.kind === "dangling_reference" && typeof d.phrase === "string") {
      return `${head}: “${d.phrase}” refers to ${d.missing || "something"} not in the text`;
    }
    return typeof f.reason === "string" && f.reason ? `${head} — ${f.reason}` : head;
  }

  function renderVerdict(report, findings) {
    const verdict = report.verdict || {};
    const label = typeof verdict.label === "string" ? verdict.label : "unknown";
    $("verdict").className = `verdict verdict-${LABELS.has(label) ? label : "unknown"}`;
    $("verdict-label").textContent = label;
    const n = findings.length;
    const score = typeof verdict.score === "number" ? `score ${verdict.score.toFixed(2)} · ` : "";
    $("verdict-score").textContent = `${score}${n} finding${n === 1 ? "" : "s"}`;
    const byId = new Map(findings.map((m) => [String(m.id), m]));
    const list = $("reasons");
    list.replaceChildren();
    const reasons = Array.isArray(verdict.reasons) ? verdict.reasons : [];
    for (const r of reasons) {
      const li = el("li", { "data-code": r.code || "" }, String(r.message || r.code || ""));
      for (const id of Array.isArray(r.findings) ? r.findings : []) {
        const m = byId.get(String(id));
        if (m) li.append(" ", ref(m.number, `finding ${m.number}: ${m.kind}`, `item-${m.number}`));
      }
      list.append(li);
    }
    if (!reasons.length) list.append(el("li", { text: "Nothing wrong was found." }));
    const meta = $("meta");
    meta.replaceChildren();
    const fields = report.metadata && typeof report.metadata === "object" ? report.metadata : {};
    for (const key of ["title", "author", "date"]) {
      const value = fields[key] && fields[key].value;
      if (typeof value === "string" && value) {
        meta.append(el("dt", { text: key[0].toUpperCase() + key.slice(1) }), el("dd", { text: value }));
      }
    }
  }

  function ref(number, label, target) {
    return el("a", { class: "ref", href: `#${target}`, "aria-label": label }, `[${number}]`);
  }

  function paragraphsOf(report, n) {
    const out = [];
    for (const p of Array.isArray(report.paragraphs) ? report.paragraphs : []) {
      if (p && isInt(p.start) && isInt(p.end) && 0 <= p.start && p.start < p.end && p.end <= n) {
        out.push({ index: p.index, start: p.start, end: p.end });
      }
    }
    out.sort((a, b) => a.start - b.start);
    if (!out.length && n) out.push({ index: 0, start: 0, end: n });
    return out;
  }

  function renderArticle(report, text, findings) {
    const article = $("article");
    article.replaceChildren();
    const sentences = (Array.isArray(report.sentences) ? report.sentences : []).filter(
      (s) => s && isInt(s.start) && isInt(s.end) && s.start < s.end && s.end <= text.length
    );
    const traced = sentences.filter((s) => s.source && typeof s.source === "object");
    const threads = report.threads && Array.isArray(report.threads.switches) ? report.threads : null;
    const switchAt = new Map(); // paragraph index -> thread number
    if (threads && threads.count > 1) {
      for (const si of threads.switches) {
        const s = sentences.find((x) => x.index === si);
        if (s && isInt(s.paragraph) && !switchAt.has(s.paragraph)) {
          switchAt.set(s.paragraph, isInt(s.thread) ? s.thread : switchAt.size + 1);
        }
      }
    }
    const marks = findings.filter((m) => m.placed && m.end > m.start && !UNMARKED.has(m.kind));
    const kinds = new Set();
    const firstShown = new Set();

    for (const p of paragraphsOf(report, text.length)) {
      const inside = marks.filter((m) => m.start < p.end && m.end > p.start);
      const tracedHere = traced.filter((s) => s.start < p.end && s.end > p.start);
      const cuts = new Set([p.start, p.end]);
      const clamp = (x) => Math.min(Math.max(x, p.start), p.end);
      for (const m of inside) { cuts.add(clamp(m.start)); cuts.add(clamp(m.end)); }
      for (const s of tracedHere) { cuts.add(clamp(s.start)); cuts.add(clamp(s.end)); }
      const points = [...cuts].sort((a, b) => a - b);
      const para = el("p", { id: `p-${p.index}`, class: inside.length ? "para flagged" : "para" });
      if (switchAt.has(p.index)) {
        para.classList.add("thread-start");
        para.setAttribute("data-thread-label", `thread ${switchAt.get(p.index)} starts`);
      }
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i], b = points[i + 1];
        for (const s of tracedHere) {
          if (s.start === a) para.append(el("span", { id: `s-${s.index}`, class: "anchor" }));
        }
        const active = inside.filter((m) => m.start < b && m.end > a);
        const tracedSentence = tracedHere.find((s) => s.start < b && s.end > a);
        const inTraced = !!tracedSentence;
        const piece = text.slice(a, b);
        if (!active.length && !inTraced) {
          para.append(document.createTextNode(piece));
        } else {
          const span = el("span", { text: piece });
          const classes = active.map((m) => `k ${kindClass(m.kind)}`);
          if (inTraced) {
            classes.push(tracedSentence.source.status === "spun" ? "traced traced-spun" : "traced");
            span.setAttribute("data-sentence", tracedSentence.index);
          }
          span.className = classes.join(" ");
          if (active.length) {
            span.title = active.map(note).join("\n");
            span.setAttribute("data-findings", active.map((m) => m.number).join(" "));
            active.forEach((m) => kinds.add(m.kind));
          } else {
            span.title = tracedSentence.source.status === "spun"
              ? "reworded from a source (see Sources)" : "copied from a source (see Sources)";
          }
          para.append(span);
        }
        // After the last piece of a finding in this paragraph: its number, and its links.
        for (const m of inside.filter((m) => Math.min(m.end, p.end) === b).sort((x, y) => y.number - x.number)) {
          const r = ref(m.number, `finding ${m.number}: ${m.kind}`, `item-${m.number}`);
          r.classList.add("k", kindClass(m.kind));
          if (!firstShown.has(m.number)) { r.id = `ref-${m.number}`; firstShown.add(m.number); }
          para.append(r);
          for (const [other, label] of m.links) para.append(linkTo(other, label));
        }
      }
      article.append(para);
    }
    const legend = $("legend");
    legend.replaceChildren();
    for (const k of [...kinds].sort()) {
      legend.append(el("li", {}, el("span", { class: `k ${kindClass(k)}`, text: k }), " " + (KIND_NOTES[k] || "")));
    }
    if (traced.some((s) => s.source.status !== "spun")) {
      legend.append(el("li", {}, el("span", { class: "traced", text: "copied" }), " word for word from a source"));
    }
    if (traced.some((s) => s.source.status === "spun")) {
      legend.append(el("li", {}, el("span", { class: "traced traced-spun", text: "spun" }), " reworded from a source"));
    }
  }

  function linkTo(number, label) {
    const a = el("a", { class: "ref link", href: `#ref-${number}`, "aria-label": label }, `↔${number}`);
    a.addEventListener("click", () => flash(`ref-${number}`));
    return a;
  }

  function flash(id) {
    const target = document.getElementById(id);
    if (!target) return;
    document.querySelectorAll(".target").forEach((t) => t.classList.remove("target"));
    target.classList.add("target");
  }

  function renderFindings(text, findings) {
    const list = $("findings");
    list.replaceChildren();
    if (!findings.length) {
      list.append(el("li", { text: "No findings." }));
      return;
    }
    for (const m of findings) {
      const li = el("li", { id: `item-${m.number}`, value: m.number });
      li.append(el("span", { class: `kind k ${kindClass(m.kind)}`, text: m.kind }), " " + note(m).replace(/^\[\d+\] \S+/, ""));
      if (m.placed && document.getElementById(`ref-${m.number}`)) {
        li.append(" ", el("a", { href: `#ref-${m.number}`, "aria-label": `finding ${m.number} in the text` }, "↩"));
      } else if (!m.placed) {
        li.append(" (its offsets do not fit the text)");
      }
      for (const [other, label] of m.links) li.append(" ", linkTo(other, label));
      if (m.placed && m.end > m.start) {
        let excerpt = text.slice(m.start, m.end).replace(/\s+/g, " ").trim();
        if (excerpt.length > 160) excerpt = excerpt.slice(0, 78) + " … " + excerpt.slice(-78);
        li.append(el("span", { class: "excerpt", text: excerpt }));
      }
      if (m.f.step) li.append(el("span", { class: "step", text: String(m.f.step) }));
      list.append(li);
    }
  }

  function renderClean(report) {
    const box = $("clean");
    box.replaceChildren();
    const clean = typeof report.clean_text === "string" ? report.clean_text : "";
    if (!clean.trim()) {
      box.append(el("p", { text: "(nothing is left)" }));
      return;
    }
    for (const part of clean.split(/\n[ \t]*\n/)) box.append(el("p", { text: part }));
  }

  // ---- sources -------------------------------------------------------------------------

  // A source's address is shown as a link only when it is a web address (never javascript: etc.).
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      const u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function diff(edits) {
    const out = el("span", { class: "diff" });
    let first = true;
    for (const e of Array.isArray(edits) ? edits : []) {
      if (!first) out.append(" ");
      first = false;
      if (e.op === "keep") out.append(String(e.to ?? e.from ?? ""));
      else if (e.op === "sub") out.append(el("del", { text: String(e.from ?? "") }), " ", el("ins", { text: String(e.to ?? "") }));
      else if (e.op === "del") out.append(el("del", { text: String(e.from ?? "") }));
      else if (e.op === "ins") out.append(el("ins", { text: String(e.to ?? "") }));
    }
    return out;
  }

  function renderSources(report, text) {
    const body = $("sources-body");
    body.replaceChildren();
    const prov = report.provenance;
    if (!prov || typeof prov !== "object") {
      body.append(
        el("p", { class: "empty" }, "No reference index: the sentences were not traced to their sources. " +
          "Start the server with ", el("code", { text: "--sources DB" }), " to trace them.")
      );
      return;
    }
    const sentences = Array.isArray(report.sentences) ? report.sentences : [];
    const traced = sentences.filter((s) => s && s.source && typeof s.source === "object");
    const docs = Array.isArray(prov.documents) ? prov.documents : [];
    const summary = `${prov.traced_sentences ?? traced.length} of ${prov.body_sentences ?? "?"} body sentences ` +
      `traced to ${docs.length} document${docs.length === 1 ? "" : "s"}` + (prov.index ? ` in ${prov.index}` : "") + ".";
    body.append(el("p", { text: summary }));
    if (!traced.length) return;
    // Sentences grouped by the document they came from, in the order of the summary.
    const groups = new Map();
    for (const d of docs) if (d && d.id !== undefined) groups.set(String(d.id), { doc: d, items: [] });
    for (const s of traced) {
      const d = s.source.document || {};
      const key = String(d.id);
      if (!groups.has(key)) groups.set(key, { doc: d, items: [] });
      groups.get(key).items.push(s);
    }
    for (const { doc, items } of groups.values()) {
      if (!items.length) continue;
      const url = safeUrl(doc.url);
      const title = doc.title || doc.id || "(untitled)";
      const head = el("h3", {}, url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, String(title)) : String(title));
      const copied = items.filter((s) => s.source.status === "copied").length;
      const meta = [doc.outlet, `id ${doc.id}`, `${copied} copied, ${items.length - copied} spun`].filter(Boolean).join(" · ");
      const box = el("section", { class: "doc" }, head, el("p", { class: "meta", text: meta }));
      // Reworded sentences first, each with its diff; word-for-word copies folded away.
      const spun = items.filter((s) => s.source.status === "spun");
      const copies = items.filter((s) => s.source.status !== "spun");
      let folder = null;
      if (copies.length) {
        folder = el("details", {}, el("summary", {
          text: `${copies.length} sentence${copies.length === 1 ? "" : "s"} copied word for word` }));
      }
      for (const s of [...spun, ...copies]) {
        const src = s.source;
        const sim = typeof src.similarity === "number" ? ` · similarity ${src.similarity.toFixed(2)}` : "";
        const jump = el("a", { href: `#s-${s.index}`, "aria-label": `sentence ${s.index + 1} in the article` },
          `sentence ${s.index + 1}`);
        jump.addEventListener("click", () => {
          document.querySelectorAll(".target").forEach((t) => t.classList.remove("target"));
          document.querySelectorAll(`[data-sentence="${s.index}"]`).forEach((t) => t.classList.add("target"));
        });
        const what = el("span", { class: "what" }, jump,
          ` · ${src.status || "?"}${sim}`);
        const entry = el("div", { class: `match ${src.status === "spun" ? "spun" : "copied"}` }, what);
        if (src.status === "spun" && Array.isArray(src.edits)) entry.append(diff(src.edits));
        else entry.append(el("span", { class: "diff", text: text.slice(s.start, s.end) }));
        const numbers = Array.isArray(src.numbers) ? src.numbers : [];
        if (numbers.length) {
          entry.append(el("span", { class: "numbers what",
            text: "numbers changed: " + numbers.map((x) => `${x.from} → ${x.to}`).join(", ") }));
        }
        (src.status === "spun" || !folder ? box : folder).append(entry);
      }
      if (folder) box.append(folder);
      body.append(box);
    }
  }

  // ---- views and download --------------------------------------------------------------

  function setClean(on) {
    $("article-view").hidden = on;
    $("clean-view").hidden = !on;
    const b = $("toggle-clean");
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.textContent = on ? "Show the marked article" : "Show the clean text";
  }

  function download() {
    if (!current) return;
    const blob = new Blob([JSON.stringify(current, null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const base = String((current.source && current.source.name) || "report").replace(/[^\w.-]+/g, "_").replace(/^[._]+/, "");
    const a = el("a", { href: url, download: `${base || "report"}.unspun.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---- wiring --------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("input").addEventListener("submit", (e) => {
      e.preventDefault();
      const text = $("text").value;
      if (!text.trim()) {
        setStatus("Paste an article first, or choose a file.", true);
        $("text").focus();
        return;
      }
      sendText(text);
    });
    // Ctrl+Enter (or Cmd+Enter) in the text box checks it without leaving the keyboard.
    $("text").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        $("input").requestSubmit();
      }
    });
    $("file").addEventListener("change", () => {
      const f = $("file").files[0];
      if (f) sendFile(f);
    });
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      drop.classList.remove("over");
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) { e.preventDefault(); sendFile(f); }
    });
    $("toggle-clean").addEventListener("click", () => setClean($("toggle-clean").getAttribute("aria-pressed") !== "true"));
    $("download").addEventListener("click", download);
    document.addEventListener("click", (e) => {
      const a = e.target.closest && e.target.closest("a.ref");
      if (a && a.hash) flash(a.hash.slice(1));
    });
  });
})();
