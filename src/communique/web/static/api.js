// The REST API: GET with the current filters, PATCH with the analyst's token; errors carry the API's message.

const TOKEN_KEY = "communique.token";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export function getToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}
export function setToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the token lives for this page only */
  }
  window.dispatchEvent(new CustomEvent("tokenchange"));
}

export function url(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    qs.set(key, value === true ? "true" : String(value));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

async function request(method, path, { params, body, token, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url(path, params), {
      method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("the server did not answer (is `communique serve` running?)", 0);
  }
  let data = null;
  const text = await response.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data && (data.error || data.detail)) || `${response.status} ${response.statusText}`;
    throw new ApiError(typeof message === "string" ? message : JSON.stringify(message), response.status);
  }
  return data;
}

export const get = (path, params, signal) => request("GET", path, { params, signal });
export const patch = (path, body, token) => request("PATCH", path, { body, token });

// The API's filter parameters from the dashboard's state.
export function filterParams(state) {
  return {
    actor: state.actor, dyad: state.dyad, type: state.type, since: state.since, until: state.until,
    near: state.near, min_confidence: state.min_confidence > 0 ? state.min_confidence : null,
    q: state.q, flagged: state.flagged,
  };
}
