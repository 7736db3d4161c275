// Events per day/week/month/year by type: cooperative events (intensity > 0) stacked above the axis,
// conflictual ones (< 0) below. Clicking a period filters to it.
import { filterParams, get } from "./api.js";
import { TYPES, clear, el, empty, failure, fmtInt, hideTip, loading, onWidthChange, showTip, typeColor } from "./util.js";

let controller = null;
let stopResize = null;
const MAX_CONTINUOUS = 400; // more periods than this between the first and last: show only those with events

export async function render(section, state, ctx) {
  if (controller) controller.abort();
  controller = new AbortController();
  if (stopResize) stopResize();
  clear(section).append(loading("Loading the timeline…"));
  let data;
  try {
    data = await get("/api/timeline", { ...filterParams(state), bucket: state.bucket }, controller.signal);
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(section).append(failure(err, () => render(section, ctx.getState(), ctx)));
    return;
  }
  const rows = data.periods || [];
  const coop = rows.reduce((s, r) => s + r.cooperative, 0);
  const conf = rows.reduce((s, r) => s + r.conflictual, 0);
  const total = rows.reduce((s, r) => s + r.events, 0);
  const buckets = el("div.segmented", { role: "group", "aria-label": "Period" },
    ["day", "week", "month", "year"].map((b) => el("button", { type: "button", "aria-pressed": String(b === state.bucket),
      onclick: () => ctx.navigate({ bucket: b }) }, b[0].toUpperCase() + b.slice(1))));
  const chart = el("div.chart.timeline-chart");
  const present = new Set(rows.map((r) => r.type));
  const neutral = total - coop - conf;
  const legend = el("div.legend.types-legend",
    TYPES.filter((t) => present.has(t.type)).map((t) => el("span.key", el("span.swatch", { style: { background: t.color } }), t.type)),
    neutral > 0 ? el("span.key", el("span.swatch.neutral"), "neutral (intensity 0)") : null);
  clear(section).append(
    el("div.toolbar",
      el("div.summary", el("b", fmtInt(total)), " dated events · ",
        el("span.coop-text", `${fmtInt(coop)} cooperative`), " · ", el("span.conf-text", `${fmtInt(conf)} conflictual`)),
      el("div.toolbar-right", buckets)),
    chart, legend,
    el("p.hint", "Cooperative events (intensity above 0) over the line, conflictual ones below. Click a bar to list that period's events; events dated less precisely than the period are left out."));
  if (!rows.length) {
    clear(chart).append(empty("No dated events match these filters."));
    return;
  }
  const draw = () => drawChart(chart, rows, state, ctx);
  draw();
  stopResize = onWidthChange(chart, draw);
}

// ---- periods ------------------------------------------------------------------------------------

