import { invalidValue, isPlainObject, type ConfigField } from './fields.js';
import { describeValue, type ConfigProblem } from './problems.js';

/**
 * Apply a table of fields to one raw object: coerce what is there, fill
 * defaults for what is not, keep unknown keys untouched, and record a
 * problem (never throw) for each value that can't be accepted, so the
 * caller can report every problem of a file at once.
 */
export function resolveFields(
  raw: Record<string, unknown>,
  fields: { readonly [key: string]: ConfigField },
  path: string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  // Spreading copies own keys only, so a `__proto__` key stays a plain key.
  const result: Record<string, unknown> = { ...raw };
  for (const [key, field] of Object.entries(fields)) {
    const given = raw[key];
    if (given === undefined || given === null) {
      if (field.required === 'always')
        problems.push({ path: `${path}.${key}`, message: `is required: expected ${field.expected}` });
      if (field.defaultValue === undefined) delete result[key];
      else result[key] = field.defaultValue();
      continue;
    }
    const coerced = field.coerce(given);
    if (coerced === invalidValue) {
      problems.push({
        path: `${path}.${key}`,
        message: field.explain?.(given) ?? `expected ${field.expected}, got ${describeValue(given)}`,
      });
      // The default stands in so later checks (names, ports) still see a sane entry.
      if (field.defaultValue === undefined) delete result[key];
      else result[key] = field.defaultValue();
      continue;
    }
    if (field.items !== undefined) {
      result[key] = resolveItems(coerced as unknown[], field.items, `${path}.${key}`, problems);
      continue;
    }
    result[key] =
      field.fields === undefined
        ? coerced
        : resolveFields(coerced as Record<string, unknown>, field.fields, `${path}.${key}`, problems);
  }
  for (const [key, field] of Object.entries(fields)) {
    if (result[key] !== '') continue;
    const enabled = result['enable'] !== false;
    if (field.required === 'always' || (field.required === 'whenEnabled' && enabled)) {
      const when = field.required === 'always' ? '' : ' in an enabled entry';
      problems.push({
        path: `${path}.${key}`,
        message: `must not be empty${when}: expected ${field.expected}`,
      });
    }
  }
  return result;
}

function resolveItems(
  items: readonly unknown[],
  fields: { readonly [key: string]: ConfigField },
  path: string,
  problems: ConfigProblem[],
): Record<string, unknown>[] {
  const resolved: Record<string, unknown>[] = [];
  items.forEach((item, index) => {
    if (!isPlainObject(item)) {
      problems.push({ path: `${path}[${index}]`, message: `expected an object, got ${describeValue(item)}` });
      return;
    }
    resolved.push(resolveFields(item, fields, `${path}[${index}]`, problems));
  });
  return resolved;
}
