// The dashboard: state in the URL's query string, a filter bar, four views (events, timeline, network, map).
import { get, getToken, setToken } from "./api.js";
import { TYPES, TYPE_NAMES, clear, debounce, el, fmtDate, fmtInt, typeColor } from "./util.js";
import * as eventsView from "./events.js";
import * as timelineView from "./timeline.js";
import * as networkView from "./network.js";
import * as mapView from "./map.js";

const VIEWS = { events: eventsView, timeline: timelineView, network: networkView, map: mapView };
const FILTER_KEYS = ["actor", "dyad", "type", "since", "until", "near", "min_confidence", "q", "flagged"];
const DEFAULTS = {
  actor: "", dyad: "", type: "", since: "", until: "", near: "", min_confidence: 0, q: "", flagged: false,
  view: "events", sort: "-date", offset: 0, limit: 50, bucket: "month", nodes: "actors", event: "",
};
const SORTS = ["-date", "date", "-confidence", "-sources", "-fatalities", "-intensity"];
// Which parts of the state each view shows: a view re-renders only when its part changed.
const VIEW_KEYS = {
  events: [...FILTER_KEYS, "sort", "offset", "limit"],
  timeline: [...FILTER_KEYS, "bucket"],
  network: [...FILTER_KEYS, "nodes"],
  map: FILTER_KEYS,
};

// ---- state <-> URL ------------------------------------------------------------------------------

function readState(search) {
  const p = new URLSearchParams(search);
  const s = { ...DEFAULTS };
  for (const key of ["actor", "dyad", "since", "until", "near", "q", "event"]) s[key] = (p.get(key) || "").trim();
  s.type = (p.get("type") || "").split(",").map((t) => t.trim().toUpperCase()).filter((t) => TYPE_NAMES.includes(t)).join(",");
  const conf = Number(p.get("min_confidence"));
  s.min_confidence = Number.isFinite(conf) && conf > 0 ? Math.min(1, conf) : 0;
  s.flagged = ["1", "true", "yes"].includes((p.get("flagged") || "").toLowerCase());
  s.view = VIEWS[p.get("view")] ? p.get("view") : DEFAULTS.view;
  s.sort = SORTS.includes(p.get("sort")) ? p.get("sort") : DEFAULTS.sort;
  const offset = parseInt(p.get("offset"), 10);
  s.offset = Number.isFinite(offset) && offset > 0 ? offset : 0;
  const limit = parseInt(p.get("limit"), 10);
  s.limit = [25, 50, 100, 200].includes(limit) ? limit : DEFAULTS.limit;
  s.bucket = ["day", "week", "month", "year"].includes(p.get("bucket")) ? p.get("bucket") : DEFAULTS.bucket;
  s.nodes = p.get("nodes") === "countries" ? "countries" : "actors";
  return s;
}

function writeSearch(s) {
  const p = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS)) {
    const value = s[key];
    if (value === DEFAULTS[key] || value === "" || value === null || value === undefined) continue;
    p.set(key, value === true ? "1" : String(value));
  }
  const qs = p.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
  return qs ? `?${qs}` : location.pathname;
}

let state = readState(location.search);
const rendered = {}; // view -> the state key it last rendered

const keyOf = (view, s) => JSON.stringify(VIEW_KEYS[view].map((k) => s[k]));

export function getState() {
  return state;
}

// Change the state: push a history entry (filters, paging, views) or replace it (an opened row).
export function navigate(changes, { replace = false } = {}) {
  const next = { ...state, ...changes };
  if (FILTER_KEYS.some((k) => k in changes && changes[k] !== state[k])) {
    if (!("offset" in changes)) next.offset = 0;
    if (!("event" in changes)) next.event = "";
  }
  if (["sort", "limit"].some((k) => k in changes && changes[k] !== state[k]) && !("offset" in changes)) next.offset = 0;
  const search = writeSearch(next);
  const same = search === writeSearch(state);
  state = next;
  if (!same) {
    if (replace) history.replaceState(null, "", search);
    else history.pushState(null, "", search);
  }
  update();
}

window.addEventListener("popstate", () => {
  state = readState(location.search);
  update();
});

const ctx = { navigate, getState, refreshStats: () => loadStats() };

// ---- rendering ----------------------------------------------------------------------------------

