/** Replace every occurrence of the token, and any `access_token=` value, before a line is logged. */
export function redactSecrets(text: string, token: string): string {
  const withoutQuery = text.replace(/(access_token=)[^&\s"#]*/gi, '$1[redacted]');
  return token === '' ? withoutQuery : withoutQuery.split(token).join('[redacted]');
}
