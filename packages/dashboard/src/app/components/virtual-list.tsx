import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  /** Keep the view on the newest row while the user has not scrolled away from it. */
  followTail?: boolean;
  label: string;
  renderRow: (item: T, index: number) => ComponentChildren;
}

/**
 * Renders only the rows in view (plus a few): a list of thousands of rows
 * costs as much as one screenful. Rows have one fixed height.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  followTail = true,
  label,
  renderRow,
}: VirtualListProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const atTail = useRef(true);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    setHeight(element.clientHeight);
    if (followTail && atTail.current) {
      element.scrollTop = element.scrollHeight;
      setScrollTop(element.scrollTop);
    }
  }, [items, followTail]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 5);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + 5);
  const visible = items.slice(first, last);

  return (
    <div
      ref={viewport}
      class="virtual-list"
      role="list"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget as HTMLDivElement;
        atTail.current = element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight;
        setScrollTop(element.scrollTop);
      }}
    >
      <div style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {visible.map((item, offset) => (
          <div
            role="listitem"
            class="virtual-row"
            key={first + offset}
            style={{ top: `${(first + offset) * rowHeight}px`, height: `${rowHeight}px` }}
          >
            {renderRow(item, first + offset)}
          </div>
        ))}
      </div>
    </div>
  );
}
