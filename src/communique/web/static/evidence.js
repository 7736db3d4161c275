// An event's evidence: the lead mention's document with the sentence highlighted and the actors,
// trigger, place and date marked; every mention (outlet, date, link, sentence, rule); the coded
// facts; the correction form and the history of corrections.
import { get } from "./api.js";
import { actorLabel, clear, el, failure, fmtConf, fmtDate, fmtInt, loading, placeLabel, plural, typeBadge } from "./util.js";
import { renderCorrection, renderHistory } from "./correct.js";

const MARKS = [
  // kind, label, priority (a higher one wins where two overlap)
  ["trigger", "trigger", 5],
  ["source", "source actor", 4],
  ["target", "target actor", 3],
  ["place", "place", 2],
  ["date", "date", 1],
];

export async function renderEvidence(cell, listEvent, ctx) {
  const box = el("div.evidence", { "aria-live": "polite" }, loading("Loading the evidence…"));
  clear(cell).append(box);
  let event;
  try {
    event = await get(`/api/events/${encodeURIComponent(listEvent.event_id)}`);
  } catch (err) {
    clear(box).append(failure(err, () => renderEvidence(cell, listEvent, ctx)));
    return;
  }
  const mentions = event.mentions || [];
  const lead = mentions.find((m) => m.lead) || mentions[0];

  const docPanel = el("section.doc-panel", { "aria-label": "Document" });
  const factsBox = el("div.facts-box");
  const mentionsBox = el("div.mentions-box");
  const correction = el("section.correction-panel", { "aria-label": "Correction" });
  clear(box).append(el("div.evidence-grid", docPanel, mentionsBox, factsBox), correction);

  let shown = null;
  const markShown = () => {
    for (const li of mentionsBox.querySelectorAll(".mention-sent")) li.classList.toggle("shown", li._mention === shown);
  };
  const showMention = async (mention) => {
    shown = mention;
    markShown();
    if (!mention) {
      clear(docPanel).append(el("p.muted", "This event has no mention with a document."));
      return;
    }
    clear(docPanel).append(loading("Loading the document…"));
    let doc;
    try {
      doc = await get(`/api/documents/${encodeURIComponent(mention.document_id)}`);
    } catch (err) {
      clear(docPanel).append(failure(err, () => showMention(mention)));
      return;
    }
    drawDocument(docPanel, doc, event, mention);
  };

  const drawSide = () => {
    clear(factsBox).append(facts(event));
    clear(mentionsBox).append(mentionList(mentions, lead, showMention));
  };
  drawSide();
  const refresh = (updated) => {
    Object.assign(event, updated);
    drawSide();
    markShown();
    ctx.updated(updated);
  };
  renderCorrection(correction, event, { ...ctx, saved: refresh });
  if (event.corrected) renderHistory(correction.querySelector(".history"), event.event_id);
  await showMention(lead);
}

// ---- the document with its highlights -----------------------------------------------------------

function findWord(text, needle, start, end) {
  if (!needle || !needle.trim()) return null;
  const slice = text.slice(start, end);
  const escaped = needle.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  let m = null;
  try {
    m = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu").exec(slice);
  } catch {
    m = null;
  }
  if (!m) {
    const i = slice.toLowerCase().indexOf(needle.trim().toLowerCase());
    return i < 0 ? null : [start + i, start + i + needle.trim().length];
  }
  return [start + m.index, start + m.index + m[0].length];
}

