// Drives a running Portcullis MCP server with the TypeScript SDK client: list, call (allow, block, approval then
// approve over REST then the wait tool) and bad arguments. Prints one JSON line {"passed":[step…]} and exits 0, or
// names the failed step and exits 1. Usage: node drive.mjs <baseUrl> <agentKey> <ownerToken>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { args, check, restClient, steps } from './harness.mjs';

const { baseUrl, agentKey, ownerToken } = args('drive.mjs');
const { passed, step } = steps();
const rest = restClient(baseUrl, ownerToken);
const connect = async () => {
  const client = new Client({ name: 'portcullis-node-driver', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { authorization: `Bearer ${agentKey}` } },
  });
  await client.connect(transport);
  return client;
};

const client = await connect();
await step('list', async () => {
  const { tools } = await client.listTools();
  const refund = tools.find((t) => t.name === 'refund.create');
  check(refund?.annotations?.destructiveHint === true, 'refund.create is listed as destructive');
  check(refund.inputSchema.type === 'object', 'refund.create has an object input schema');
  check(tools.some((t) => t.name === 'portcullis_wait_for_approval'), 'the wait tool is listed');
});
await step('call-allow', async () => {
  const result = await client.callTool({ name: 'charge.retrieve', arguments: { chargeId: 'ch_node' } });
  check(!result.isError, `allowed call failed: ${JSON.stringify(result)}`);
  check(result.structuredContent?.id === 'ch_node', 'the execution response is the structured content');
  check(result._meta?.['portcullis/runId']?.startsWith('run_'), 'the call names its run');
});
await step('call-block', async () => {
  await rest('POST', '/api/policies', {
    name: `node block ${Date.now()}`, condition: 'action_type = customer.retrieve AND source = mcp', decision: 'block', reason: 'no customer reads',
  });
  const fresh = await connect();
  const { tools } = await fresh.listTools();
  check(!tools.some((t) => t.name === 'customer.retrieve'), 'an always-blocked tool is not listed');
  const result = await fresh.callTool({ name: 'customer.retrieve', arguments: { customerId: 'cus_1' } });
  check(result.isError === true && JSON.stringify(result.content).includes('no customer reads'), `blocked: ${JSON.stringify(result)}`);
  await fresh.close();
});
await step('call-approval', async () => {
  await rest('POST', '/api/policies', {
    name: `node approval ${Date.now()}`, condition: 'action_type = refund.create AND payload.amount > 5000', decision: 'require_approval',
  });
  const asked = await client.callTool({ name: 'refund.create', arguments: { charge: 'ch_node', amount: 9000 } });
  check(!asked.isError, `approval request is not an error: ${JSON.stringify(asked)}`);
  const { approvalId, approvalUrl } = asked.structuredContent;
  check(approvalUrl.endsWith(`/approvals/${approvalId}`), 'the result links the dashboard page');
  const waiting = client.callTool({ name: 'portcullis_wait_for_approval', arguments: { approvalId } }, undefined, { timeout: 70_000 });
  // The owner may not approve their own agent's request: a second member, an approver, decides.
  const email = `approver-${Date.now()}@node.example`;
  const password = 'a long enough password';
  const invitation = await rest('POST', '/api/workspace/members', { email, role: 'approver' });
  await rest('POST', '/api/invitations/accept', { token: invitation.token, name: 'node approver', password }, null);
  const { token } = await rest('POST', '/api/auth/login', { email, password }, null);
  await rest('POST', `/api/approvals/${approvalId}/approve`, { comment: 'node driver' }, token);
  const done = await waiting;
  check(!done.isError && done.structuredContent?.id?.startsWith('re_'), `the wait tool returns the refund: ${JSON.stringify(done)}`);
});
await step('bad-arguments', async () => {
  const result = await client.callTool({ name: 'refund.create', arguments: { amount: 'lots' } });
  const errors = result.structuredContent?.errors ?? {};
  check(result.isError === true && 'amount' in errors && 'charge' in errors, `every bad field is named: ${JSON.stringify(result)}`);
});
await client.close();
console.log(JSON.stringify({ passed }));
process.exit(0);
