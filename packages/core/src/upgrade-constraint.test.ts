import { describe, expect, it } from 'vitest';
import { upgradeConstraint, upgradeConstraintName } from './upgrade-constraint.js';

describe('upgradeConstraint', () => {
  it('derives "upgrade" for a WebSocket upgrade in any case, "plain" for everything else', () => {
    expect(upgradeConstraint.name).toBe(upgradeConstraintName);
    const derive = (upgrade?: string | string[]) =>
      upgradeConstraint.deriveConstraint({ headers: { upgrade } });
    expect(derive('websocket')).toBe('upgrade');
    expect(derive('WebSocket')).toBe('upgrade');
    expect(derive()).toBe('plain');
    expect(derive('h2c')).toBe('plain');
    expect(derive(['websocket', 'websocket'])).toBe('plain');
  });

  it('keeps one handler per derived value', () => {
    const store = upgradeConstraint.storage();
    store.set('upgrade', 'ws-handler');
    expect(store.get('upgrade')).toBe('ws-handler');
    expect(store.get('plain')).toBeNull();
  });
});
