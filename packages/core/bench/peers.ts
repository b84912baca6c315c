/**
 * The CQ codecs other OneBot SDKs ship, wrapped in one interface so the
 * bench can run them side by side with ours.
 *
 * - koishi-plugin-adapter-onebot: `CQCode.parse(string)` returns Koishi
 *   elements (`h`); encoding has no array-level function, so we use the
 *   package's own primitives the way its encoder combines them:
 *   `CQCode.escape(text)` for text and `CQCode(type, attrs)` for codes.
 * - node-napcat-ts: `convertCQCodeToJSON(string)` and
 *   `convertJSONToCQCode(segments)` from its Utils module.
 *
 * `parse` is the peer's function as shipped (native output, no conversion,
 * which favours the peer); `toSegments` turns that output into segments only
 * for the correctness table.
 */
import type { Segment } from '../src/types/segments.js';

export interface Codec {
  name: string;
  parse(text: string): unknown;
  toSegments(parsed: unknown): Segment[];
  encode(segments: Segment[]): string;
}

export type PeerLoad = { ok: true; codec: Codec } | { ok: false; name: string; reason: string };

// A variable specifier keeps the peers' (large) type graphs out of the
// typecheck and lets a failed import be reported instead of crashing the bench.
async function importPeer(specifier: string): Promise<Record<string, unknown>> {
  const module = (await import(specifier)) as Record<string, unknown>;
  const fallback = module.default as Record<string, unknown> | undefined;
  return { ...fallback, ...module };
}

interface KoishiElement {
  type: string;
  attrs: Record<string, unknown>;
}

interface KoishiCQCode {
  (type: string, attrs: Record<string, unknown>): string;
  escape(source: unknown, inline?: boolean): string;
  parse(source: string): KoishiElement[];
}

async function loadKoishi(): Promise<Codec> {
  const module = await importPeer('koishi-plugin-adapter-onebot');
  const CQCode = module.CQCode as KoishiCQCode | undefined;
  if (typeof CQCode !== 'function' || typeof CQCode.parse !== 'function') {
    throw new Error('the package no longer exports CQCode with parse/escape');
  }
  return {
    name: 'koishi-plugin-adapter-onebot CQCode',
    parse: (text) => CQCode.parse(text),
    toSegments: (parsed) =>
      (parsed as KoishiElement[]).map((element) =>
        element.type === 'text'
          ? { type: 'text', data: { text: element.attrs.content } }
          : { type: element.type, data: { ...element.attrs } },
      ),
    encode: (segments) => {
      let out = '';
      for (const segment of segments) {
        out +=
          segment.type === 'text' ? CQCode.escape(segment.data.text) : CQCode(segment.type, segment.data);
      }
      return out;
    },
  };
}

async function loadNapcat(): Promise<Codec> {
  const module = await importPeer('node-napcat-ts');
  const parse = module.convertCQCodeToJSON as ((text: string) => Segment[]) | undefined;
  const encode = module.convertJSONToCQCode as ((segments: Segment[]) => string) | undefined;
  if (typeof parse !== 'function' || typeof encode !== 'function') {
    throw new Error('the package no longer exports convertCQCodeToJSON/convertJSONToCQCode');
  }
  return {
    name: 'node-napcat-ts convertCQCode*',
    parse,
    toSegments: (parsed) => parsed as Segment[],
    encode,
  };
}

async function settle(name: string, load: () => Promise<Codec>): Promise<PeerLoad> {
  try {
    return { ok: true, codec: await load() };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    return { ok: false, name, reason };
  }
}

export function loadPeers(): Promise<PeerLoad[]> {
  return Promise.all([
    settle('koishi-plugin-adapter-onebot', loadKoishi),
    settle('node-napcat-ts', loadNapcat),
  ]);
}
