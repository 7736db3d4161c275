// The events table: one row per story event, sortable and paged; a row opens to its evidence.
import { filterParams, get, url } from "./api.js";
import { clear, el, empty, failure, fmtConf, fmtDate, fmtInt, loading, placeLabel, typeBadge } from "./util.js";
import { renderEvidence } from "./evidence.js";

let controller = null;
let current = null; // {state, data}

const COLUMNS = [
  { key: "date", label: "Date", sort: ["-date", "date"] },
  { key: "type", label: "Type", sort: ["-intensity"], title: "Sort by intensity, most cooperative first" },
  { key: "actors", label: "Source → target" },
  { key: "place", label: "Place" },
  { key: "deaths", label: "Deaths", sort: ["-fatalities"], num: true },
  { key: "sources", label: "Sources", sort: ["-sources"], num: true },
  { key: "confidence", label: "Confidence", sort: ["-confidence"], num: true },
];
const SORT_NAMES = {
  "-date": "Newest first", date: "Oldest first", "-confidence": "Most confident", "-sources": "Most sources",
  "-fatalities": "Most deaths", "-intensity": "Most cooperative",
};

export async function render(section, state, ctx) {
  if (controller) controller.abort();
  controller = new AbortController();
  const { signal } = controller;
  if (!section.firstChild || !current) clear(section).append(loading("Loading events…"));
  else section.classList.add("busy");
  const params = { ...filterParams(state), sort: state.sort, limit: state.limit, offset: state.offset };
  let data;
  try {
    data = await get("/api/events", params, signal);
  } catch (err) {
    if (err.name === "AbortError") return;
    section.classList.remove("busy");
    current = null;
    clear(section).append(failure(err, () => render(section, ctx.getState(), ctx)));
    return;
  }
  section.classList.remove("busy");
  current = { state, data };
  draw(section, state, data, ctx);
}

// The URL changed without a new query (an opened row): nothing to reload.
export function sync() {}

function draw(section, state, data, ctx) {
  clear(section);
  const { total, events } = data;
  const first = total ? state.offset + 1 : 0;
  const last = state.offset + events.length;
  const csv = url("/api/events", { ...filterParams(state), sort: state.sort, limit: 1000, format: "csv" });

  section.append(el("div.toolbar",
    el("div.summary", el("b#events-total", fmtInt(total)), total === 1 ? " event" : " events",
      state.flagged ? el("span.muted", " (flagged included)") : null),
    el("div.toolbar-right",
      el("label.inline", "Sort ",
        el("select#sort", { onchange: (e) => ctx.navigate({ sort: e.target.value }) },
          Object.entries(SORT_NAMES).map(([value, name]) => el("option", { value, selected: value === state.sort }, name)))),
      el("label.inline.limit-control", "Per page ",
        el("select#limit", { onchange: (e) => ctx.navigate({ limit: Number(e.target.value) }) },
          [25, 50, 100, 200].map((n) => el("option", { value: n, selected: n === state.limit }, String(n))))),
      el("a.button.small.ghost", { href: csv, download: "events.csv", title: "These events as CSV (up to 1,000 rows)" }, "CSV"))));

  if (!events.length) {
    const filtered = ["actor", "dyad", "type", "since", "until", "near", "q"].some((k) => state[k]) || state.min_confidence > 0;
    section.append(empty(filtered ? "No events match these filters." : "The store has no events yet. Ingest some news with `communique ingest`.",
      filtered ? el("button.button.small", { type: "button", onclick: () => document.getElementById("f-clear").click() }, "Clear filters") : null));
    if (state.offset > 0) section.append(pager(state, total, first, last, ctx));
    return;
  }

  const table = el("table.events", { "aria-label": "Events" });
  const head = el("tr");
  for (const col of COLUMNS) {
    const th = el("th", { scope: "col", class: `c-${col.key}${col.num ? " num" : ""}` });
    if (col.sort) {
      const active = col.sort.includes(state.sort);
      const next = active && col.sort.length > 1 ? col.sort[(col.sort.indexOf(state.sort) + 1) % col.sort.length] : col.sort[0];
      const arrow = active ? (state.sort.startsWith("-") ? " ↓" : " ↑") : "";
      th.setAttribute("aria-sort", active ? (state.sort.startsWith("-") ? "descending" : "ascending") : "none");
      th.append(el("button.sort", { type: "button", title: col.title || `Sort by ${col.label.toLowerCase()}`,
        onclick: () => ctx.navigate({ sort: next }) }, col.label, el("span.arrow", arrow)));
    } else th.append(col.label);
    head.append(th);
  }
  head.append(el("th.c-open", { scope: "col" }, el("span.sr-only", "Evidence")));
  table.append(el("thead", head));
  const body = el("tbody");
  for (const event of events) body.append(...row(event, state, ctx));
  table.append(body);
  section.append(el("div.table-wrap", table));
  section.append(pager(state, total, first, last, ctx));

  if (state.event) {
    const tr = body.querySelector(`tr.event[data-id="${CSS.escape(state.event)}"]`);
    if (tr) toggle(tr, ctx, { scroll: true });
  }
}

