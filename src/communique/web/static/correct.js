// The correction form (type, sides, place, date, "not an event", why) and the history of corrections.
// The write token is asked for once and kept in this browser's localStorage.
import { ApiError, get, getToken, patch, setToken } from "./api.js";
import { TYPE_NAMES, clear, el, fmtWhen, loading, typeColor } from "./util.js";

const FIELD_NAMES = { type: "Type", source: "Source", target: "Target", location: "Place", date: "Date", not_event: "Not an event" };

export function renderCorrection(panel, event, ctx) {
  const history = el("div.history");
  const opener = el("button.button.small", { type: "button", "aria-expanded": "false",
    onclick: () => {
      const open = formBox.hidden;
      formBox.hidden = !open;
      opener.setAttribute("aria-expanded", String(open));
      opener.textContent = open ? "Close the correction" : "Correct this event";
      if (open) {
        for (const note of history.querySelectorAll(".notice")) note.remove();
        clear(formBox).append(form(event, ctx, history, opener));
        formBox.querySelector("select, input").focus();
      }
    } }, "Correct this event");
  const formBox = el("div.correction-form-box", { hidden: true });
  clear(panel).append(
    el("div.correction-head", el("h4", "Correction"), opener,
      el("span.muted.hint", "The original coding is kept; each change is recorded with who, when and why.")),
    formBox, history);
}

function input(name, value, attrs = {}) {
  return el("input", { name, value: value ?? "", ...attrs });
}

function field(label, control, hint) {
  return el("label.field", el("span", label), control, hint ? el("small.muted", hint) : null);
}

function form(event, ctx, history, opener) {
  const src = event.source || {};
  const tgt = event.target || {};
  const loc = event.location || {};
  const status = el("div.form-status", { role: "status", "aria-live": "polite" });
  const typeSelect = el("select", { name: "type" },
    TYPE_NAMES.map((t) => el("option", { value: t, selected: t === event.type, style: { color: typeColor(t) } }, t)));
  const code = { pattern: "[A-Za-z]{3}", maxlength: "3", placeholder: "ISO3", class: "cc-input", autocapitalize: "characters" };
  const tokenField = getToken() ? null : field("Write token", input("token", "", { type: "password", required: true,
    autocomplete: "off", placeholder: "from `communique token`" }), "Asked once; kept in this browser.");
  const f = el("form.correction", { novalidate: true },
    el("div.form-grid",
      field("Type", typeSelect),
      field("Date", input("date", event.date, { placeholder: "YYYY-MM-DD", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" }), "YYYY-MM-DD, YYYY-MM or YYYY"),
      el("label.check.not-event", input("not_event", "", { type: "checkbox", checked: !!event.dismissed }),
        el("span", "Not an event", el("small.muted", " (dismiss it from queries and exports)"))),
      el("fieldset", el("legend", "Source"),
        el("div.row", input("source_name", src.name, { placeholder: "name", "aria-label": "Source name" }),
          input("source_country", src.country, { ...code, "aria-label": "Source country" }))),
      el("fieldset", el("legend", "Target"),
        el("div.row", input("target_name", tgt.name, { placeholder: "name", "aria-label": "Target name" }),
          input("target_country", tgt.country, { ...code, "aria-label": "Target country" }))),
      el("fieldset.place", el("legend", "Place"),
        el("div.row", input("place_name", loc.name, { placeholder: "name", "aria-label": "Place name" }),
          input("place_country", loc.country, { ...code, "aria-label": "Place country" })),
        el("div.row", input("lat", loc.lat, { type: "number", step: "any", min: "-90", max: "90", placeholder: "lat", "aria-label": "Latitude" }),
          input("lon", loc.lon, { type: "number", step: "any", min: "-180", max: "180", placeholder: "lon", "aria-label": "Longitude" })),
        el("small.muted", "name, country · latitude, longitude"))),
    el("div.form-grid.second",
      el("label.field.why", el("span", "Why ", el("small.muted", "(required)")),
        el("textarea", { name: "why", rows: 2, required: true, maxlength: "2000", placeholder: "e.g. the sentence is about the 2019 talks, not new ones" })),
      field("Who", input("who", "", { placeholder: "defaults to the token's name", maxlength: "200" })),
      tokenField),
    el("div.form-actions", el("button.button.primary", { type: "submit" }, "Save correction"),
      el("button.button.ghost", { type: "button", onclick: () => opener.click() }, "Cancel"), status));

  f.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = (name) => (f.elements[name] ? f.elements[name].value.trim() : "");
    const changes = {};
    if (v("type") !== event.type) changes.type = v("type");
    for (const [side, orig] of [["source", event.source], ["target", event.target]]) {
      const name = v(`${side}_name`);
      const country = v(`${side}_country`).toUpperCase();
      if (name === ((orig && orig.name) || "") && country === ((orig && orig.country) || "")) continue;
      changes[side] = name || country ? { name: name || null, country: country || null, sectors: (orig && orig.sectors) || [] } : null;
    }
    const place = { name: v("place_name"), country: v("place_country").toUpperCase(), lat: v("lat"), lon: v("lon") };
    const same = (a, b) => String(a ?? "") === String(b ?? "") || (a !== "" && b !== null && b !== undefined && Number(a) === Number(b));
    if (!(same(place.name, loc.name) && same(place.country, loc.country) && same(place.lat, loc.lat) && same(place.lon, loc.lon))) {
      if (!place.name && !place.lat && !place.lon) changes.location = null;
      else if (!place.name || place.lat === "" || place.lon === "") return say(status, "A place needs a name, a latitude and a longitude.", "error");
      else changes.location = { name: place.name, country: place.country || null, lat: Number(place.lat), lon: Number(place.lon) };
    }
    if (v("date") !== (event.date || "")) changes.date = v("date") || null;
    const notEvent = f.elements.not_event.checked;
    if (notEvent !== !!event.dismissed) changes.not_event = notEvent;
    if (!Object.keys(changes).length) return say(status, "Nothing changed: edit a field or tick “Not an event”.", "error");
    const why = v("why");
    if (!why) {
      f.elements.why.focus();
      return say(status, "Say why: the reason is kept with the change.", "error");
    }
    const token = getToken() || v("token");
    if (!token) return say(status, "A write token is needed to correct events.", "error");
    const body = { ...changes, why };
    if (v("who")) body.who = v("who");
    const submit = f.querySelector("button[type=submit]");
    submit.disabled = true;
    say(status, "Saving…", "busy");
    try {
      const updated = await patch(`/api/events/${encodeURIComponent(event.event_id)}`, body, token);
      setToken(token);
      ctx.saved(updated);
      say(status, "", "");
      opener.click();
      await renderHistory(history, event.event_id, { justSaved: true });
    } catch (err) {
      submit.disabled = false;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setToken("");
        if (!f.elements.token) {
          f.querySelector(".form-grid.second").append(field("Write token", input("token", "", { type: "password", required: true, autocomplete: "off" }), "Asked once; kept in this browser."));
        }
        say(status, `The token was refused: ${err.message}`, "error");
      } else say(status, `Not saved: ${err.message}`, "error");
    }
  });
  return f;
}

