// The map: an offline world basemap (world-atlas TopoJSON) and the events' places as circles sized by
// events; a click on a place filters to events within 50 km of it.
import { filterParams, get } from "./api.js";
import { clear, el, empty, failure, fmtInt, hideTip, loading, onWidthChange, plural, showTip } from "./util.js";

let controller = null;
let stopResize = null;
let basemap = null; // the countries as GeoJSON, loaded once
const NEAR_KM = 50;

async function loadBasemap(signal) {
  if (!basemap) {
    const response = await fetch("/static/vendor/world-atlas/countries-110m.json", { signal });
    if (!response.ok) throw new Error(`the basemap did not load (${response.status})`);
    const world = await response.json();
    basemap = topojson.feature(world, world.objects.countries);
    basemap.borders = topojson.mesh(world, world.objects.countries, (a, b) => a !== b);
  }
  return basemap;
}

export async function render(section, state, ctx) {
  if (controller) controller.abort();
  controller = new AbortController();
  if (stopResize) stopResize();
  clear(section).append(loading("Loading the map…"));
  let places;
  let countries;
  try {
    [countries, places] = await Promise.all([
      loadBasemap(controller.signal),
      get("/api/places", filterParams(state), controller.signal).then((d) => d.places || []),
    ]);
  } catch (err) {
    if (err.name === "AbortError") return;
    clear(section).append(failure(err, () => render(section, ctx.getState(), ctx)));
    return;
  }
  const located = places.filter((p) => p.lat !== null && p.lon !== null);
  const events = d3.sum(located, (p) => p.events);
  const deaths = d3.sum(located, (p) => p.fatalities || 0);
  const chart = el("div.chart.map-chart");
  const reset = el("button.button.small.ghost", { type: "button" }, "Reset view");
  const list = topPlaces(located, ctx);
  clear(section).append(
    el("div.toolbar",
      el("div.summary", plural(located.length, "place"), " · ", plural(events, "event"),
        deaths ? [" · ", el("b.deaths", fmtInt(deaths)), deaths === 1 ? " death" : " deaths"] : null),
      el("div.toolbar-right", reset)),
    el("div.map-layout", chart, list),
    el("div.legend.map-legend",
      el("span.key", el("span.dot.size-s"), el("span.dot.size-l"), "circle area: events"),
      el("span.key", el("span.dot.deadly"), "with deaths"),
      el("span.key", el("span.dot.country-level"), "country only (no finer place)")),
    el("p.hint", `Scroll or pinch to zoom, drag to pan; click a place to show events within ${NEAR_KM} km of it.`));
  const draw = () => drawMap(chart, countries, located, state, ctx, reset);
  draw();
  stopResize = onWidthChange(chart, draw);
  if (!located.length) {
    chart.append(el("div.map-empty", empty("No events with a place match these filters.")));
  }
}

function topPlaces(places, ctx) {
  const top = [...places].sort((a, b) => b.events - a.events).slice(0, 12);
  return el("aside.top-places", el("h4", "Top places"),
    top.length ? el("ol", top.map((p) => el("li", el("button.link-button", { type: "button",
      title: `Events within ${NEAR_KM} km of ${p.name}`,
      onclick: () => ctx.navigate({ near: nearOf(p) }) }, p.name), el("span.muted", ` ${p.country || ""}`),
      el("span.n", fmtInt(p.events))))) : el("p.muted", "none"));
}

const nearOf = (p) => `${Number(p.lat).toFixed(3)},${Number(p.lon).toFixed(3)},${NEAR_KM}`;

