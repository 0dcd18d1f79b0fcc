// Runs the official conformance suite's server scenarios against a running Portcullis /mcp and prints one JSON line:
// {"passed":[scenario…],"failed":{scenario:[failed check ids…]}}. Usage: node conformance.mjs <baseUrl> <agentKey> [scenario…]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeyProxy } from './proxy.mjs';

const [baseUrl, agentKey, ...only] = process.argv.slice(2);
if (!baseUrl || !agentKey) {
  console.error('usage: node conformance.mjs <baseUrl> <agentKey> [scenario…]');
  process.exit(2);
}

const bin = join(import.meta.dirname, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const listed = spawnSync(process.execPath, [bin, 'list', '--server'], { encoding: 'utf8' }).stdout;
const scenarios = only.length > 0 ? only : [...listed.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);

const proxy = await startKeyProxy(baseUrl, agentKey);
const passed = [];
const failed = {};
try {
  for (const scenario of scenarios) {
    const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
    // The suite runs in its own process (asynchronously: the proxy lives in this one); a scenario that hangs is
    // stopped after a minute and counted as failed.
    const started = Date.now();
    await run([bin, 'server', '--url', `${proxy.url}/mcp`, '--scenario', scenario, '-o', out]);
    console.error(`${scenario}: ${Date.now() - started} ms`);
    const checks = readChecks(out);
    const bad = checks.filter((c) => c.status === 'FAILURE').map((c) => c.id);
    if (checks.length > 0 && bad.length === 0) passed.push(scenario);
    else failed[scenario] = checks.length === 0 ? ['no-result'] : bad;
  }
} finally {
  proxy.close();
}
console.log(JSON.stringify({ passed, failed }));
// Keep-alive sockets would hold the process open.
process.exit(0);

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function readChecks(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'checks.json') files.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return files.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')));
}
