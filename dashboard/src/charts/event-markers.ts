import type { Chart, Plugin } from 'chart.js';

/** A moment on a time axis worth a vertical line: a mass drop. */
export interface ChartMarker {
  t: number;
  label: string;
}

/** Draws each marker as a dashed vertical line with its label at the top of the plot area. */
export function markerPlugin(markers: readonly ChartMarker[], color: string): Plugin {
  return {
    id: 'closewatchMarkers',
    afterDatasetsDraw(chart: Chart) {
      const scale = chart.scales.x;
      const area = chart.chartArea;
      if (!scale || !area) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      ctx.font = '11px system-ui, sans-serif';
      for (const marker of markers) {
        // a drop late in the last bucket lies past the axis, which ends half a bucket after its start
        const x = Math.min(Math.max(scale.getPixelForValue(marker.t), area.left), area.right);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        const width = ctx.measureText(marker.label).width;
        ctx.fillText(marker.label, Math.max(area.left, Math.min(x + 4, area.right - width)), area.top + 11);
      }
      ctx.restore();
    },
  };
}
