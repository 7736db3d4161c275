// Small shared helpers: DOM building, formatting, PLOVER type colours, the intensity scale, tooltips.

// PLOVER types from the most cooperative to the most conflictual (typical intensity), with a colour each.
export const TYPES = [
  { type: "AID", side: "coop", color: "#059669" },
  { type: "COOPERATE", side: "coop", color: "#0d9488" },
  { type: "RETREAT", side: "coop", color: "#65a30d" },
  { type: "AGREE", side: "coop", color: "#1d4ed8" },
  { type: "CONCEDE", side: "coop", color: "#0891b2" },
  { type: "SUPPORT", side: "coop", color: "#4f46e5" },
  { type: "CONSULT", side: "coop", color: "#60a5fa" },
  { type: "REQUEST", side: "conf", color: "#94a3b8" },
  { type: "ACCUSE", side: "conf", color: "#f59e0b" },
  { type: "REJECT", side: "conf", color: "#a16207" },
  { type: "THREATEN", side: "conf", color: "#f97316" },
  { type: "SANCTION", side: "conf", color: "#9333ea" },
  { type: "COERCE", side: "conf", color: "#db2777" },
  { type: "PROTEST", side: "conf", color: "#e11d48" },
  { type: "MOBILIZE", side: "conf", color: "#78716c" },
  { type: "ASSAULT", side: "conf", color: "#991b1b" },
];
export const TYPE_NAMES = TYPES.map((t) => t.type);
const TYPE_COLOR = Object.fromEntries(TYPES.map((t) => [t.type, t.color]));
export const typeColor = (type) => TYPE_COLOR[type] || "#64748b";

// Intensity (PLOVER/Goldstein-like, -10 conflictual .. +10 cooperative) on a diverging scale:
// red for conflict, blue for cooperation, near-white around zero.
export function intensityColor(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "#cbd5e1";
  const t = Math.max(0, Math.min(1, (Number(value) + 10) / 20));
  return d3.interpolateRdBu(t);
}

// Readable text on a coloured background.
export function textOn(color) {
  const c = d3.color(color);
  if (!c) return "#111827";
  const { r, g, b } = c.rgb();
  const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return lum > 0.6 ? "#111827" : "#ffffff";
}

// el("div.card#x", {title: "…", onclick: fn, dataset: {…}}, child, "text", …)
export function el(spec, attrs, ...children) {
  const [, tag = "div", id, cls] = spec.match(/^([a-z0-9-]+)?(?:#([\w-]+))?((?:\.[\w-]+)*)$/i) || [];
  const node = document.createElement(tag || "div");
  if (id) node.id = id;
  if (cls) node.className = cls.slice(1).replaceAll(".", " ");
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "class") node.className += (node.className ? " " : "") + value;
    else if (key === "style" && typeof value === "object") Object.assign(node.style, value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const fmtInt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en"));
export const plural = (n, one, many = `${one}s`) => `${fmtInt(n)} ${Number(n) === 1 ? one : many}`;
export const fmtConf = (c) => (c === null || c === undefined ? "–" : Number(c).toFixed(2));

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// "2025-11-19" → "19 Nov 2025"; "2025-11" → "Nov 2025"; "2025" → "2025"
export function fmtDate(value) {
  if (!value) return "–";
  const m = String(value).match(/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/);
  if (!m) return String(value);
  const [, y, mo, d] = m;
  if (d) return `${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}`;
  if (mo) return `${MONTHS[Number(mo) - 1]} ${y}`;
  return y;
}

export function fmtWhen(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function actorLabel(actor) {
  if (!actor) return null;
  const name = actor.name || actor.country || "?";
  return actor.country && actor.country !== name ? `${name} (${actor.country})` : name;
}

export function placeLabel(loc) {
  if (!loc) return null;
  return loc.country && loc.country !== loc.name ? `${loc.name}, ${loc.country}` : loc.name;
}

// A coloured type badge; the colour follows the event's intensity (red conflictual ↔ blue cooperative).
export function typeBadge(type, intensity) {
  const bg = intensityColor(intensity);
  const title = intensity === null || intensity === undefined ? type : `${type}: intensity ${intensity > 0 ? "+" : ""}${intensity}`;
  return el("span.type-badge", { style: { background: bg, color: textOn(bg) }, title }, type);
}

// States for a view or panel: loading, empty, error.
export function loading(text = "Loading…") {
  return el("div.state.loading", { role: "status" }, el("span.spinner", { "aria-hidden": "true" }), text);
}
export function empty(text, action) {
  return el("div.state.empty", el("div.state-icon", { "aria-hidden": "true" }, "∅"), el("p", text), action || null);
}
export function failure(error, retry) {
  return el("div.state.error", { role: "alert" },
    el("strong", "Could not load: "), el("span.msg", error && error.message ? error.message : String(error)),
    retry ? el("button.button.small", { type: "button", onclick: retry }, "Retry") : null);
}

// One tooltip for the charts.
const tip = () => document.getElementById("tooltip");
export function showTip(event, content) {
  const t = tip();
  clear(t);
  append(t, [content]);
  t.hidden = false;
  const pad = 12;
  const { innerWidth: w, innerHeight: h } = window;
  const rect = t.getBoundingClientRect();
  let x = event.clientX + pad;
  let y = event.clientY + pad;
  if (x + rect.width > w - 4) x = Math.max(4, event.clientX - rect.width - pad);
  if (y + rect.height > h - 4) y = Math.max(4, event.clientY - rect.height - pad);
  t.style.left = `${x}px`;
  t.style.top = `${y}px`;
}
export function hideTip() {
  tip().hidden = true;
}

export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

// Re-render a chart when its container's width changes.
export function onWidthChange(node, fn) {
  let last = node.clientWidth;
  const ro = new ResizeObserver(() => {
    const w = node.clientWidth;
    if (w && Math.abs(w - last) > 4) {
      last = w;
      fn(w);
    }
  });
  ro.observe(node);
  return () => ro.disconnect();
}
