import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach } from "node:test";
import { PortcullisClient } from "../src/index.js";
import { AGENT_KEY } from "./fixtures.js";

/** What the fake server received. */
export interface Received {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none. */
  body: any;
}

/** How the fake server answers one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Wait this long before answering: slow servers and long-polls. */
  delayMs?: number;
  /** Drop the connection without an answer. */
  reset?: boolean;
}

/** A local HTTP server that records every request and answers from a queue of replies. */
export class FakeServer {
  readonly received: Received[] = [];
  readonly #queue: Reply[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeServer> {
    const server = createServer();
    const fake = new FakeServer(server);
    server.on("request", (req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (raw += chunk));
      req.on("end", () => {
        fake.received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
        const reply = fake.#queue.shift() ?? { status: 599, body: { detail: "the test queued no reply" } };
        setTimeout(() => {
          if (reply.reset) {
            req.socket.destroy();
            return;
          }
          const isText = typeof reply.body === "string";
          const contentType = (reply.status ?? 200) >= 400 ? "application/problem+json" : "application/json";
          res.writeHead(reply.status ?? 200, { "Content-Type": isText ? "text/html" : contentType, ...reply.headers });
          res.end(reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Queues replies, answered in order. */
  reply(...replies: Reply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  /** Forgets what was received and drops replies a test left unused. */
  reset(): void {
    this.received.length = 0;
    this.#queue.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A problem-details body as the Portcullis server sends it. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return { type: `https://portcullis.dev/problems/${code}`, title: code, status, code, detail, ...extra };
}

/**
 * One fake server for the enclosing `describe`, emptied before each test, with a fresh client on it.
 * Call it inside `describe`; `ready` hands over the server and that test's client.
 */
export function useFakeServer(ready: (server: FakeServer, client: PortcullisClient) => void): void {
  let server: FakeServer;
  before(async () => {
    server = await FakeServer.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    ready(server, new PortcullisClient(server.url, AGENT_KEY));
  });
}