// Sentence ranges (merged) and the marks inside them, for one story in one document.
export function annotate(doc, event, focus) {
  const text = doc.text || "";
  const mine = (event.mentions || []).filter((m) => m.document_id === focus.document_id && m.char_span);
  const spans = [];
  for (const m of mine) spans.push({ start: m.char_span[0], end: m.char_span[1], lead: sameSpan(m, focus) });
  for (const e of doc.events || []) {
    if (e.story_id === event.event_id && e.char_span) {
      spans.push({ start: e.char_span[0], end: e.char_span[1], lead: sameSpan(e, focus) });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const sentences = [];
  for (const s of spans) {
    const last = sentences[sentences.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      last.lead = last.lead || s.lead;
    } else sentences.push({ ...s });
  }
  const candidates = [];
  for (const m of mine) {
    const [a, b] = m.char_span;
    const wanted = { trigger: m.trigger, source: m.source_text, target: m.target_text, date: m.date_text,
      place: event.location && event.location.precision !== "country" ? event.location.name : null };
    for (const [kind, label, priority] of MARKS) {
      const at = findWord(text, wanted[kind], a, b);
      if (at) candidates.push({ start: at[0], end: at[1], kind, label, priority, lead: sameSpan(m, focus) });
    }
  }
  candidates.sort((x, y) => (y.lead - x.lead) || (y.priority - x.priority) || (x.start - y.start));
  const marks = [];
  for (const c of candidates) {
    if (!marks.some((m) => c.start < m.end && m.start < c.end)) marks.push(c);
  }
  marks.sort((x, y) => x.start - y.start);
  return { sentences, marks };
}

function sameSpan(a, b) {
  return !!(a.char_span && b.char_span && a.char_span[0] === b.char_span[0] && a.char_span[1] === b.char_span[1]);
}

function drawDocument(panel, doc, event, focus) {
  const text = doc.text || "";
  const { sentences, marks } = annotate(doc, event, focus);
  const body = el("div.doc-text", { tabindex: "0", "aria-label": "Document text" });
  let at = 0;
  for (const s of sentences) {
    if (s.start > at) body.append(text.slice(at, s.start));
    const span = el("span.s", { class: s.lead ? "lead" : null, title: s.lead ? "The event's sentence" : "Another sentence of this event" });
    let i = s.start;
    for (const m of marks.filter((m) => m.start >= s.start && m.end <= s.end)) {
      if (m.start > i) span.append(text.slice(i, m.start));
      span.append(el("mark", { class: `m m-${m.kind}`, title: m.label }, text.slice(m.start, m.end)));
      i = m.end;
    }
    if (i < s.end) span.append(text.slice(i, s.end));
    body.append(span);
    at = s.end;
  }
  if (at < text.length) body.append(text.slice(at));

  const present = new Set(marks.map((m) => m.kind));
  const legend = el("div.legend.marks-legend", el("span.s.lead.key", "sentence"),
    MARKS.filter(([kind]) => present.has(kind)).map(([kind, label]) => el("mark", { class: `m m-${kind} key` }, label)));
  const meta = [doc.site, doc.published ? fmtDate(doc.published) : null, doc.author].filter(Boolean).join(" · ");
  clear(panel).append(
    el("header.doc-head",
      el("h3.doc-title", doc.url ? el("a", { href: doc.url, target: "_blank", rel: "noopener noreferrer" }, doc.title || doc.url) : (doc.title || doc.doc_id)),
      el("div.doc-meta", meta || "no outlet or date", focus.rule ? el("span.rule", { title: "The coding rule that fired" }, focus.rule) : null)),
    legend, body);
  const leadNode = body.querySelector(".s.lead") || body.querySelector(".s");
  if (leadNode) requestAnimationFrame(() => { body.scrollTop = Math.max(0, leadNode.offsetTop - body.offsetTop - 24); });
}

// ---- facts and mentions -------------------------------------------------------------------------

function facts(event) {
  const row = (label, ...value) => [el("dt", label), el("dd", ...value)];
  const sectors = (a) => (a && a.sectors && a.sectors.length ? el("span.sectors", a.sectors.join(" · ")) : null);
  const loc = event.location;
  return el("section.facts", { "aria-label": "Coded event" },
    el("h4", "Coded as"),
    el("dl",
      row("Type", typeBadge(event.type, event.intensity), " ",
        el("span.muted", `CAMEO ${event.cameo || "–"} · intensity ${event.intensity > 0 ? "+" : ""}${event.intensity ?? "–"}${event.mode ? " · " + event.mode : ""}`)),
      row("Source", actorLabel(event.source) || el("span.muted", "none"), " ", sectors(event.source)),
      row("Target", actorLabel(event.target) || el("span.muted", "none"), " ", sectors(event.target)),
      row("Place", loc ? placeLabel(loc) : el("span.muted", "none"),
        loc ? el("span.muted", ` ${Number(loc.lat).toFixed(3)}, ${Number(loc.lon).toFixed(3)} · ${loc.precision}`) : null),
      row("Date", fmtDate(event.date), event.date_precision && event.date_precision !== "day" ? el("span.muted", ` (${event.date_precision})`) : null),
      event.fatalities || event.injuries ? row("Casualties", `${fmtInt(event.fatalities ?? 0)} killed · ${fmtInt(event.injuries ?? 0)} injured`) : null,
      row("Confidence", fmtConf(event.confidence)),
      row("Reported", `${plural(event.num_sources, "source")} · ${plural(event.num_documents, "document")} · ${plural(event.num_mentions, "mention")}`,
        event.first_seen ? el("span.muted", ` · ${fmtDate(event.first_seen)}${event.last_seen && event.last_seen !== event.first_seen ? " – " + fmtDate(event.last_seen) : ""}`) : null),
      row("Event", el("code.id", event.event_id),
        event.corrected ? el("span.flag.corrected", "corrected") : null,
        event.dismissed ? el("span.flag.dismissed", "not an event") : null,
        event.negated ? el("span.flag.negated", "negated") : null,
        event.hypothetical ? el("span.flag.hypothetical", "hypothetical") : null)));
}

// Mentions grouped by document, then by sentence: one outlet's report often yields several
// mentions (one per trigger) in one sentence.
function mentionList(mentions, lead, showMention) {
  const docs = new Map();
  for (const m of mentions) {
    if (!docs.has(m.document_id)) docs.set(m.document_id, []);
    docs.get(m.document_id).push(m);
  }
  const groups = [...docs.values()].sort((a, b) => (b.includes(lead) - a.includes(lead)));
  const list = el("ol.mentions");
  for (const group of groups) {
    const first = group[0];
    const sentences = new Map();
    for (const m of group) {
      const key = m.char_span ? m.char_span.join("-") : m.sentence;
      if (!sentences.has(key)) sentences.set(key, []);
      sentences.get(key).push(m);
    }
    const ul = el("ul.mention-sentences");
    const start = (ms) => (ms[0].char_span ? ms[0].char_span[0] : 0);
    for (const [key, ms] of [...sentences].sort((a, b) => start(a[1]) - start(b[1]))) {
      const shown = ms.includes(lead) ? lead : ms[0];
      const show = el("button.link-button.show", { type: "button", title: "Show this sentence in its report", onclick: () => showMention(shown) }, "show in text");
      const li = el("li.mention-sent", { dataset: { span: key } },
        el("blockquote.mention-sentence", shown.sentence),
        ms.map((m, i) => el("div.mention-coding", { class: m.lead ? "lead" : null },
          m.source_text ? el("span.pill.p-source", { title: "source as written" }, m.source_text) : null,
          el("span.pill.p-trigger", { title: "trigger" }, m.trigger),
          m.target_text ? el("span.pill.p-target", { title: "target as written" }, m.target_text) : null,
          m.date_text ? el("span.pill.p-date", { title: "date as written" }, m.date_text) : null,
          el("span.rule", { title: "The coding rule that fired" }, m.rule),
          m.lead ? el("span.flag.lead-flag", { title: "The mention the event's coding comes from" }, "lead") : null,
          i === ms.length - 1 ? show : null)));
      li._mention = shown;
      ul.append(li);
    }
    list.append(el("li.mention-doc", { dataset: { document: first.document_id } },
      el("div.mention-head",
        el("span.site", first.site || hostOf(first.url) || "unknown outlet"),
        el("span.muted", first.published ? fmtDate(first.published) : "undated"),
        group.length > 1 ? el("span.muted", `· ${group.length} mentions`) : null),
      first.url ? el("a.mention-title", { href: first.url, target: "_blank", rel: "noopener noreferrer" }, first.title || first.url)
        : el("span.mention-title", first.title || first.doc_id),
      ul));
  }
  const outlets = new Set(mentions.map((m) => m.site || hostOf(m.url)));
  return el("section.mentions-panel", { "aria-label": "Mentions" },
    el("h4", `Mentions (${mentions.length}) in ${docs.size} ${docs.size === 1 ? "report" : "reports"} from ${outlets.size} ${outlets.size === 1 ? "outlet" : "outlets"}`),
    mentions.length ? list : el("p.muted", "No mentions."));
}

function hostOf(u) {
  try {
    return new URL(u).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}
