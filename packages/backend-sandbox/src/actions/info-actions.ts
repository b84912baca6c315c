import { type ActionName } from '@onebot-gateway/core';
import { actionFailed } from '@onebot-gateway/core/internal';
import type { SandboxState } from '../state.js';
import { SANDBOX_APP_NAME, SANDBOX_VERSION } from '../version.js';
import type { RegisterAction } from './register.js';

/** Status, version and capability answers, and the actions a sandbox cannot carry out. */

const NO_SESSION = 'the sandbox has no real QQ session, so it has no';

/** Actions that need a real QQ account: they fail with retcode 100 and say why. */
const unsupported: Partial<Record<ActionName, string>> = {
  get_cookies: `${NO_SESSION} cookies; use a real account (backend "upstream") for web APIs`,
  get_csrf_token: `${NO_SESSION} CSRF token; use a real account (backend "upstream") for web APIs`,
  get_credentials: `${NO_SESSION} credentials (cookies and CSRF token); use a real account (backend "upstream")`,
  get_record:
    'the sandbox stores no voice files and cannot convert audio; get_record works only with a real account',
  get_guild_service_profile:
    'the sandbox has no QQ guild (channel) service; guild actions work only with a real account',
};

export function registerInfoActions(
  state: SandboxState,
  register: RegisterAction,
  isRunning: () => boolean,
): void {
  register('get_status', () => ({
    online: isRunning(),
    good: isRunning(),
    stat: {
      message_received: state.stats.messagesReceived,
      message_sent: state.stats.messagesSent,
      events_published: state.stats.eventsPublished,
    },
  }));
  register('get_version_info', () => ({
    app_name: SANDBOX_APP_NAME,
    app_version: SANDBOX_VERSION,
    protocol_version: 'v11',
    nt_protocol: 'sandbox',
  }));
  // The sandbox "sends" whatever it is given: it only stores segments.
  register('can_send_image', () => ({ yes: true }));
  register('can_send_record', () => ({ yes: true }));
  register('set_restart', () => {
    state.logger.info('set_restart: the sandbox has nothing to restart; its world is kept');
    return null;
  });
  register('clean_cache', () => {
    state.images.clear();
    return null;
  });
  for (const [action, reason] of Object.entries(unsupported) as Array<[ActionName, string]>) {
    register(action, () => {
      throw actionFailed(reason);
    });
  }
}
