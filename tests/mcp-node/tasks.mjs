// Drives the 2025-11-25 core tasks utility of a running Portcullis MCP server with the TypeScript SDK's experimental
// tasks client: a call asked to run as a task that needs an approval (approved over REST while the client polls), one
// answered at once, and a cancel. Prints one JSON line {"passed":[step…]} and exits 0, or names the failed step and
// exits 1. Usage: node tasks.mjs <baseUrl> <agentKey> <ownerToken>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { args, check, restClient, steps } from './harness.mjs';

const { baseUrl, agentKey, ownerToken } = args('tasks.mjs');
const { passed, step } = steps();
const rest = restClient(baseUrl, ownerToken);

const client = new Client({ name: 'portcullis-node-tasks', version: '1.0.0' }, { capabilities: { tasks: {} }, defaultTaskPollInterval: 200 });
await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
  requestInit: { headers: { authorization: `Bearer ${agentKey}` } },
}));
const tasks = client.experimental.tasks;
const stream = (name, args) => tasks.callToolStream({ name, arguments: args }, CallToolResultSchema, { task: {} })[Symbol.asyncIterator]();
const until = async (it, type) => {
  for (let next = await it.next(); !next.done; next = await it.next()) {
    if (next.value.type === 'error') throw next.value.error;
    if (next.value.type === type) return next.value;
  }
  throw new Error(`the stream ended before a ${type} message`);
};

await step('capabilities', async () => {
  check(client.getServerCapabilities()?.tasks?.requests?.tools?.call, `tasks for tools/call advertised: ${JSON.stringify(client.getServerCapabilities())}`);
});
await step('task-approved', async () => {
  await rest('POST', '/api/policies', {
    name: `node tasks ${Date.now()}`, condition: 'action_type = refund.create AND payload.amount > 5000', decision: 'require_approval',
  });
  const it = stream('refund.create', { charge: 'ch_task', amount: 9000 });
  const { task } = await until(it, 'taskCreated');
  check(task.taskId.startsWith('apr_') && task.status === 'working', `the task is the approval: ${JSON.stringify(task)}`);
  const polled = await tasks.getTask(task.taskId);
  check(polled.status === 'working', `still working before a decision: ${JSON.stringify(polled)}`);
  const email = `tasks-approver-${Date.now()}@node.example`;
  const password = 'a long enough password';
  const invitation = await rest('POST', '/api/workspace/members', { email, role: 'approver' });
  await rest('POST', '/api/invitations/accept', { token: invitation.token, name: 'node tasks approver', password }, null);
  const { token } = await rest('POST', '/api/auth/login', { email, password }, null);
  await rest('POST', `/api/approvals/${task.taskId}/approve`, { comment: 'node tasks' }, token);
  const { result } = await until(it, 'result');
  check(!result.isError && result.structuredContent?.id?.startsWith('re_'), `the task's result is the refund: ${JSON.stringify(result)}`);
  check(result._meta?.['io.modelcontextprotocol/related-task']?.taskId === task.taskId, 'the result names its task');
});
await step('task-immediate', async () => {
  const it = stream('charge.retrieve', { chargeId: 'ch_task' });
  const { task } = await until(it, 'taskCreated');
  check(task.taskId.startsWith('act_'), `an answered call is its action request's task: ${JSON.stringify(task)}`);
  const { result } = await until(it, 'result');
  check(!result.isError && result.structuredContent?.id === 'ch_task', `the task's result is the charge: ${JSON.stringify(result)}`);
});
await step('cancel-refused', async () => {
  const it = stream('refund.create', { charge: 'ch_task', amount: 9500 });
  const { task } = await until(it, 'taskCreated');
  let error;
  try {
    await tasks.cancelTask(task.taskId);
  } catch (err) {
    error = err;
  }
  check(error?.code === -32602 && /cannot be cancelled/.test(error.message), `cancel is refused: ${error}`);
  await it.return?.();
});
await client.close();
console.log(JSON.stringify({ passed }));
process.exit(0);
