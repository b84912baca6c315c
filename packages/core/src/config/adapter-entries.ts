import { adapterKinds } from './adapter-schema.js';
import type { AdapterConfigByKind, AdapterKind, GatewayConfig } from './types.js';

/** One adapter entry with its kind, so a list of them can be handled uniformly. */
export type AdapterEntry = { [K in AdapterKind]: { kind: K; config: AdapterConfigByKind[K] } }[AdapterKind];

/** Every `network` entry of a resolved config, in file order, kinds in NapCat's order. */
export function adapterEntries(config: GatewayConfig): AdapterEntry[] {
  return adapterKinds.flatMap((kind) =>
    (config.network[kind] ?? []).map((entry) => ({ kind, config: entry }) as AdapterEntry),
  );
}
