import { Chart } from './chart-setup.js';

let warmed = false;

/**
 * Draws one throw-away chart off screen, once per page load, while the first API calls are in
 * flight: the first chart.js draw pays for code warm-up and font set-up, and this hides that cost
 * behind the network wait instead of adding it to the time to the first real chart.
 */
export function warmUpCharts(): void {
  if (warmed) return;
  warmed = true;
  const holder = document.createElement('div');
  holder.className = 'chart-warm-up';
  holder.setAttribute('aria-hidden', 'true');
  const canvas = document.createElement('canvas');
  holder.appendChild(canvas);
  document.body.appendChild(holder);
  try {
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: ['a', 'b'],
        datasets: [
          { label: 'x', data: [1, 2] },
          { type: 'line', label: 'y', data: [2, 1] },
        ],
      },
      options: { animation: false, responsive: false, plugins: { legend: { display: true }, tooltip: { enabled: false } } },
    });
    chart.destroy();
  } finally {
    holder.remove();
  }
}
