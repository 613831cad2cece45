// Retained messages: a page at a time, edited with their version as the condition.
import { call, show } from './api.js';
import { render, cell, time } from './format.js';
import { pager } from './pager.js';

export function initRetained() {
  const form = document.getElementById('retained-form');
  const body = document.querySelector('#retained tbody');
  const editor = document.getElementById('retained-edit');
  const editStatus = editor.querySelector('.status');

  const fill = items => {
    body.replaceChildren();
    for (const { version, message } of items) {
      const row = body.insertRow();
      cell(row, message.topic);
      cell(row, render(message.payload, 'text'), 'payload');
      cell(row, version);
      cell(row, time(message.expiresAt));
      const actions = row.insertCell();
      button(actions, 'Edit', () => {
        editor.topic.value = message.topic;
        editor.payload.value = render(message.payload, 'text');
        editor.version.value = version;
      });
      button(actions, 'Delete', () => write('DELETE', { topic: message.topic, version }));
    }
  };
  const reload = pager(form, after =>
    call('GET', 'retained', { prefix: form.prefix.value, after }), fill);

  const write = async (method, query, payload) => {
    try {
      await call(method, 'retained', query, payload);
      show(editStatus, method === 'DELETE' ? `deleted ${query.topic}` : `saved ${query.topic}`);
      reload();
    } catch (error) {
      show(editStatus, error.message, false);
    }
  };
  editor.addEventListener('submit', event => {
    event.preventDefault();
    const expiry = editor.messageExpiry.value;
    write('PUT', { topic: editor.topic.value, version: editor.version.value },
      { payload: editor.payload.value, messageExpiry: expiry ? Number(expiry) : null });
  });
}

export function button(parent, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  parent.append(b);
}
