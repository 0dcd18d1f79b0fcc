// A pass-through HTTP proxy that adds the agent key: the conformance suite's client sends no credentials.
import http from 'node:http';

export function startKeyProxy(target, agentKey) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    // Host and Origin pass unchanged, so the server's DNS-rebinding check sees what the client sent.
    const headers = { ...req.headers, authorization: `Bearer ${agentKey}` };
    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); server.close(); } }));
  });
}
