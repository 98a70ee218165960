import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

export interface EventStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Events so far (grows while the stream is open). */
  events: ServerSentEvent[];
  /** Body of a non-200 reply (JSON). */
  errorBody?: unknown;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once an event of this type arrived (rejects after `timeoutMs`). */
  until(event: string, timeoutMs?: number): Promise<ServerSentEvent>;
  /** The client goes away. */
  close(): void;
}

/** A minimal EventSource over node:http with a bearer token, parsing `event:`/`data:` blocks. */
export function openEventStream(url: string, accessToken: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = request(url, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'text/event-stream' } }, (res) => {
      const events: ServerSentEvent[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      let resolveEnded!: () => void;
      const ended = new Promise<void>((r) => (resolveEnded = r));
      res.setEncoding('utf8');
      const stream: EventStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        until(event, timeoutMs = 15_000) {
          return new Promise((ok, fail) => {
            const check = () => {
              const found = events.find((e) => e.event === event);
              if (found) {
                clearTimeout(timer);
                ok(found);
                return true;
              }
              return false;
            };
            const timer = setTimeout(() => fail(new Error(`no ${event} event in ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
            if (!check()) waiters.push(() => void check());
          });
        },
        close: () => req?.destroy(),
      };
      res.on('data', (text: string) => {
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
          for (const w of waiters) w();
        }
      });
      res.on('end', () => resolveEnded());
      res.on('close', () => resolveEnded());
      res.on('error', () => resolveEnded());
      if (stream.status !== 200) {
        res.on('end', () => {
          try {
            stream.errorBody = JSON.parse(buffer);
          } catch {
            stream.errorBody = buffer;
          }
        });
        void ended.then(() => resolve(stream));
        return;
      }
      resolve(stream);
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}