function say(node, text, kind) {
  node.className = `form-status ${kind || ""}`;
  node.textContent = text;
  if (kind === "error") node.setAttribute("role", "alert");
  else node.setAttribute("role", "status");
}

// ---- history -----------------------------------------------------------------------------------

function show(field, value) {
  if (value === null || value === undefined || value === "") return el("span.muted", "none");
  if (field === "not_event") return value ? "yes" : "no";
  if (field === "source" || field === "target") {
    const name = value.name || value.country;
    return value.country && value.country !== name ? `${name} (${value.country})` : name;
  }
  if (field === "location") {
    const where = value.country ? `${value.name}, ${value.country}` : value.name;
    return `${where} (${Number(value.lat).toFixed(3)}, ${Number(value.lon).toFixed(3)})`;
  }
  return String(value);
}

export async function renderHistory(node, eventId, { justSaved = false } = {}) {
  clear(node).append(loading("Loading the history…"));
  let data;
  try {
    data = await get(`/api/events/${encodeURIComponent(eventId)}/history`);
  } catch (err) {
    clear(node).append(el("div.state.error", { role: "alert" }, `Could not load the history: ${err.message}`));
    return;
  }
  const items = data.corrections || [];
  clear(node);
  if (justSaved) node.append(el("div.notice.ok", { role: "status" }, "Correction saved. The event now shows the corrected values."));
  if (!items.length) return;
  const list = el("ol.history-list", { "aria-label": "Corrections, oldest first" });
  for (const c of items) {
    const changes = el("ul.changes");
    for (const [key, after] of Object.entries(c.changes || {})) {
      changes.append(el("li",
        el("span.field-name", FIELD_NAMES[key] || key), " ",
        el("span.before", show(key, (c.before || {})[key])), el("span.to", " → "),
        el("span.after", show(key, after))));
    }
    list.append(el("li.correction-item",
      el("div.correction-meta", el("b.who", c.who || "someone"), el("span.muted", fmtWhen(c.at))),
      el("div.why", "“", c.why, "”"), changes));
  }
  node.append(el("h4", `History (${items.length})`), list);
}
