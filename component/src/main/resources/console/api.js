// The console's JSON API (/console/api/...). Errors carry the server's message.
const BASE = new URL('api/', document.baseURI);

export async function call(method, route, query = {}, body) {
  const url = new URL(route, BASE);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return data;
}

export function liveUrl(filter) {
  const url = new URL('live', BASE);
  url.searchParams.set('filter', filter);
  return url;
}

/** Shows an outcome next to a form: ok (green) or error (red). */
export function show(status, text, ok = true) {
  status.textContent = text;
  status.className = `status ${ok ? 'ok' : 'error'}`;
}
