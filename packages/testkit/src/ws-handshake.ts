import WebSocket from 'ws';

/** What a browser page (or a bot) gets from a WebSocket handshake: an open socket, or the refusal. */
export type Handshake =
  | { open: true; ws: WebSocket; firstFrame: Promise<Record<string, unknown>> }
  | { open: false; status: number; body: string };

/**
 * A WebSocket handshake with the given headers (Origin, Host, Authorization), as a browser sends them.
 * An open socket comes with its first frame (listened for from the start: a lifecycle event is sent as
 * soon as the socket opens); a refusal with its status and body. The caller closes an open socket.
 */
export function browserHandshake(url: string, headers: Record<string, string> = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const firstFrame = new Promise<Record<string, unknown>>((resolveFrame) =>
      ws.once('message', (data) => resolveFrame(JSON.parse(String(data)) as Record<string, unknown>)),
    );
    ws.once('open', () => resolve({ open: true, ws, firstFrame }));
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ open: false, status: response.statusCode ?? 0, body });
      });
    });
    ws.once('error', reject);
  });
}

/** Send `action` (its name as the echo) and resolve with the frame that answers it. */
export function callOverWebSocket(ws: WebSocket, action: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.echo !== action) return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ action, echo: action }));
  });
}
