import { CAUSE_IDS } from '@closewatch/conventions';

export interface ChartTheme {
  text: string;
  grid: string;
  accent: string;
  warn: string;
  dark: boolean;
}

/** Chart colours follow the page's CSS custom properties, so light and dark schemes both read well. */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--chart-text', '#333'),
    grid: read('--chart-grid', '#ddd'),
    accent: read('--accent', '#2563eb'),
    warn: read('--warn', '#c2410c'),
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
  };
}

/** A stable colour per cause (same cause, same colour on every chart and sparkline). */
export function causeColor(cause: string, theme: ChartTheme): string {
  const index = Math.max(0, (CAUSE_IDS as readonly string[]).indexOf(cause));
  const hue = Math.round((index * 137.508) % 360);
  // Lightness steps too, so the few causes whose hues land close still look different.
  const lightness = (theme.dark ? 58 : 40) + (index % 3) * 9;
  return `hsl(${hue} 68% ${lightness}%)`;
}
