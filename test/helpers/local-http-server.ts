import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Handles a request once its whole body has arrived. */
export type BodyHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/**
 * An HTTP server on 127.0.0.1 at a free port, handing each request to `handle` with its body:
 * what the tests' stand-ins for outside services are built on.
 */
export async function listenLocally(handle: BodyHandler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes `server` at once, open connections included. */
export async function closeNow(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
