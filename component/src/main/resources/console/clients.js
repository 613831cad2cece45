// Sessions: connected MQTT clients, offline persistent sessions and in-process subscribers.
import { call } from './api.js';
import { cell } from './format.js';
import { pager } from './pager.js';

export function initClients() {
  const form = document.getElementById('clients-form');
  const body = document.querySelector('#clients tbody');
  const fill = items => {
    body.replaceChildren();
    for (const s of items) {
      const row = body.insertRow();
      cell(row, s.inProcess ? `${s.clientId} (in-process)` : s.clientId);
      cell(row, s.connected ? 'yes' : 'offline');
      cell(row, s.username);
      cell(row, s.protocolVersion === 5 ? '5.0' : s.protocolVersion === 4 ? '3.1.1' : '');
      cell(row, s.remoteAddress);
      cell(row, s.persistent ? 'yes' : '');
      cell(row, s.subscriptions.join('\n'), 'payload');
      cell(row, s.queued < 0 ? '?' : s.queued);
      cell(row, s.inflight < 0 ? '?' : s.inflight);
    }
  };
  return pager(form, after => call('GET', 'sessions', { after }), fill);
}
