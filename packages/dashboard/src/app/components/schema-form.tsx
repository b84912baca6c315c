import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { fieldKindOf, isTruthy, join, numericBranch, resolve, type JsonSchema } from '../schema.js';
import { schemaText } from '../schema-text.js';

interface FieldProps {
  name: string;
  schema: JsonSchema;
  root: JsonSchema | undefined;
  value: unknown;
  path: string;
  errors: Record<string, string>;
  onChange: (value: unknown) => void;
}

const idOf = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** A free value (several types, or an object without properties): typed as text, read as JSON where it looks like JSON. */
function parseLoose(text: string): unknown {
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

function SecretInput({
  id,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  describedBy: string;
}) {
  const [shown, setShown] = useState(false);
  return (
    <span class="secret">
      <input
        id={id}
        type={shown ? 'text' : 'password'}
        value={value}
        autocomplete="off"
        aria-describedby={describedBy}
        onInput={(event) => onChange((event.target as HTMLInputElement).value)}
      />
      <button type="button" aria-pressed={shown} aria-controls={id} onClick={() => setShown(!shown)}>
        {shown ? t('Hide') : t('Reveal')}
      </button>
    </span>
  );
}

function Field({ name, schema: raw, root, value: own, path, errors, onChange }: FieldProps) {
  const schema = resolve(raw, root);
  // A key the file leaves out runs with its default: show that, and write it only when changed.
  const value = own === undefined ? schema.default : own;
  const kind = fieldKindOf(schema);
  const id = idOf(path);
  const error = errors[path];
  const helpId = `${id}-help`;
  const label = <label for={id}>{name}</label>;
  const help = (
    <>
      {schema.description && (
        <small id={helpId} class="muted">
          {schemaText(schema.description)}
        </small>
      )}
      {error && (
        <small class="field-error" role="alert" data-error-path={path}>
          {error}
        </small>
      )}
    </>
  );
  const describedBy = `${schema.description ? helpId : ''}`;

  if (kind === 'object') {
    return (
      <fieldset class={error ? 'invalid' : ''}>
        <legend>{name}</legend>
        {help}
        <SchemaFields
          schema={schema}
          root={root}
          value={(value as Record<string, unknown>) ?? {}}
          path={path}
          errors={errors}
          onChange={onChange}
        />
      </fieldset>
    );
  }
  let control;
  // A boolean the file may also spell "true"/"1" (anyOf boolean | string) is still a switch.
  if (kind === 'boolean') {
    return (
      <div class={`field checkbox${error ? ' invalid' : ''}`}>
        <input
          id={id}
          type="checkbox"
          checked={isTruthy(value)}
          aria-describedby={describedBy}
          onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
        />
        {label}
        {help}
      </div>
    );
  } else if (schema.enum) {
    control = (
      <select
        id={id}
        value={JSON.stringify(value)}
        aria-describedby={describedBy}
        onChange={(event) => onChange(JSON.parse((event.target as HTMLSelectElement).value))}
      >
        {value === undefined && <option value="undefined">-</option>}
        {schema.enum
          .filter((option) => option !== null)
          .map((option) => (
            <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
              {String(option)}
            </option>
          ))}
      </select>
    );
  } else if (kind === 'integer' || kind === 'number') {
    const range = numericBranch(schema) ?? schema;
    control = (
      <input
        id={id}
        type="number"
        step={kind === 'integer' ? 1 : 'any'}
        min={range.minimum}
        max={range.maximum}
        value={value === undefined || value === null ? '' : String(value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => {
          const text = (event.target as HTMLInputElement).value;
          onChange(text === '' ? undefined : Number(text));
        }}
      />
    );
  } else if (kind === 'string') {
    const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
    control = schema.writeOnly ? (
      <SecretInput id={id} value={text} onChange={onChange} describedBy={describedBy} />
    ) : (
      <input
        id={id}
        value={text}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => onChange((event.target as HTMLInputElement).value)}
      />
    );
  } else {
    const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    control = (
      <textarea
        id={id}
        rows={2}
        value={text}
        aria-describedby={describedBy}
        onInput={(event) => onChange(parseLoose((event.target as HTMLTextAreaElement).value))}
      />
    );
  }
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      {label}
      {control}
      {help}
    </div>
  );
}

interface FieldsProps {
  schema: JsonSchema;
  root: JsonSchema | undefined;
  value: Record<string, unknown>;
  /** The value's path in the file, as the server names problems: `network.httpServers[0]`. */
  path: string;
  errors: Record<string, string>;
  onChange: (value: Record<string, unknown>) => void;
}

/** One field per property of an object schema; keys the schema does not know are kept untouched. */
export function SchemaFields({ schema: raw, root, value, path, errors, onChange }: FieldsProps) {
  const schema = resolve(raw, root);
  return (
    <div class="fields">
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <Field
          key={key}
          name={key}
          schema={property}
          root={root}
          value={value[key]}
          path={join(path, key)}
          errors={errors}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </div>
  );
}