function update() {
  syncForm();
  renderChips();
  for (const button of document.querySelectorAll(".tabs [role=tab]")) {
    const active = button.dataset.view === state.view;
    button.setAttribute("aria-selected", String(active));
    button.tabIndex = active ? 0 : -1;
  }
  for (const name of Object.keys(VIEWS)) {
    const section = document.getElementById(`view-${name}`);
    section.hidden = name !== state.view;
  }
  const view = state.view;
  const key = keyOf(view, state);
  const section = document.getElementById(`view-${view}`);
  if (rendered[view] !== key) {
    rendered[view] = key;
    VIEWS[view].render(section, state, ctx);
  } else if (VIEWS[view].sync) {
    VIEWS[view].sync(section, state, ctx);
  }
  document.title = titleFor(state);
}

function titleFor(s) {
  const parts = [];
  if (s.type) parts.push(s.type.split(",").join(", "));
  if (s.actor) parts.push(s.actor);
  if (s.dyad) parts.push(s.dyad);
  const name = { events: "events", timeline: "timeline", network: "network", map: "map" }[s.view];
  return `Communique · ${name}${parts.length ? " · " + parts.join(" · ") : ""}`;
}

// Views call this after a write so every view reloads when shown.
ctx.invalidate = (keep) => {
  for (const key of Object.keys(rendered)) if (key !== keep) delete rendered[key];
};

// ---- filter bar ---------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const form = $("filters");
const inputs = {
  actor: $("f-actor"), dyad: $("f-dyad"), since: $("f-since"), until: $("f-until"), q: $("f-q"),
  min_confidence: $("f-conf"), flagged: $("f-flagged"),
};
let typeCounts = {};

function selectedTypes() {
  return state.type ? state.type.split(",") : [];
}

function buildTypeOptions() {
  const box = clear($("types-options"));
  for (const { type, side } of TYPES) {
    const n = typeCounts[type];
    box.append(el("label.multi-option", { dataset: { side } },
      el("input", { type: "checkbox", value: type, name: "type" }),
      el("span.swatch", { style: { background: typeColor(type) }, "aria-hidden": "true" }),
      el("span.option-name", type),
      el("span.option-count", n ? fmtInt(n) : "")));
  }
}

function syncForm() {
  for (const key of ["actor", "dyad", "since", "until", "q"]) {
    if (document.activeElement !== inputs[key] && inputs[key].value !== state[key]) inputs[key].value = state[key];
  }
  inputs.min_confidence.value = String(state.min_confidence);
  $("f-conf-out").textContent = Number(state.min_confidence).toFixed(2);
  inputs.flagged.checked = state.flagged;
  const chosen = new Set(selectedTypes());
  for (const box of document.querySelectorAll("#types-options input")) box.checked = chosen.has(box.value);
  const button = $("types-button");
  button.textContent = chosen.size === 0 ? "All types" : chosen.size <= 2 ? [...chosen].join(", ") : `${chosen.size} types`;
  button.classList.toggle("active", chosen.size > 0);
  const n = FILTER_KEYS.filter((k) => state[k] && state[k] !== DEFAULTS[k]).length;
  $("filters-count").textContent = n ? String(n) : "";
}

const applyText = debounce((key) => navigate({ [key]: inputs[key].value.trim() }), 600);
for (const key of ["actor", "dyad", "q"]) {
  inputs[key].addEventListener("input", () => applyText(key));
  inputs[key].addEventListener("change", () => {
    applyText.cancel();
    navigate({ [key]: inputs[key].value.trim() });
  });
}
for (const key of ["since", "until"]) {
  inputs[key].addEventListener("change", () => navigate({ [key]: inputs[key].value }));
}
inputs.min_confidence.addEventListener("input", () => {
  $("f-conf-out").textContent = Number(inputs.min_confidence.value).toFixed(2);
});
inputs.min_confidence.addEventListener("change", () => navigate({ min_confidence: Number(inputs.min_confidence.value) }));
inputs.flagged.addEventListener("change", () => navigate({ flagged: inputs.flagged.checked }));
form.addEventListener("submit", (e) => {
  e.preventDefault();
  applyText.cancel();
  navigate({ actor: inputs.actor.value.trim(), dyad: inputs.dyad.value.trim(), q: inputs.q.value.trim() });
});
$("f-clear").addEventListener("click", () => {
  const reset = Object.fromEntries(FILTER_KEYS.map((k) => [k, DEFAULTS[k]]));
  for (const key of ["actor", "dyad", "q"]) inputs[key].value = "";
  navigate(reset);
});
$("filters-toggle").addEventListener("click", () => {
  const open = !form.classList.contains("open");
  form.classList.toggle("open", open);
  $("filters-toggle").setAttribute("aria-expanded", String(open));
});