function drawMap(node, countries, places, state, ctx, resetButton) {
  const width = Math.max(280, node.clientWidth || 800);
  const projection = d3.geoNaturalEarth1();
  const sphere = { type: "Sphere" };
  // fit the inhabited world (no Antarctica) to the width
  const land = { type: "FeatureCollection", features: countries.features.filter((f) => f.properties.name !== "Antarctica") };
  projection.fitWidth(width - 2, land);
  const [[, y0], [, y1]] = d3.geoPath(projection).bounds(land);
  const height = Math.ceil(y1 - y0) + 12;
  projection.translate([projection.translate()[0] + 1, projection.translate()[1] - y0 + 6]);
  const path = d3.geoPath(projection);
  const maxEvents = d3.max(places, (p) => p.events) || 1;
  const radius = d3.scaleSqrt().domain([0, maxEvents]).range([0, width < 560 ? 10 : 24]);

  const svg = d3.create("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
    .attr("class", "map-svg").attr("role", "img").attr("aria-label", "Map of the events' places");
  const world = svg.append("g").attr("class", "world");
  world.append("path").attr("class", "sphere").attr("d", path(sphere));
  world.append("path").attr("class", "graticule").attr("d", path(d3.geoGraticule10()));
  world.append("g").attr("class", "countries").selectAll("path").data(countries.features).join("path")
    .attr("class", "country").attr("d", path).append("title").text((f) => f.properties.name);
  world.append("path").attr("class", "borders").attr("d", path(countries.borders));

  let start = d3.zoomIdentity;
  if (state.near) {
    const [lat, lon, km] = state.near.split(",").map(Number);
    if ([lat, lon, km].every(Number.isFinite)) {
      world.append("path").attr("class", "near-ring").attr("d", path(d3.geoCircle().center([lon, lat]).radius(km / 111.2)()));
      const [cx, cy] = projection([lon, lat]);
      world.append("circle").attr("class", "near-center").attr("cx", cx).attr("cy", cy).attr("r", 3);
      // open zoomed in on the place the filter is about
      const k = 4;
      start = d3.zoomIdentity.translate(width / 2 - cx * k, height / 2 - cy * k).scale(k);
    }
  }

  const ordered = [...places].sort((a, b) => b.events - a.events); // small circles on top
  const points = world.append("g").attr("class", "points").selectAll("circle").data(ordered).join("circle")
    .attr("class", (p) => `point${p.fatalities ? " deadly" : ""}${p.precision === "country" ? " country-level" : ""}`)
    .attr("data-name", (p) => p.name)
    .attr("cx", (p) => projection([p.lon, p.lat])[0]).attr("cy", (p) => projection([p.lon, p.lat])[1])
    .attr("r", (p) => Math.max(3, radius(p.events)))
    .attr("tabindex", 0).attr("role", "button")
    .attr("aria-label", (p) => `${p.name}: ${p.events} events; show events within ${NEAR_KM} km`)
    .on("mousemove", (event, p) => showTip(event, placeTip(p)))
    .on("mouseleave", hideTip)
    .on("click", (event, p) => {
      hideTip();
      ctx.navigate({ near: nearOf(p) });
    })
    .on("keydown", (event, p) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        ctx.navigate({ near: nearOf(p) });
      }
    });

  const zoom = d3.zoom().scaleExtent([1, 12]).translateExtent([[0, 0], [width, height]]).on("zoom", (event) => {
    const k = event.transform.k;
    world.attr("transform", event.transform);
    points.attr("r", (p) => Math.max(3, radius(p.events)) / Math.sqrt(k)).attr("stroke-width", 1 / k);
    world.selectAll(".borders, .country").attr("stroke-width", 0.6 / k);
  });
  svg.call(zoom).on("dblclick.zoom", null);
  svg.call(zoom.transform, start);
  resetButton.onclick = () => svg.transition().duration(300).call(zoom.transform, d3.zoomIdentity);
  clear(node).append(svg.node());
}

function placeTip(p) {
  return el("div",
    el("div.tip-title", p.name, p.country ? el("span.muted", ` ${p.country}`) : null),
    el("div.tip-sub", `${fmtInt(p.events)} events${p.fatalities ? ` · ${fmtInt(p.fatalities)} deaths` : ""}`),
    el("div.tip-sub.muted", `${Number(p.lat).toFixed(2)}, ${Number(p.lon).toFixed(2)} · ${p.precision}`),
    el("div.tip-sub", `click: events within ${NEAR_KM} km`));
}
