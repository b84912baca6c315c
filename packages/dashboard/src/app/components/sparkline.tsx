/** A small line chart of `values` (inline SVG: no chart library, no inline style). */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const width = 240;
  const height = 40;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map(
    (value, i) => `${(i * step).toFixed(1)},${(height - (value / max) * height).toFixed(1)}`,
  );
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <polyline points={points.join(' ')} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
