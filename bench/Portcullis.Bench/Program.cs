using Portcullis.Bench;

// Load generators for a running Portcullis. Never run as tests: figures go to docs/benchmarks.md.
//   ingest   batches of agent events, against a raw SQLite insert of the same rows
//   actions  requestAction with an allow decision and the demo connector (--clients N, or --rate R per second)
//   mcp      the same action as an MCP tools/call against REST, alternating rounds, with the MCP/REST ratios
//   workflows  runs of a five-step demo workflow, started and long-polled to the end, on SQLite and PostgreSQL
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBench.RunAsync(BenchArgs.Parse(args[1..])),
    "actions" => await ActionsBench.RunAsync(BenchArgs.Parse(args[1..])),
    "mcp" => await McpBench.RunAsync(BenchArgs.Parse(args[1..])),
    "workflows" => await WorkflowsBench.RunAsync(BenchArgs.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Portcullis.Bench -- ingest [--clients N] [--seconds S] [--batch 100] [--store sqlite|postgres] [--url URL --key KEY]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Portcullis.Bench -- actions [--clients N | --rate R [--connections 32]] [--seconds S] [--warmup 3] [--action custom] [--store sqlite|postgres]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Portcullis.Bench -- mcp [--clients 8] [--seconds 10] [--rounds 3] [--warmup 3] [--protocol 2026-07-28|2025-11-25] [--store sqlite|postgres]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Portcullis.Bench -- workflows [--clients N] [--seconds S] [--warmup S] [--store sqlite|postgres|sqlite,postgres] [--check]");
    Console.Error.WriteLine("  every mode: --store postgres runs the server on a fresh PostgreSQL database: on --connection CONNECTION (a role that may");
    Console.Error.WriteLine("  create databases), else on a throw-away server started with scripts/start-postgres.sh (durable; --pg-durable off: not)");
    return 2;
}
