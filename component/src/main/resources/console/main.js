// Tabs and the start of each view.
import { initLive } from './live.js';
import { initPublish } from './publish.js';
import { initRetained } from './retained.js';
import { initState } from './state.js';
import { initClients } from './clients.js';
import { initCharts } from './charts.js';

const refreshClients = initClients();
initLive();
initPublish();
initRetained();
initState();
initCharts();

for (const tab of document.querySelectorAll('nav button')) {
  tab.addEventListener('click', () => {
    document.querySelectorAll('nav button, .view').forEach(e => e.classList.remove('active'));
    tab.classList.add('active');
    document.getElementById(tab.dataset.view).classList.add('active');
    if (tab.dataset.view === 'clients') refreshClients();
  });
}
