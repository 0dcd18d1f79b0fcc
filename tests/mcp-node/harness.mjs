// What the driver scripts share: their arguments, named steps that stop at the first failure with one JSON line, and a
// REST helper for the owner's side (deciding approvals while a client waits).

/** `<baseUrl> <agentKey> <ownerToken>` from the command line; exits 2 with the usage line when one is missing. */
export function args(script) {
  const [baseUrl, agentKey, ownerToken] = process.argv.slice(2);
  if (!baseUrl || !agentKey || !ownerToken) {
    console.error(`usage: node ${script} <baseUrl> <agentKey> <ownerToken>`);
    process.exit(2);
  }
  return { baseUrl, agentKey, ownerToken };
}

/** Named steps: each passed one is listed; the first failure prints {passed, failed, error} and exits 1. */
export function steps() {
  const passed = [];
  const step = async (name, body) => {
    try {
      await body();
      passed.push(name);
    } catch (err) {
      console.log(JSON.stringify({ passed, failed: name, error: String(err?.stack ?? err) }));
      process.exit(1);
    }
  };
  return { passed, step };
}

export const check = (ok, what) => {
  if (!ok) throw new Error(what);
};

/** A JSON REST call as the owner (or another bearer token); a non-2xx answer fails the step. */
export function restClient(baseUrl, ownerToken) {
  return async (method, path, body, token = ownerToken) => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    check(res.ok, `${method} ${path} answered ${res.status}: ${await res.clone().text()}`);
    return res.json();
  };
}
