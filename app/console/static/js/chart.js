// Bar charts drawn as inline SVG (no library): one group per category, one bar per
// series, an optional reference line (the 50% party-share target).
const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#8b1a1a", "#0b4f9c", "#1e6b30", "#7a4a00"];

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

export function barChart({ label, categories, series, max, line, format = (v) => v }) {
  const width = 520, height = 240, left = 48, bottom = 56, top = 16;
  const values = series.flatMap((s) => s.values).filter((v) => v !== null);
  const top_ = max ?? Math.max(1, ...values, line?.value ?? 0);
  const plot = height - bottom - top;
  const band = (width - left - 8) / Math.max(1, categories.length);
  const bar = Math.min(36, (band - 8) / series.length);
  const y = (v) => top + plot - (v / top_) * plot;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, width: "100%" });
  chart.append(svg("title", {}, label));
  chart.append(svg("line", { x1: left, x2: width - 8, y1: y(0), y2: y(0), stroke: "#6b6b6b" }));
  chart.append(svg("text", { x: left - 4, y: y(top_) + 4, "text-anchor": "end" }, format(top_)));
  chart.append(svg("text", { x: left - 4, y: y(0), "text-anchor": "end" }, format(0)));
  categories.forEach((category, i) => {
    const x0 = left + i * band + 4;
    series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null || v === undefined) return;
      const rect = svg("rect", { x: x0 + j * bar, y: y(v), width: bar - 2, height: Math.max(0, y(0) - y(v)), fill: COLOURS[j % COLOURS.length] });
      rect.append(svg("title", {}, `${category} · ${s.name}: ${format(v)}`));
      chart.append(rect);
    });
    chart.append(svg("text", { x: x0 + (bar * series.length) / 2, y: height - bottom + 16, "text-anchor": "middle" }, category));
  });
  if (line) {
    chart.append(svg("line", { x1: left, x2: width - 8, y1: y(line.value), y2: y(line.value), stroke: "#1a1a1a", "stroke-dasharray": "6 4", "stroke-width": 2 }));
    chart.append(svg("text", { x: width - 10, y: y(line.value) - 4, "text-anchor": "end" }, line.label));
  }
  series.forEach((s, j) => {
    chart.append(svg("rect", { x: left + j * 150, y: height - 22, width: 12, height: 12, fill: COLOURS[j % COLOURS.length] }));
    chart.append(svg("text", { x: left + j * 150 + 16, y: height - 12 }, s.name));
  });
  return chart;
}
