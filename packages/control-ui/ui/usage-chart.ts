import { formatTokensShort } from "./usage-format.js";
import type { UsageDayBar } from "./usage-report.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const HEIGHT = 180;
const TOP = 18;
const BOTTOM = 22;
const LEFT = 4;
/** A day with usage keeps a visible sliver even beside a day a thousand times larger. */
const MIN_BAR = 2;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The days whose date is written under the axis: the first, the last, and a few between on long ranges. */
function labelledDays(count: number): Set<number> {
  if (count <= 7) return new Set(Array.from({ length: count }, (_, index) => index));
  const step = Math.ceil((count - 1) / 4);
  const indexes = new Set<number>([count - 1]);
  for (let index = 0; index < count - 1; index += step) indexes.add(index);
  return indexes;
}

/**
 * Tokens per day as plain SVG bars (no chart library, nothing inline that the CSP forbids: colours come from the
 * stylesheet). Each bar carries its day's figures as a tooltip and an accessible name.
 */
export function renderDailyChart(days: readonly UsageDayBar[]): SVGSVGElement {
  const max = Math.max(0, ...days.map((day) => day.tokens));
  const chart = svg("svg", {
    class: "usage-chart",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": `Tokens per day, ${days.length} days, the busiest ${formatTokensShort(max)}`,
    "data-testid": "usage-chart",
  });
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, days.length);
  const gap = Math.min(4, slot * 0.2);
  chart.append(
    svg("line", { class: "usage-axis", x1: LEFT, x2: WIDTH, y1: TOP + plotHeight, y2: TOP + plotHeight }),
    svg("text", { class: "usage-chart-label", x: LEFT, y: TOP - 6 }, `${formatTokensShort(max)} tokens`),
  );
  const labelled = labelledDays(days.length);
  days.forEach((day, index) => {
    const height = max === 0 || day.tokens === 0 ? 0 : Math.max(MIN_BAR, (day.tokens / max) * plotHeight);
    const x = LEFT + index * slot + gap / 2;
    const bar = svg("rect", {
      class: "usage-bar",
      x: x.toFixed(2),
      y: (TOP + plotHeight - height).toFixed(2),
      width: Math.max(1, slot - gap).toFixed(2),
      height: height.toFixed(2),
      "data-testid": "usage-bar",
      "data-date": day.date,
      "data-tokens": day.tokens,
      "aria-label": day.description,
    });
    bar.append(svg("title", {}, day.description));
    chart.append(bar);
    if (labelled.has(index)) {
      const anchor = index === 0 ? "start" : index === days.length - 1 ? "end" : "middle";
      const labelX = anchor === "start" ? x : anchor === "end" ? x + slot - gap : x + (slot - gap) / 2;
      chart.append(
        svg(
          "text",
          { class: "usage-chart-label", x: labelX.toFixed(2), y: HEIGHT - 6, "text-anchor": anchor },
          day.label,
        ),
      );
    }
  });
  return chart;
}
