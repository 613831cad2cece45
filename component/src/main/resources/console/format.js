// How a payload (base64 from the server) is shown: text, pretty JSON or hex.
export function bytesOf(base64) {
  const raw = atob(base64 || '');
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function render(base64, mode) {
  const bytes = bytesOf(base64);
  if (mode === 'hex') {
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(' ');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (mode === 'json') {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
  }
  return text;
}

export function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
