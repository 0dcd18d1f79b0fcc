using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// Produces an operand's value for the current request, by reference: values live in the frame's
/// slots (or in the node, for constants), so predicates compare them without copying.
/// </summary>
internal abstract class ValueNode
{
    public abstract ref readonly Value Get(EvalFrame f);
}

internal sealed class ConstantNode(Value value) : ValueNode
{
    private readonly Value _value = value;

    public override ref readonly Value Get(EvalFrame f) => ref _value;
}

/// <summary>A fixed request field such as <c>provider</c>; null in the context means missing.</summary>
internal sealed class ContextFieldNode(FieldKind kind, int slot) : ValueNode
{
    public override ref readonly Value Get(EvalFrame f)
    {
        ref var s = ref f.Slots[slot];
        if (s.Generation != f.Generation)
        {
            var c = f.Context;
            var text = kind switch
            {
                FieldKind.ActionType => c.ActionType,
                FieldKind.Provider => c.Provider,
                FieldKind.ResourceType => c.ResourceType,
                FieldKind.ResourceId => c.ResourceId,
                FieldKind.AgentId => c.AgentId,
                FieldKind.AgentName => c.AgentName,
                FieldKind.AgentVersion => c.AgentVersion,
                FieldKind.RunTriggerType => c.RunTriggerType,
                FieldKind.Source => c.Source,
                FieldKind.WorkflowId => c.WorkflowId,
                FieldKind.WorkflowName => c.WorkflowName,
                FieldKind.WorkflowStep => c.WorkflowStep,
                _ => c.RunExternalRef,
            };
            s.Value = text is null ? Value.Missing : Value.Text(text);
            s.Generation = f.Generation;
        }

        return ref s.Value;
    }
}

/// <summary>A <c>payload.…</c>, <c>evidence.…</c> or <c>context.…</c> path, resolved once per evaluation through the slot tree.</summary>
internal sealed class JsonPathNode(int slot) : ValueNode
{
    public override ref readonly Value Get(EvalFrame f)
    {
        // Most reads find the path already resolved in this evaluation; only a miss walks the document.
        ref var s = ref f.Slots[slot];
        return ref s.Generation == f.Generation ? ref s.Value : ref Resolve(f, slot);
    }

    public static ref readonly Value Resolve(EvalFrame f, int slot)
    {
        // INVARIANT: the slot array is not replaced during an evaluation, so these refs stay valid.
        ref var s = ref f.Slots[slot];
        if (s.Generation == f.Generation)
        {
            return ref s.Value;
        }

        var node = f.Table[slot];
        if (node.Parent < 0)
        {
            var root = slot switch
            {
                SlotTable.PayloadRoot => f.Context.Payload,
                SlotTable.EvidenceRoot => f.Context.Evidence,
                _ => f.Context.Context,
            };
            s.Value = root is { } element ? Value.FromJson(element) : Value.Missing;
        }
        else
        {
            s.Value = Step(in Resolve(f, node.Parent), node);
        }

        s.Generation = f.Generation;
        return ref s.Value;
    }

    private static Value Step(in Value parent, PathNode node)
    {
        if (node.Utf8Name is { } name)
        {
            return parent.Kind == ValueKind.Object && parent.Json.TryGetProperty(name, out var child)
                ? Value.FromJson(child)
                : Value.Missing;
        }

        return parent.Kind == ValueKind.Array && node.Index < parent.Json.GetArrayLength()
            ? Value.FromJson(parent.Json[node.Index])
            : Value.Missing;
    }
}
