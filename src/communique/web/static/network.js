// The actor network: actors (or their countries) as nodes sized by events, dyads as edges weighted
// by events and coloured by mean intensity. Drag, zoom; a click on a node filters by that actor.
import { filterParams, get } from "./api.js";
import { clear, el, empty, failure, fmtInt, hideTip, intensityColor, loading, onWidthChange, plural, showTip } from "./util.js";

let controller = null;
let stopResize = null;
let simulation = null;
const DYADS = 200;

export async function render(section, state, ctx) {
  if (controller) controller.abort();
  controller = new AbortController();
  if (stopResize) stopResize();
  if (simulation) simulation.stop();
  clear(section).append(loading("Loading the network…"));
  let data;
  try {
    data = await get("/api/dyads", { ...filterParams(state), limit: DYADS }, controller.signal);
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(section).append(failure(err, () => render(section, ctx.getState(), ctx)));
    return;
  }
  const graph = buildGraph(data.dyads || [], state.nodes);
  const chart = el("div.chart.network-chart");
  const mode = el("div.segmented", { role: "group", "aria-label": "Nodes" },
    [["actors", "Actors"], ["countries", "Countries"]].map(([value, label]) => el("button", { type: "button",
      "aria-pressed": String(value === state.nodes), onclick: () => ctx.navigate({ nodes: value }) }, label)));
  const reset = el("button.button.small.ghost", { type: "button" }, "Reset view");
  clear(section).append(
    el("div.toolbar",
      el("div.summary", state.nodes === "countries" ? plural(graph.nodes.length, "country", "countries") : plural(graph.nodes.length, "actor"),
        " · ", plural(graph.links.length, "link"), " · ", plural(graph.events, "event"), " with both sides"),
      el("div.toolbar-right", mode, reset)),
    chart,
    el("div.legend.network-legend",
      el("span.key", "Mean intensity "),
      el("span.gradient-scale", el("span", "−10 conflictual"), el("span.gradient"), el("span", "cooperative +10")),
      el("span.key", el("span.key-node", { "aria-hidden": "true" }), "node size: events"),
      el("span.key", el("span.key-edge"), "edge width: events")),
    el("p.hint", "Drag a node to move it, scroll or pinch to zoom, click a node to filter every view by that actor."));
  if (!graph.nodes.length) {
    clear(chart).append(empty("No events with both a source and a target match these filters."));
    return;
  }
  const draw = () => drawGraph(chart, graph, state, ctx, reset);
  draw();
  stopResize = onWidthChange(chart, draw);
}

function buildGraph(dyads, mode) {
  const nodes = new Map();
  const links = new Map();
  let events = 0;
  // actors by name and country: the store may hold one actor twice (with different sectors)
  const keyOf = (side) => (mode === "countries" ? side.country || `name:${side.name}` : `${side.name || ""}|${side.country || ""}`);
  const node = (side) => {
    const key = keyOf(side);
    if (!nodes.has(key)) {
      nodes.set(key, {
        key, events: 0, weighted: 0,
        name: mode === "countries" ? side.country || side.name : side.name || side.country,
        country: side.country,
        filter: mode === "countries" ? side.country || side.name : side.name || side.country,
      });
    }
    return nodes.get(key);
  };
  for (const d of dyads) {
    const a = node(d.source);
    const b = node(d.target);
    events += d.events;
    const mean = d.mean_intensity ?? 0;
    a.events += d.events;
    a.weighted += mean * d.events;
    if (b !== a) {
      b.events += d.events;
      b.weighted += mean * d.events;
    } else continue; // within one country: counted on the node, no edge
    const [s, t] = a.key < b.key ? [a, b] : [b, a];
    const k = `${s.key}|${t.key}`;
    if (!links.has(k)) links.set(k, { key: k, source: s.key, target: t.key, events: 0, weighted: 0, directions: new Map() });
    const l = links.get(k);
    l.events += d.events;
    l.weighted += mean * d.events;
    const dir = `${a.name} → ${b.name}`;
    const prev = l.directions.get(dir) || { events: 0, weighted: 0 };
    l.directions.set(dir, { events: prev.events + d.events, weighted: prev.weighted + mean * d.events });
  }
  for (const n of nodes.values()) n.mean = n.events ? n.weighted / n.events : 0;
  for (const l of links.values()) l.mean = l.events ? l.weighted / l.events : 0;
  return { nodes: [...nodes.values()], links: [...links.values()], events };
}

