// The publish form: a message with its MQTT 5 properties, through the same path as HTTP publish.
import { call, show } from './api.js';

/** "name=value" lines as [name, value] pairs. */
export function userProperties(text) {
  return text.split('\n').filter(line => line.trim()).map(line => {
    const at = line.indexOf('=');
    return at < 0 ? [line.trim(), ''] : [line.slice(0, at).trim(), line.slice(at + 1)];
  });
}

export function initPublish() {
  const form = document.getElementById('publish-form');
  const status = document.getElementById('publish-status');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      topic: f.topic.value,
      payload: f.payload.value,
      qos: Number(f.qos.value),
      retain: f.retain.checked,
      contentType: f.contentType.value || null,
      messageExpiry: f.messageExpiry.value ? Number(f.messageExpiry.value) : null,
      responseTopic: f.responseTopic.value || null,
      correlationData: f.correlationData.value || null,
      userProperties: userProperties(f.userProperties.value),
    };
    try {
      const result = await call('POST', 'publish', {}, body);
      show(status, `published to ${result.matchedSubscribers} subscriber(s)`);
    } catch (error) {
      show(status, error.message, false);
    }
  });
}
