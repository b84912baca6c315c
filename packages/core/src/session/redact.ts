import { redactText } from '../auth.js';

/**
 * Replace every occurrence of the token (also percent-encoded), and any
 * `access_token=` value (the key in any encoding), before a line is logged.
 */
export function redactSecrets(text: string, token: string): string {
  return redactText(text, token, '[redacted]');
}
