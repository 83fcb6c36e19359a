import { axes, type Frame, scaleOf, svg, xTicks } from './axes.js';
import { esc, fmt } from './escape.js';

const FRAME: Frame = { width: 760, height: 280, left: 56, right: 16, top: 12, bottom: 44 };
const PANEL: Frame = { width: 250, height: 170, left: 44, right: 10, top: 10, bottom: 40 };

export interface Series {
  name: string;
  points: { x: number; y: number | null }[];
  /** The CSS class that colours it: a palette slot (s0…s7), `muted`, `limit`, `center`. */
  className: string;
  dots?: boolean;
}

function path(s: { x(v: number): number; y(v: number): number }, points: Series['points']): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${s.x(p.x).toFixed(1)},${s.y(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export interface LineOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  xLabel?: (v: number) => string;
  refs?: { y: number; label: string; className: string }[];
  /** Share one x and y range across small multiples. */
  xMax?: number;
  yMax?: number;
  small?: boolean;
}

/** Lines broken at nulls (suppressed cells are gaps, never zeros), optional horizontal reference lines. */
export function lineChart(series: Series[], o: LineOptions): string {
  const f = o.small ? PANEL : FRAME;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = o.xMax ?? (xs.length ? Math.max(...xs) : 1);
  const yMax = o.yMax ?? Math.max(0, ...all.map((p) => p.y ?? 0), ...(o.refs ?? []).map((r) => r.y));
  const s = scaleOf(f, xMin, xMax, yMax);
  const lines = series
    .map((ser) => {
      const dots =
        ser.dots === false
          ? ''
          : ser.points
              .filter((p) => p.y !== null)
              .map(
                (p) =>
                  `<circle class="${ser.className}" cx="${s.x(p.x).toFixed(1)}" cy="${s.y(p.y!).toFixed(1)}" r="2.5"><title>${esc(ser.name)}: ${fmt(p.y, 2)}</title></circle>`,
              )
              .join('');
      return `<path class="line ${ser.className}" d="${path(s, ser.points)}"><title>${esc(ser.name)}</title></path>${dots}`;
    })
    .join('');
  const refs = (o.refs ?? [])
    .map(
      (r) =>
        `<line class="${r.className}" x1="${f.left}" x2="${f.width - f.right}" y1="${s.y(r.y)}" y2="${s.y(r.y)}"><title>${esc(r.label)}</title></line>`,
    )
    .join('');
  const ticks = xTicks(xMin, xMax, o.small ? 4 : 8);
  return svg(
    f,
    o.title,
    axes(f, s, { ticks, label: o.xLabel ?? String, title: o.xTitle }, o.yTitle) + refs + lines,
    o.small ? 'chart small' : 'chart',
  );
}

/** Stacked bars per x (repos per lag bucket per week); `classes` colour each key. */
export function stackedBars(
  title: string,
  columns: { label: string; values: number[] }[],
  keys: string[],
  classes: string[],
  axisTitles: { x: string; y: string },
): string {
  const f = FRAME;
  const yMax = Math.max(1, ...columns.map((c) => c.values.reduce((a, b) => a + b, 0)));
  const n = Math.max(1, columns.length);
  const s = scaleOf(f, -0.5, n - 0.5, yMax);
  const bw = Math.max(2, (f.width - f.left - f.right) / n - 2);
  const bars = columns
    .map((col, i) => {
      let base = 0;
      return col.values
        .map((v, k) => {
          if (!v) return '';
          const y0 = s.y(base);
          base += v;
          const y1 = s.y(base);
          return `<rect class="${classes[k]}" x="${(s.x(i) - bw / 2).toFixed(1)}" y="${y1.toFixed(1)}" width="${bw.toFixed(1)}" height="${(y0 - y1).toFixed(1)}"><title>${esc(col.label)} ${esc(keys[k])}: ${v}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const label = (v: number) => columns[Math.round(v)]?.label ?? '';
  return svg(
    f,
    title,
    axes(f, s, { ticks: xTicks(0, n - 1, 8), label, title: axisTitles.x }, axisTitles.y) + bars,
  );
}

/** Discrete steps of the heatmap's sequential scale: the legend shows the same steps. */
export const HEAT_STEPS = 5;

export function heatStep(v: number, max: number): number {
  if (v <= 0) return 0;
  return Math.min(HEAT_STEPS - 1, 1 + Math.floor(((HEAT_STEPS - 1) * v) / (max + 1e-9)));
}

/** Rows × columns on a sequential scale; null cells hatched as "suppressed", never as zero. */
export function heatmap(
  title: string,
  rows: string[],
  cols: string[],
  value: (r: string, c: string) => number | null | undefined,
  axisTitles: { x: string; y: string },
): string {
  const left = 170;
  const top = 96;
  const cw = Math.max(34, Math.min(60, (760 - left - 10) / Math.max(1, cols.length)));
  const ch = 24;
  const width = Math.max(760, left + cols.length * cw + 10);
  const height = top + rows.length * ch + 30;
  const max = Math.max(1, ...rows.flatMap((r) => cols.map((c) => value(r, c) ?? 0)));
  const cells = rows
    .flatMap((r, i) =>
      cols.map((c, j) => {
        const v = value(r, c);
        const x = left + j * cw;
        const y = top + i * ch;
        if (v === undefined) return '';
        if (v === null)
          return `<rect class="suppressed" x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}"><title>${esc(r)} × ${esc(c)}: suppressed (fewer than 5 sessions)</title></rect>`;
        const step = heatStep(v, max);
        return `<rect class="h${step}" x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}"><title>${esc(r)} × ${esc(c)}: ${v}</title></rect>${v > 0 ? `<text class="${step >= 3 ? 'on-dark' : ''}" x="${x + (cw - 2) / 2}" y="${y + 16}" text-anchor="middle">${v}</text>` : ''}`;
      }),
    )
    .join('');
  const rowLabels = rows
    .map((r, i) => `<text x="${left - 6}" y="${top + i * ch + 16}" text-anchor="end">${esc(r)}</text>`)
    .join('');
  const colLabels = cols
    .map(
      (c, j) =>
        `<text transform="translate(${left + j * cw + cw / 2 - 4},${top - 6}) rotate(-45)">${esc(c)}</text>`,
    )
    .join('');
  const titles = `<text class="axis-title" x="${left + (cols.length * cw) / 2}" y="14" text-anchor="middle">${esc(axisTitles.x)}</text><text class="axis-title" x="8" y="${top - 6}">${esc(axisTitles.y)}</text>`;
  return svg(
    { width, height, left, right: 10, top, bottom: 30 },
    title,
    titles + rowLabels + colLabels + cells,
  );
}

/** The heatmap's steps as ranges of uses, for its legend (the inverse of heatStep). */
export function heatLegendSteps(max: number): { label: string; className: string }[] {
  const out = [{ label: '0', className: 'h0' }];
  const m = max + 1e-9;
  for (let k = 1; k < HEAT_STEPS; k++) {
    const lo = Math.max(1, Math.ceil(((k - 1) * m) / (HEAT_STEPS - 1)));
    const hi = k === HEAT_STEPS - 1 ? max : Math.ceil((k * m) / (HEAT_STEPS - 1)) - 1;
    if (hi < lo) continue;
    out.push({ label: lo === hi ? `${lo}` : `${lo}–${hi}`, className: `h${k}` });
  }
  return out;
}
