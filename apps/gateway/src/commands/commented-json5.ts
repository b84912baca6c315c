/**
 * Writing JSON5 with a `//` comment above every key and array item: quoted
 * keys, no trailing commas, so the text is JSON once the comments go.
 */

export type Value = string | number | boolean | { object: Field[] } | { array: Item[] };
export interface Field {
  key: string;
  comment: string;
  value: Value;
}
export interface Item {
  comment: string;
  fields: Field[];
}

export const field = (key: string, value: Value, comment: string): Field => ({ key, value, comment });

export function commentLines(comment: string, indent: string): string[] {
  return comment.split('\n').map((line) => `${indent}// ${line}`);
}

function valueText(value: Value, indent: string): string {
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if ('object' in value) return `{\n${fieldsText(value.object, inner)}\n${indent}}`;
  if (value.array.length === 0) return '[]';
  const items = value.array.map(
    (item) =>
      `${commentLines(item.comment, inner).join('\n')}\n${inner}{\n${fieldsText(item.fields, `${inner}  `)}\n${inner}}`,
  );
  return `[\n${items.join(',\n')}\n${indent}]`;
}

export function fieldsText(fields: Field[], indent: string): string {
  return fields
    .map(
      (f) =>
        `${commentLines(f.comment, indent).join('\n')}\n${indent}${JSON.stringify(f.key)}: ${valueText(f.value, indent)}`,
    )
    .join(',\n');
}
