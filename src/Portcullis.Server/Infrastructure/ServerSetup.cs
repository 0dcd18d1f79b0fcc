using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Approvals.Email;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Bootstrap;
using Portcullis.Server.Features.Connectors;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Features.Mcp;
using Portcullis.Server.Features.McpOAuth;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Policies.Files;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Features.Workspaces.Invitations;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Server.Infrastructure.Security;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure;

/// <summary>Service registration: everything the host needs, in one place.</summary>
public static class ServerSetup
{
    public static WebApplicationBuilder AddPortcullis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PortcullisOptions>().BindConfiguration(PortcullisOptions.Section);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.Provider == StorageProvider.Sqlite || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Portcullis:Storage:ConnectionString is required when the provider is postgres")
            .ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxEventsPerBatch > 0 && o.MaxPayloadBytes > 0 && o.MaxStringLength > 0, "limits must be positive")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddOptions<InitOptions>().BindConfiguration(InitOptions.Section);
        services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.Section)
            .Validate(o => o.HstsMaxAgeDays >= 0, "Portcullis:Security:HstsMaxAgeDays must not be negative").ValidateOnStart();
        builder.AddPortcullisTelemetry();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateDatabase(sp));
        services.AddSingleton(sp => new SecretHasher(LoadPepper(sp)));
        services.AddSingleton<MemberTokens>();
        services.AddSingleton<Passwords>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<Membership>();
        services.AddSingleton<AgentKeyIssuer>();
        services.AddSingleton<AuditTrail>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddSingleton<AuditKeys>();
        services.AddSingleton<AuditChainer>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<Timeline>();
        services.AddSingleton<EventWriter>();
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<WorkspaceProvisioner>();
        services.AddPolicyEngine();
        services.AddJobs();
        services.AddChangeFeed();
        services.AddWorkflows();
        services.AddOutboundGuard();
        services.AddConnectorsAndVault(builder.Configuration);
        services.AddApprovals();
        services.AddEventSubscriptions();
        services.AddMcpGateway();
        services.AddSingleton<FirstStart>();
        services.AddUseCases();
        services.AddQueries();
        services.AddDashboard();
        services.AddMcp();
        services.AddMcpOAuth();
        // Antiforgery and sign-in cookies are protected with keys kept beside the database, not in the
        // user profile, so they survive restarts of a container with a mounted data directory.
        services.AddDataProtection();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<PortcullisOptions>, ILoggerFactory>((o, root, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(root.Value.DataDirectory, "keys", "data-protection")), logs));

        // No default scheme: only management endpoints (whose policies name the scheme) look at member
        // tokens, so agent calls never pay for a second credential lookup.
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, MemberTokenHandler>(MemberClaims.Scheme, null);
        services.AddAgentAuthentication();
        services.AddAuthorization(RolePolicies.Add);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = 429;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                await Problems.Create(429, ErrorCodes.RateLimited, "Too many requests", "too many requests from this address; retry after 60 s")
                    .ExecuteAsync(ctx.HttpContext);
            };
            o.AddPolicy(McpOAuthEndpoints.RateLimit, McpOAuthEndpoints.RateLimitPartition);
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.TryAdd("code", CodeFor(ctx.ProblemDetails.Status));
            if (ctx.ProblemDetails.Status == 503 && ctx.Exception is not null)
            {
                // The store is down, full or read-only: the same request may succeed shortly.
                ctx.ProblemDetails.Detail = "the database is unavailable or does not take writes; retry shortly";
                ctx.HttpContext.Response.Headers.RetryAfter = StoreOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            ctx.ProblemDetails.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Extensions.Remove("traceId");
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        services.AddOpenApi(o => o.CreateSchemaReferenceId = SchemaReferenceId);
        return builder;
    }

    // A use case's records are called Request and Response (StartRun.Request, LogEvents.Response…); the
    // use case names them in the OpenAPI document, or every endpoint would share one `Request` schema.
    // Records nested in an *Api group already carry full names (PoliciesApi.CheckRequest → CheckRequest).
    private static string? SchemaReferenceId(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        return id is not null && type.Type.DeclaringType is { } outer && !outer.Name.EndsWith("Api", StringComparison.Ordinal)
            ? outer.Name + id
            : id;
    }

    private static string CodeFor(int? status) => status switch
    {
        400 => ErrorCodes.ValidationFailed,
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        405 => "method_not_allowed",
        409 => ErrorCodes.Conflict,
        413 => ErrorCodes.PayloadTooLarge,
        415 => ErrorCodes.UnsupportedMediaType,
        429 => ErrorCodes.RateLimited,
        503 => ErrorCodes.ServiceUnavailable,
        _ => ErrorCodes.InternalError,
    };

    private static Database CreateDatabase(IServiceProvider sp)
    {
        var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        var root = sp.GetRequiredService<IOptions<PortcullisOptions>>().Value;
        var connectionString = storage.Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? Database.SqliteConnectionStringFor(root.DataDirectory)
            : storage.ConnectionString!;
        return new Database(storage.Provider, connectionString);
    }

    // The pepper comes from configuration (shared by every instance of a cluster) or, on a single
    // machine, from an owner-only key file created on first start.
    private static byte[] LoadPepper(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IConfiguration>()["Portcullis:Security:Pepper"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Convert.FromBase64String(configured);
        }

        var dataDirectory = sp.GetRequiredService<IOptions<PortcullisOptions>>().Value.DataDirectory;
        return KeyFiles.LoadOrCreate(Path.Combine(dataDirectory, "keys", "pepper.key"));
    }

    public static WebApplication MapPortcullis(this WebApplication app)
    {
        app.UseKnownProxies();
        app.UseResponseSecurityHeaders();
        app.UseRequestIds();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ex => StoreOutage.Is(ex) ? 503 : 500 });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOpenApi();
        app.MapPortcullisMetrics();

        var agents = app.MapGroup("/api").WithTags("Agent API").RequireAgentKey();
        agents.MapIngest();
        agents.MapPost("/actions/request", RequestAction.Handle).WithBillingLock().AcceptsAgentJson<RequestAction.Request>()
            .Produces<ActionAnswer>().ProducesProblem(400).ProducesProblem(409);
        // Ask before acting: the same body, guards and problems as a request (key in the header); answers the decision, records nothing.
        agents.MapPost("/actions/check", ActionCheck.Handle).WithBillingLock().ReadsAgentJson<RequestAction.Request>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        var management = app.MapGroup("/api").WithTags("Management API");
        management.MapAuth();
        management.MapWorkspace();
        management.MapMembers();
        management.MapWorkspaces();
        management.MapInvitations();
        management.MapAgents();
        management.MapFreeze();
        management.MapRunsQuery();
        management.MapPolicies();
        management.MapPolicyFiles();
        management.MapAlerts();
        management.MapReconcile();
        management.MapCredentials();
        management.MapIntegrations();
        management.MapConnectors();
        management.MapOAuth();
        management.MapApprovals();
        management.MapEventSubscriptions();
        management.MapWorkflows();
        app.MapWorkflowHooks();
        management.MapMcpGateway();
        management.MapMcpTools();
        app.MapMcpServer();
        app.MapMcpOAuth(management);
        app.MapApprovalEmail();
        app.MapDashboard();
        return app;
    }
}
