using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Infrastructure;

/// <summary>Workflows: definitions, the runner (job kind <c>workflow</c>) and the schedule trigger (job kind <c>workflow_schedule</c>).</summary>
public static class WorkflowServices
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services)
    {
        services.AddSingleton<WorkflowStore>();
        services.AddSingleton<WebhookTokens>();
        services.AddSingleton<WorkflowSchedules>();
        services.AddSingleton<SaveWorkflow>();
        services.AddSingleton<DeleteWorkflow>();
        services.AddSingleton<Features.Workflows.DryRun.WorkflowTestRun>();
        services.AddSingleton<StartWorkflowRun>();
        services.AddSingleton<CancelWorkflowRun>();
        services.AddSingleton<WorkflowRunQueries>();
        services.AddSingleton<WorkflowRunSignals>();
        services.AddSingleton<WorkflowRunWriter>();
        services.AddSingleton<WorkflowWake>();
        services.AddSingleton<WorkflowRunner>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<WorkflowRunner>());
        services.AddSingleton<ScheduleFirer>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<ScheduleFirer>());
        return services;
    }
}
