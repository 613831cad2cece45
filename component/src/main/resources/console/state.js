// Dapr state keys: a page at a time, edited with Dapr's ETag rules (a stale ETag is a conflict).
import { call, show } from './api.js';
import { render, cell, time } from './format.js';
import { pager } from './pager.js';
import { button } from './retained.js';

export function initState() {
  const form = document.getElementById('state-form');
  const body = document.querySelector('#state tbody');
  const editor = document.getElementById('state-edit');
  const editStatus = editor.querySelector('.status');
  const store = () => form.store.value;

  const fill = items => {
    body.replaceChildren();
    for (const entry of items) {
      const row = body.insertRow();
      row.dataset.key = entry.key;
      cell(row, entry.key);
      cell(row, render(entry.value, 'text'), 'payload');
      cell(row, entry.etag);
      cell(row, entry.contentType);
      cell(row, time(entry.expiresAt));
      const actions = row.insertCell();
      button(actions, 'Edit', () => {
        editor.key.value = entry.key;
        editor.value.value = render(entry.value, 'text');
        editor.etag.value = entry.etag;
        editor.contentType.value = entry.contentType || '';
      });
      button(actions, 'Delete', () =>
        write('DELETE', { store: store(), key: entry.key, etag: entry.etag }));
    }
  };
  const reload = pager(form, after =>
    call('GET', 'state', { store: store(), prefix: form.prefix.value, after }), fill);

  const write = async (method, query, value) => {
    try {
      const result = await call(method, 'state', query, value);
      show(editStatus, method === 'DELETE' ? `deleted ${query.key}`
        : `saved ${query.key}, ETag ${result.etag}`);
      if (method === 'PUT') editor.etag.value = result.etag;
      reload();
    } catch (error) {
      show(editStatus, error.message, false);
    }
  };
  editor.addEventListener('submit', event => {
    event.preventDefault();
    const ttl = editor.ttlSeconds.value;
    write('PUT', { store: store(), key: editor.key.value, etag: editor.etag.value }, {
      value: editor.value.value,
      contentType: editor.contentType.value || null,
      ttlSeconds: ttl ? Number(ttl) : null,
    });
  });
}
