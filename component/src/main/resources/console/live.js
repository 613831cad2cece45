// The live message table: an SSE stream of the messages matching a filter, the last MAX_ROWS kept.
import { liveUrl } from './api.js';
import { render, cell } from './format.js';

const MAX_ROWS = 500;

export function initLive() {
  const form = document.getElementById('live-form');
  const rows = document.getElementById('live-rows');
  const status = document.getElementById('live-status');
  const pauseButton = document.getElementById('live-pause');
  const format = document.getElementById('live-format');
  let source = null;
  let watching = '';
  let paused = false;
  let held = [];       // messages that arrived while paused, bounded like the table
  let dropped = 0;     // messages the server dropped because this page read too slowly

  const describe = () => {
    const state = paused ? `paused (${held.length} waiting)` : `live on ${watching}`;
    status.textContent = `${state}; ${rows.rows.length} shown` +
      (dropped ? `; ${dropped} dropped by the server (the page was too slow)` : '');
  };

  const add = message => {
    const row = rows.insertRow(0);
    row.dataset.payload = message.payload;
    cell(row, new Date(message.time).toLocaleTimeString());
    cell(row, message.topic);
    cell(row, render(message.payload, format.value), 'payload');
    cell(row, message.qos);
    cell(row, message.retain ? 'yes' : '');
    while (rows.rows.length > MAX_ROWS) rows.deleteRow(-1);
  };

  const watch = filter => {
    if (source) source.close();
    watching = filter;
    source = new EventSource(liveUrl(filter));
    source.addEventListener('messages', event => {
      const batch = JSON.parse(event.data);
      dropped += batch.dropped;
      for (const message of batch.messages) {
        if (paused) {
          held.push(message);
          if (held.length > MAX_ROWS) held.shift();
        } else {
          add(message);
        }
      }
      describe();
    });
    source.addEventListener('refused', event => {
      source.close();
      status.textContent = JSON.parse(event.data).error;
      status.className = 'status error';
    });
    source.onopen = () => { status.className = 'status'; describe(); };
    source.onerror = () => { status.textContent = 'disconnected; retrying'; };
  };

  form.addEventListener('submit', event => {
    event.preventDefault();
    watch(form.filter.value);
  });
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) { held.forEach(add); held = []; }
    describe();
  });
  document.getElementById('live-clear').addEventListener('click', () => {
    rows.replaceChildren(); held = []; dropped = 0; describe();
  });
  format.addEventListener('change', () => {
    for (const row of rows.rows) row.cells[2].textContent = render(row.dataset.payload, format.value);
  });
  watch(form.filter.value);
}
