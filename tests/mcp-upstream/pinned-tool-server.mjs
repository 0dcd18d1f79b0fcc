// A tiny upstream MCP server for the gateway tests: one tool, `lookup`, whose description comes from
// TOOL_DESCRIPTION, so a test can restart it with another value and see a changed definition blocked.
// With REQUIRED_TOKEN set, every request must carry `Authorization: Bearer <token>` (the sealed credential).
// EXTRA_TOOL names a second tool to list (a refresh then finds a new tool).
// CALL_DELAY_MS holds each call open (crash-recovery tests). It counts the tools/call requests it receives: GET /calls answers the count, so a test can prove a call was never sent.
import http from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const port = Number(process.env.PORT ?? 3002);
const description = process.env.TOOL_DESCRIPTION ?? "Looks up a record by id";
const token = process.env.REQUIRED_TOKEN;
const callDelayMs = Number(process.env.CALL_DELAY_MS ?? 0);
const extraTool = process.env.EXTRA_TOOL;
let calls = 0;

function createServer() {
  const server = new McpServer({ name: "pinned-tool-server", version: "1.0.0" });
  server.registerTool("lookup", {
    description,
    inputSchema: { id: z.string().min(1).describe("Record id") },
    annotations: { readOnlyHint: false, idempotentHint: false },
  }, async ({ id }) => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, callDelayMs));
    if (id === "missing") {
      return { isError: true, content: [{ type: "text", text: `no record ${id}` }] };
    }
    return { content: [{ type: "text", text: `record ${id}` }], structuredContent: { id, found: true } };
  });
  if (extraTool) {
    server.registerTool(extraTool, { description: "An extra tool" }, async () => ({ content: [{ type: "text", text: "extra" }] }));
  }
  return server;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}

http.createServer(async (req, res) => {
  if (req.url === "/calls") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ calls }));
    return;
  }
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "unauthorized" }));
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  // Stateless: a server and transport per request, as the SDK's stateless example does.
  const server = createServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, await readJson(req));
}).listen(port, "127.0.0.1", () => console.error(`pinned-tool-server listening on port ${port}`));
