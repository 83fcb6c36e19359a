/** Inline CSS: light and dark via prefers-color-scheme, series colours as variables, print rules. */
export const STYLES = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --grid: #d1d9e0;
  --card: #f6f8fa; --s0: #0969da; --s1: #bf3989; --s2: #1a7f37; --s3: #9a6700; --s4: #8250df;
  --s5: #cf222e; --s6: #1b7c83; --s7: #6e7781; --heat: 9, 105, 218; --ok: #1a7f37; --bad: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #3d444d; --card: #151b23;
    --s0: #4493f8; --s1: #db61a2; --s2: #3fb950; --s3: #d29922; --s4: #a371f7; --s5: #f85149;
    --s6: #39c5cf; --s7: #9198a1; --heat: 68, 147, 248; --ok: #3fb950; --bad: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--grid); }
.muted, caption, figcaption { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 16px 0; }
.card { background: var(--card); border-radius: 8px; padding: 12px; }
.card b { display: block; font-size: 22px; }
figure { margin: 16px 0; } svg { width: 100%; height: auto; color: var(--fg); }
svg text { fill: var(--muted); font-size: 11px; } svg .axis { stroke: var(--grid); }
svg .line { fill: none; stroke-width: 2; } svg .limit { stroke: var(--muted); stroke-dasharray: 4 3; fill: none; }
svg .center { stroke: var(--muted); fill: none; } svg .level { stroke: var(--bad); stroke-dasharray: 6 3; }
svg .suppressed { fill: var(--card); stroke: var(--grid); }
${Array.from({ length: 8 }, (_, i) => `.s${i} { stroke: var(--s${i}); fill: var(--s${i}); } svg .line.s${i} { fill: none; } .legend i.s${i} { background: var(--s${i}); }`).join('\n')}
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--grid); }
td { text-align: right; } caption { text-align: left; padding: 4px 0; }
.table-wrap { overflow-x: auto; }
.verdict-falling, .ok { color: var(--ok); } .verdict-rising, .bad { color: var(--bad); }
.legend span { margin-right: 12px; white-space: nowrap; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; background: #fff; color: #000; }
  figure, table, .card { break-inside: avoid; } h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
}
`;