function pager(state, total, first, last, ctx) {
  const prev = Math.max(0, state.offset - state.limit);
  const pages = Math.max(1, Math.ceil(total / state.limit));
  const more = last < total;
  const page = Math.floor(state.offset / state.limit) + 1;
  return el("nav.pager", { "aria-label": "Pages" },
    el("button.button.small", { type: "button", disabled: state.offset === 0, onclick: () => ctx.navigate({ offset: prev }) }, "← Previous"),
    el("span.pager-info", total ? `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(total)} · page ${page} of ${pages}` : "no events"),
    el("button.button.small", { type: "button", disabled: !more, onclick: () => ctx.navigate({ offset: state.offset + state.limit }) }, "Next →"));
}

function flags(event) {
  const out = [];
  if (event.corrected) out.push(el("span.flag.corrected", { title: "An analyst corrected this event" }, "corrected"));
  if (event.dismissed) out.push(el("span.flag.dismissed", { title: "Dismissed as not an event" }, "not an event"));
  if (event.negated) out.push(el("span.flag.negated", { title: "The sentence says it did not happen" }, "negated"));
  if (event.hypothetical) out.push(el("span.flag.hypothetical", { title: "The sentence says it may happen" }, "hypothetical"));
  return out;
}

function actorCell(actor, role) {
  if (!actor) return el("span.actor.none", { title: `No ${role} found` }, "—");
  return el("span.actor", { title: actor.sectors && actor.sectors.length ? `${role}; sectors: ${actor.sectors.join(", ")}` : role },
    el("span.actor-name", actor.name || actor.country),
    actor.country && actor.country !== actor.name ? el("span.cc", actor.country) : null);
}

export function cells(event) {
  const date = el("td.c-date", { "data-label": "Date" }, el("span.date", fmtDate(event.date)),
    event.date_precision && event.date_precision !== "day" ? el("span.precision", event.date_precision) : null);
  const type = el("td.c-type", { "data-label": "Type" }, typeBadge(event.type, event.intensity),
    event.mode ? el("span.mode", event.mode) : null);
  const actors = el("td.c-actors", { "data-label": "Source → target" },
    el("div.dyad", actorCell(event.source, "source"), el("span.arrow", { "aria-label": "to" }, "→"), actorCell(event.target, "target"), ...flags(event)),
    event.sentence ? el("div.sentence", { title: event.sentence }, event.sentence) : null);
  const place = el("td.c-place", { "data-label": "Place" },
    event.location ? el("span", { title: `${event.location.lat}, ${event.location.lon} (${event.location.precision})` }, placeLabel(event.location)) : el("span.muted", "—"));
  const deaths = el("td.c-deaths.num", { "data-label": "Deaths", title: event.injuries ? `${event.injuries} injured` : null },
    event.fatalities ? el("b.deaths", fmtInt(event.fatalities)) : el("span.muted", event.fatalities === 0 ? "0" : "—"));
  const sources = el("td.c-sources.num", { "data-label": "Sources", title: `${event.num_sources} sources, ${event.num_documents} documents, ${event.num_mentions} mentions` },
    el("span", fmtInt(event.num_sources)), event.num_mentions > 1 ? el("span.sub", `${event.num_mentions} mentions`) : null);
  const pct = Math.round((event.confidence || 0) * 100);
  const conf = el("td.c-confidence.num", { "data-label": "Confidence" },
    el("span.conf", el("span.conf-bar", el("span.conf-fill", { style: { width: `${pct}%` } })), el("span.conf-num", fmtConf(event.confidence))));
  return [date, type, actors, place, deaths, sources, conf];
}

function row(event, state, ctx) {
  const tr = el("tr.event", { dataset: { id: event.event_id }, tabindex: "0", "aria-expanded": "false",
    title: "Open the evidence" });
  tr._event = event;
  tr.append(...cells(event), el("td.c-open", el("span.chevron", { "aria-hidden": "true" }, "›")));
  tr.addEventListener("click", (e) => {
    if (e.target.closest("a, button, input, select")) return;
    toggle(tr, ctx);
  });
  tr.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      toggle(tr, ctx);
    }
  });
  return [tr];
}

function toggle(tr, ctx, { scroll = false } = {}) {
  const open = tr.getAttribute("aria-expanded") === "true";
  const next = tr.nextElementSibling;
  if (open) {
    tr.setAttribute("aria-expanded", "false");
    tr.classList.remove("open");
    if (next && next.classList.contains("detail")) next.remove();
    if (ctx.getState().event === tr.dataset.id) ctx.navigate({ event: "" }, { replace: true });
    return;
  }
  tr.setAttribute("aria-expanded", "true");
  tr.classList.add("open");
  const cell = el("td", { colspan: COLUMNS.length + 1 });
  const detail = el("tr.detail", { dataset: { id: tr.dataset.id } }, cell);
  tr.after(detail);
  ctx.navigate({ event: tr.dataset.id }, { replace: true });
  renderEvidence(cell, tr._event, {
    ...ctx,
    updated(event) {
      // a correction: the row shows the corrected event at once; other views reload when shown
      tr._event = { ...tr._event, ...event };
      const chevron = tr.lastElementChild;
      clear(tr).append(...cells(tr._event), chevron);
      ctx.invalidate("events");
      ctx.refreshStats();
    },
  });
  if (scroll) requestAnimationFrame(() => tr.scrollIntoView({ block: "start", behavior: "instant" }));
}

