// Starts a workflow by id, waits for it through its approvals and prints each step. The last line is a
// JSON summary. Run from the repository root: dotnet run --project samples/dotnet/WorkflowRunner [-- wf_…]
using System.Globalization;
using System.Text.Json;
using Portcullis.Client;
using WorkflowRunner;

var baseUrl = Environment.GetEnvironmentVariable("PORTCULLIS_BASE_URL");
var agentKey = Environment.GetEnvironmentVariable("PORTCULLIS_AGENT_KEY");
var workflowId = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PORTCULLIS_WORKFLOW_ID");
if (string.IsNullOrEmpty(baseUrl) || string.IsNullOrEmpty(agentKey) || string.IsNullOrEmpty(workflowId))
{
    Console.Error.WriteLine("set PORTCULLIS_BASE_URL, PORTCULLIS_AGENT_KEY and PORTCULLIS_WORKFLOW_ID (or pass the workflow id)");
    return 2;
}

var input = JsonSerializer.Deserialize<JsonElement>(Environment.GetEnvironmentVariable("WORKFLOW_INPUT") ?? "{}");
var timeout = TimeSpan.FromSeconds(double.Parse(
    Environment.GetEnvironmentVariable("WORKFLOW_TIMEOUT_SECONDS") ?? "120", CultureInfo.InvariantCulture));

using var portcullis = new PortcullisClient(new Uri(baseUrl), agentKey);
try
{
    return await new WorkflowWatch(portcullis, new Uri(baseUrl), timeout).RunAsync(workflowId, input);
}
catch (PortcullisException e)
{
    Console.WriteLine($"error: {e.Status} {e.Code}: {e.Message} (request {e.RequestId ?? "?"})");
    return 1;
}
catch (PortcullisConnectionException e)
{
    Console.WriteLine($"error: {e.Message}");
    return 1;
}
