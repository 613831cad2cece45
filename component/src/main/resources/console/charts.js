// Live charts drawn on canvas from the broker's counters ($SYS values), polled every few seconds.
import { call } from './api.js';

const POLL_MS = 2000;
const POINTS = 90;

/** A line chart of a few series over the last POINTS samples. */
function draw(canvas, series) {
  const g = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = 30;
  g.clearRect(0, 0, width, height);
  const max = Math.max(1, ...series.flatMap(s => s.values));
  g.strokeStyle = '#d9dde5';
  g.fillStyle = '#677085';
  g.font = '11px system-ui';
  for (const fraction of [0, 0.5, 1]) {
    const y = height - pad / 2 - fraction * (height - pad);
    g.beginPath(); g.moveTo(pad, y); g.lineTo(width, y); g.stroke();
    g.fillText(String(Math.round(max * fraction)), 2, y + 4);
  }
  series.forEach((s, i) => {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    s.values.forEach((v, x) => {
      const px = pad + (x / (POINTS - 1)) * (width - pad);
      const py = height - pad / 2 - (v / max) * (height - pad);
      x === 0 ? g.moveTo(px, py) : g.lineTo(px, py);
    });
    g.stroke();
    g.fillStyle = s.color;
    g.fillText(`${s.label}: ${s.values.at(-1) ?? 0}`, pad + 10 + i * 140, 12);
  });
}

export function initCharts() {
  const rates = document.getElementById('chart-rates');
  const clients = document.getElementById('chart-clients');
  const series = { in: [], out: [], clients: [] };
  let last = null;
  const push = (values, v) => { values.push(v); if (values.length > POINTS) values.shift(); };

  const sample = async () => {
    try {
      const stats = await call('GET', 'stats');
      const now = { time: performance.now(), in: Number(stats['messages/received']),
        out: Number(stats['messages/sent']) };
      if (last) {
        const seconds = (now.time - last.time) / 1000;
        push(series.in, Math.round((now.in - last.in) / seconds));
        push(series.out, Math.round((now.out - last.out) / seconds));
      }
      push(series.clients, Number(stats['clients/connected']));
      last = now;
      draw(rates, [{ label: 'in', color: '#2563eb', values: series.in },
        { label: 'out', color: '#15803d', values: series.out }]);
      draw(clients, [{ label: 'connected', color: '#9333ea', values: series.clients }]);
    } catch {
      // the next poll tries again; the charts keep what they have
    }
  };
  sample();
  setInterval(sample, POLL_MS);
}
