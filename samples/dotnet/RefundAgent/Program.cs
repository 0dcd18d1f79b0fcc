// The support agent refund flow of docs/sdks.md, with the .NET SDK. Prints one line per step; the
// last line is a JSON summary. Run from the repository root: dotnet run --project samples/dotnet/RefundAgent
using System.Globalization;
using Portcullis.Client;
using RefundAgent;

var baseUrl = Environment.GetEnvironmentVariable("PORTCULLIS_BASE_URL");
var agentKey = Environment.GetEnvironmentVariable("PORTCULLIS_AGENT_KEY");
if (string.IsNullOrEmpty(baseUrl) || string.IsNullOrEmpty(agentKey))
{
    Console.Error.WriteLine("set PORTCULLIS_BASE_URL and PORTCULLIS_AGENT_KEY");
    return 2;
}

var ticket = new Ticket(Environment.GetEnvironmentVariable("TICKET_ID") ?? "TKT-1042", "premium", "My blender arrived broken.");
var amount = long.Parse(Environment.GetEnvironmentVariable("REFUND_AMOUNT") ?? "7999", CultureInfo.InvariantCulture); // cents: $79.99
var approvalTimeout = TimeSpan.FromSeconds(double.Parse(
    Environment.GetEnvironmentVariable("APPROVAL_TIMEOUT_SECONDS") ?? "60", CultureInfo.InvariantCulture));

using var portcullis = new PortcullisClient(new Uri(baseUrl), agentKey);
return await new RefundFlow(portcullis, new Uri(baseUrl), ticket, amount, approvalTimeout).RunAsync();