// the type multi-select
const typesPanel = $("types-panel");
function openTypes(open) {
  typesPanel.hidden = !open;
  $("types-button").setAttribute("aria-expanded", String(open));
}
$("types-button").addEventListener("click", () => openTypes(typesPanel.hidden));
document.addEventListener("click", (e) => {
  if (!typesPanel.hidden && !$("types").contains(e.target)) openTypes(false);
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && !typesPanel.hidden) {
    openTypes(false);
    $("types-button").focus();
  }
});
$("types-options").addEventListener("change", () => {
  const chosen = [...document.querySelectorAll("#types-options input:checked")].map((b) => b.value);
  navigate({ type: TYPE_NAMES.filter((t) => chosen.includes(t)).join(",") });
});
typesPanel.querySelector(".multi-actions").addEventListener("click", (e) => {
  const which = e.target.dataset.types;
  if (!which) return;
  const pick = { all: [], none: [], coop: TYPES.filter((t) => t.side === "coop"), conf: TYPES.filter((t) => t.side === "conf") }[which];
  navigate({ type: pick.map((t) => t.type || t).join(",") });
});

// active filters as removable chips (also the only place a map's "near" filter shows)
function renderChips() {
  const box = clear($("chips"));
  const label = {
    actor: "Actor", dyad: "Dyad", type: "Type", since: "Since", until: "Until", near: "Near",
    min_confidence: "Confidence ≥", q: "Text", flagged: "Flagged",
  };
  for (const key of FILTER_KEYS) {
    const value = state[key];
    if (!value || value === DEFAULTS[key]) continue;
    let shown = value;
    if (key === "flagged") shown = "included";
    if (key === "type") shown = value.split(",").join(", ");
    if (key === "since" || key === "until") shown = fmtDate(value);
    if (key === "min_confidence") shown = Number(value).toFixed(2);
    if (key === "near") {
      const [lat, lon, km] = value.split(",");
      shown = `${Number(lat).toFixed(2)}, ${Number(lon).toFixed(2)} · ${km} km`;
    }
    box.append(el("span.chip", { dataset: { key } },
      el("span.chip-label", label[key]), el("span.chip-value", shown),
      el("button.chip-x", { type: "button", title: `Remove the ${label[key].toLowerCase()} filter`,
        "aria-label": `Remove the ${label[key].toLowerCase()} filter`, onclick: () => navigate({ [key]: DEFAULTS[key] }) }, "×")));
  }
}

// ---- tabs ---------------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll(".tabs [role=tab]")];
for (const button of tabs) {
  button.addEventListener("click", () => navigate({ view: button.dataset.view }));
  button.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(button);
    const j = e.key === "ArrowRight" ? (i + 1) % tabs.length : e.key === "ArrowLeft" ? (i + tabs.length - 1) % tabs.length : -1;
    if (j >= 0) {
      tabs[j].focus();
      navigate({ view: tabs[j].dataset.view });
    }
  });
}

// ---- header: store figures and the token --------------------------------------------------------

async function loadStats() {
  const box = $("stats");
  try {
    const s = await get("/api/stats");
    typeCounts = s.by_type || {};
    buildTypeOptions();
    syncForm();
    clear(box).append(
      el("span.stat", el("b", fmtInt(s.events)), " events"),
      el("span.stat", el("b", fmtInt(s.documents)), " documents"),
      el("span.stat", el("b", fmtInt(s.multi_source_events)), " multi-source"),
      s.first_date ? el("span.stat.range", `${fmtDate(s.first_date)} – ${fmtDate(s.last_date)}`) : null,
    );
  } catch (err) {
    clear(box).append(el("span.stat.bad", `API unavailable: ${err.message}`));
  }
}

function renderToken() {
  const box = clear($("token-state"));
  if (getToken()) {
    box.append(el("span.token-on", { title: "A write token is kept in this browser for corrections" }, "✎ can correct"),
      el("button.link-button", { type: "button", onclick: () => setToken("") }, "forget token"));
  } else {
    box.append(el("span.token-off", { title: "Corrections ask for a write token (communique token)" }, "read-only"));
  }
}
window.addEventListener("tokenchange", renderToken);

// ---- start --------------------------------------------------------------------------------------

buildTypeOptions();
renderToken();
history.replaceState(null, "", writeSearch(state) + location.hash);
update();
loadStats();
