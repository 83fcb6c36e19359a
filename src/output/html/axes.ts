import { esc } from './escape.js';

/** Plot geometry in viewBox units; the SVG is never drawn narrower than its viewBox (see styles). */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Scale {
  x(v: number): number;
  y(v: number): number;
  ticks: number[];
  yMax: number;
}

/** Round ticks (1, 2, 2.5, 5 × 10^k) from 0 to at least `max`: 0, 0.5, 1, 1.5 rather than 0.63, 1.26. */
export function niceTicks(max: number, target = 4): number[] {
  const top = max > 0 ? max : 1;
  const raw = top / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < top + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.at(-1)! < top) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

export function scaleOf(f: Frame, xMin: number, xMax: number, yMaxData: number): Scale {
  const ticks = niceTicks(yMaxData);
  const yMax = ticks.at(-1)!;
  const xs = xMax > xMin ? xMax - xMin : 1;
  return {
    x: (v) => f.left + ((v - xMin) / xs) * (f.width - f.left - f.right),
    y: (v) => f.height - f.bottom - (v / yMax) * (f.height - f.top - f.bottom),
    ticks,
    yMax,
  };
}

export function tickLabel(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2)));
}

/** Grid lines with round y ticks, x tick labels, and both axis titles. */
export function axes(
  f: Frame,
  s: Scale,
  x: { ticks: number[]; label: (v: number) => string; title: string },
  yTitle: string,
): string {
  const out: string[] = [];
  for (const v of s.ticks)
    out.push(
      `<line class="axis" x1="${f.left}" x2="${f.width - f.right}" y1="${s.y(v)}" y2="${s.y(v)}"/><text x="${f.left - 6}" y="${s.y(v) + 4}" text-anchor="end">${tickLabel(v)}</text>`,
    );
  for (const v of x.ticks)
    out.push(
      `<text x="${s.x(v).toFixed(1)}" y="${f.height - f.bottom + 16}" text-anchor="middle">${esc(x.label(v))}</text>`,
    );
  const midY = (f.top + f.height - f.bottom) / 2;
  out.push(
    `<text class="axis-title" x="${(f.left + f.width - f.right) / 2}" y="${f.height - 4}" text-anchor="middle">${esc(x.title)}</text>`,
    `<text class="axis-title" transform="translate(12,${midY}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`,
  );
  return out.join('');
}

/** Evenly spaced integer ticks from min to max, at most `count` of them. */
export function xTicks(min: number, max: number, count = 8): number[] {
  const step = Math.max(1, Math.ceil((max - min) / count));
  const out: number[] = [];
  for (let v = min; v <= max; v += step) out.push(v);
  return out;
}

export function svg(f: Frame, title: string, body: string, className = 'chart'): string {
  return `<svg class="${className}" viewBox="0 0 ${f.width} ${f.height}" style="min-width:${f.width}px" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}

/** A legend entry: a swatch (`box`), a line or a dashed line, in the class's colour. */
export function legend(
  items: { label: string; className: string; mark?: 'box' | 'line' | 'dash' }[],
): string {
  return `<p class="legend">${items
    .map(
      (i) =>
        `<span><svg class="key" viewBox="0 0 18 10" width="18" height="10" aria-hidden="true">${
          (i.mark ?? 'box') === 'box'
            ? `<rect class="${i.className}" x="1" y="1" width="16" height="8" rx="1"/>`
            : `<line class="${i.className}" x1="0" x2="18" y1="5" y2="5"${i.mark === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`
        }</svg>${esc(i.label)}</span>`,
    )
    .join('')}</p>`;
}