function parseDay(s) {
  const [y, m = 1, d = 1] = s.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
const iso = (d) => d.toISOString().slice(0, 10);

function nextPeriod(period, bucket) {
  const d = parseDay(period);
  if (bucket === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (bucket === "week") d.setUTCDate(d.getUTCDate() + 7);
  else if (bucket === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return bucket === "month" ? iso(d).slice(0, 7) : bucket === "year" ? iso(d).slice(0, 4) : iso(d);
}

function periodRange(period, bucket) {
  if (bucket === "day") return [period, period];
  if (bucket === "week") {
    const d = parseDay(period);
    d.setUTCDate(d.getUTCDate() + 6);
    return [period, iso(d)];
  }
  if (bucket === "month") {
    const d = parseDay(period);
    d.setUTCMonth(d.getUTCMonth() + 1);
    d.setUTCDate(0);
    return [`${period}-01`, iso(d)];
  }
  return [`${period}-01-01`, `${period}-12-31`];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function periodLabel(period, bucket, short = false) {
  if (bucket === "year") return period;
  const [y, m, d] = period.split("-");
  if (bucket === "month") return short ? `${MONTHS[m - 1]} ’${y.slice(2)}` : `${MONTHS[m - 1]} ${y}`;
  const day = `${Number(d)} ${MONTHS[m - 1]}`;
  if (bucket === "week") return short ? `${day} ’${y.slice(2)}` : `week of ${day} ${y}`;
  return short ? `${day} ’${y.slice(2)}` : `${day} ${y}`;
}

function periodsOf(rows, bucket) {
  const present = [...new Set(rows.map((r) => r.period))].sort();
  let all = [present[0]];
  while (all.length <= MAX_CONTINUOUS && all[all.length - 1] < present[present.length - 1]) {
    all.push(nextPeriod(all[all.length - 1], bucket));
  }
  const compressed = all.length > MAX_CONTINUOUS;
  return { periods: compressed ? present : all, compressed };
}

// ---- the chart ----------------------------------------------------------------------------------

function drawChart(node, rows, state, ctx) {
  const bucket = state.bucket;
  const { periods, compressed } = periodsOf(rows, bucket);
  const byPeriod = new Map(periods.map((p) => [p, { period: p, up: [], down: [], neutral: 0, events: 0 }]));
  const order = new Map(TYPES.map((t, i) => [t.type, i]));
  const sorted = [...rows].sort((a, b) => (order.get(a.type) ?? 99) - (order.get(b.type) ?? 99));
  for (const r of sorted) {
    const p = byPeriod.get(r.period);
    if (!p) continue;
    if (r.cooperative) p.up.push({ type: r.type, n: r.cooperative });
    if (r.conflictual) p.down.push({ type: r.type, n: r.conflictual });
    p.neutral += r.events - r.cooperative - r.conflictual;
    p.events += r.events;
  }
  const data = [...byPeriod.values()];
  const maxUp = d3.max(data, (p) => d3.sum(p.up, (s) => s.n) + p.neutral) || 0;
  const maxDown = d3.max(data, (p) => d3.sum(p.down, (s) => s.n)) || 0;

  const width = Math.max(280, node.clientWidth || 800);
  const narrow = width < 560;
  const height = narrow ? 280 : 360;
  const margin = { top: 18, right: 30, bottom: 46, left: 44 };
  const x = d3.scaleBand().domain(periods).range([margin.left, width - margin.right]).paddingInner(periods.length > 60 ? 0.05 : 0.2).paddingOuter(0.1);
  const top = Math.max(1, maxUp);
  const bottom = Math.max(maxDown, maxUp > 0 ? 0 : 1);
  const y = d3.scaleLinear().domain([-bottom, top]).nice().range([height - margin.bottom, margin.top]);

  const svg = d3.create("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
    .attr("role", "img").attr("aria-label", `Events per ${bucket}: cooperative above, conflictual below`).attr("class", "timeline-svg");

  // y axis with absolute counts and the two sides named
  const yAxis = d3.axisLeft(y).ticks(narrow ? 4 : 6).tickFormat((v) => d3.format("~d")(Math.abs(v))).tickSize(-(width - margin.left - margin.right));
  svg.append("g").attr("class", "axis y-axis").attr("transform", `translate(${margin.left},0)`).call(yAxis)
    .call((g) => g.select(".domain").remove());
  svg.append("text").attr("class", "side-label coop-text").attr("x", margin.left + 6).attr("y", margin.top + 4).text("▲ cooperative");
  if (maxDown > 0) svg.append("text").attr("class", "side-label conf-text").attr("x", margin.left + 6).attr("y", height - margin.bottom - 6).text("▼ conflictual");

  const bars = svg.append("g").attr("class", "bars");
  const bw = x.bandwidth();
  for (const p of data) {
    const g = bars.append("g").attr("class", "period").attr("data-period", p.period);
    let acc = 0;
    for (const s of p.up) {
      g.append("rect").attr("class", "seg").attr("x", x(p.period)).attr("width", Math.max(1, bw))
        .attr("y", y(acc + s.n)).attr("height", Math.max(0, y(acc) - y(acc + s.n))).attr("fill", typeColor(s.type));
      acc += s.n;
    }
    if (p.neutral > 0) {
      g.append("rect").attr("class", "seg neutral").attr("x", x(p.period)).attr("width", Math.max(1, bw))
        .attr("y", y(acc + p.neutral)).attr("height", y(acc) - y(acc + p.neutral));
    }
    acc = 0;
    for (const s of p.down) {
      g.append("rect").attr("class", "seg").attr("x", x(p.period)).attr("width", Math.max(1, bw))
        .attr("y", y(-acc)).attr("height", Math.max(0, y(-acc - s.n) - y(-acc))).attr("fill", typeColor(s.type));
      acc += s.n;
    }
    if (!p.events) continue;
    // a full-height target for hover and click
    const step = x.step();
    g.append("rect").attr("class", "hit").attr("x", x(p.period) - (step - bw) / 2).attr("width", step)
      .attr("y", margin.top).attr("height", height - margin.top - margin.bottom)
      .on("mousemove", (event) => showTip(event, tipFor(p, bucket)))
      .on("mouseleave", hideTip)
      .on("click", () => {
        hideTip();
        const [since, until] = periodRange(p.period, bucket);
        ctx.navigate({ since, until, view: "events" });
      });
  }
  svg.append("line").attr("class", "zero").attr("x1", margin.left).attr("x2", width - margin.right).attr("y1", y(0)).attr("y2", y(0));

  // x axis: as many labels as fit
  const every = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor((width - margin.left - margin.right) / (narrow ? 64 : 78)))));
  const xAxis = d3.axisBottom(x).tickValues(periods.filter((_, i) => i % every === 0)).tickFormat((p) => periodLabel(p, bucket, true)).tickSizeOuter(0);
  svg.append("g").attr("class", "axis x-axis").attr("transform", `translate(0,${height - margin.bottom})`).call(xAxis);
  if (compressed) {
    svg.append("text").attr("class", "note").attr("x", width - margin.right).attr("y", height - 6).attr("text-anchor", "end")
      .text("periods without events are left out");
  }
  clear(node).append(svg.node());
}

function tipFor(p, bucket) {
  const line = (s, side) => el("div.tip-row", el("span.swatch", { style: { background: typeColor(s.type) } }), `${s.type}`, el("b", ` ${s.n}`), el("span.muted", ` ${side}`));
  return el("div",
    el("div.tip-title", periodLabel(p.period, bucket)),
    el("div.tip-sub", `${p.events} events · click to see them`),
    p.up.map((s) => line(s, "coop.")), p.neutral ? el("div.tip-row", el("span.swatch.neutral"), "neutral", el("b", ` ${p.neutral}`)) : null,
    p.down.map((s) => line(s, "confl.")));
}