function drawGraph(node, graph, state, ctx, resetButton) {
  if (simulation) simulation.stop();
  const width = Math.max(280, node.clientWidth || 800);
  // as tall as the window allows below the toolbar, with the legend still in view
  const top = node.getBoundingClientRect().top + window.scrollY;
  const height = width < 560 ? 460 : Math.round(Math.max(400, Math.min(640, window.innerHeight - top - 72)));
  const nodes = graph.nodes.map((n) => ({ ...n }));
  const links = graph.links.map((l) => ({ ...l }));
  const maxEvents = d3.max(nodes, (n) => n.events) || 1;
  const radius = d3.scaleSqrt().domain([1, maxEvents]).range([4, width < 560 ? 18 : 26]);
  const maxLink = d3.max(links, (l) => l.events) || 1;
  const stroke = d3.scaleLinear().domain([1, maxLink]).range([1.2, 8]);
  const active = (state.actor || "").toLowerCase();
  const isActive = (n) => active && [n.filter, n.name, n.country].some((v) => v && v.toLowerCase() === active);

  simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((d) => d.key).distance((l) => 40 + 60 / Math.sqrt(l.events)).strength(0.6))
    .force("charge", d3.forceManyBody().strength((d) => -70 - radius(d.events) * 9))
    .force("collide", d3.forceCollide((d) => radius(d.events) + 5))
    // pull harder along the longer side, so the drawing takes the chart's shape
    .force("x", d3.forceX(width / 2).strength(0.07 * Math.min(2, Math.max(1, (height / width) ** 2))))
    .force("y", d3.forceY(height / 2).strength(0.07 * Math.min(2, Math.max(1, width / height))))
    .stop();
  // settle before drawing: the first picture is already readable (and the same each time)
  for (let i = 0; i < 300; i += 1) simulation.tick();

  const svg = d3.create("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
    .attr("class", "network-svg").attr("role", "img").attr("aria-label", "Actor network");
  const world = svg.append("g").attr("class", "world");
  const link = world.append("g").attr("class", "links").selectAll("line").data(links).join("line")
    .attr("class", "link").attr("stroke", (l) => intensityColor(l.mean)).attr("stroke-width", (l) => stroke(l.events))
    .on("mousemove", (event, l) => showTip(event, linkTip(l)))
    .on("mouseleave", hideTip);
  const labelled = new Set([...nodes].sort((a, b) => b.events - a.events).slice(0, width < 560 ? 10 : 24).map((n) => n.key));
  const gnode = world.append("g").attr("class", "nodes").selectAll("g").data(nodes).join("g")
    .attr("class", (n) => `node${isActive(n) ? " active" : ""}`).attr("tabindex", 0).attr("role", "button")
    .attr("aria-label", (n) => `${n.name}: ${n.events} events; filter by this actor`)
    .attr("data-name", (n) => n.filter);
  gnode.append("circle").attr("r", (n) => radius(n.events)).attr("fill", (n) => intensityColor(n.mean));
  // labels above every node and edge
  const labelLayer = world.append("g").attr("class", "labels");
  const labels = labelLayer.selectAll("text").data(nodes).join("text")
    .attr("class", (n) => `label${labelled.has(n.key) || isActive(n) ? "" : " minor"}`).attr("data-key", (n) => n.key)
    .attr("dx", (n) => radius(n.events) + 3).attr("dy", 4).text((n) => n.name);
  gnode.on("mousemove", (event, n) => {
    showTip(event, nodeTip(n, state.nodes));
    labels.classed("hover", (m) => m === n);
  })
    .on("mouseleave", () => {
      hideTip();
      labels.classed("hover", false);
    })
    .on("click", (event, n) => {
      if (event.defaultPrevented) return; // the end of a drag
      hideTip();
      ctx.navigate({ actor: n.filter });
    })
    .on("keydown", (event, n) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        ctx.navigate({ actor: n.filter });
      }
    });

  const place = () => {
    link.attr("x1", (l) => l.source.x).attr("y1", (l) => l.source.y).attr("x2", (l) => l.target.x).attr("y2", (l) => l.target.y);
    gnode.attr("transform", (n) => `translate(${n.x},${n.y})`);
    labels.attr("x", (n) => n.x).attr("y", (n) => n.y);
  };
  place();
  simulation.on("tick", place);

  gnode.call(d3.drag()
    .on("start", (event, n) => {
      if (!event.active) simulation.alphaTarget(0.2).restart();
      n.fx = n.x;
      n.fy = n.y;
    })
    .on("drag", (event, n) => {
      n.fx = event.x;
      n.fy = event.y;
      hideTip();
    })
    .on("end", (event, n) => {
      if (!event.active) simulation.alphaTarget(0);
      n.fx = null;
      n.fy = null;
    }));

  const zoom = d3.zoom().scaleExtent([0.2, 8]).on("zoom", (event) => {
    const k = event.transform.k;
    world.attr("transform", event.transform);
    // labels keep a readable size whatever the zoom
    labels.style("font-size", `${11 / k}px`).style("stroke-width", `${3 / k}px`).attr("dx", (n) => radius(n.events) + 3 / k).attr("dy", 4 / k);
    svg.classed("zoomed-in", k > 1.6);
  });
  svg.call(zoom).on("dblclick.zoom", null);
  // start with every node in view
  const fit = () => {
    const pad = 24;
    const [x0, x1] = d3.extent(nodes, (n) => n.x);
    const [y0, y1] = d3.extent(nodes, (n) => n.y);
    const k = Math.min(1.6, (width - 2 * pad) / Math.max(1, x1 - x0 + 60), (height - 2 * pad) / Math.max(1, y1 - y0 + 40));
    return d3.zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-(x0 + x1) / 2 - 20, -(y0 + y1) / 2);
  };
  svg.call(zoom.transform, fit());
  resetButton.onclick = () => svg.transition().duration(300).call(zoom.transform, fit());
  clear(node).append(svg.node());
}

const signed = (v) => `${v > 0 ? "+" : ""}${v.toFixed(1)}`;

function nodeTip(n, mode) {
  return el("div",
    el("div.tip-title", n.name, n.country && n.country !== n.name ? el("span.muted", ` ${n.country}`) : null),
    el("div.tip-sub", `${n.events} events · mean intensity ${signed(n.mean)}`),
    el("div.tip-sub", `click to filter by this ${mode === "countries" ? "country" : "actor"}`));
}

function linkTip(l) {
  return el("div",
    el("div.tip-title", `${l.events} events · mean ${signed(l.mean)}`),
    [...l.directions.entries()].map(([dir, v]) => el("div.tip-row", dir, el("b", ` ${v.events}`), el("span.muted", ` (${signed(v.weighted / v.events)})`))));
}
