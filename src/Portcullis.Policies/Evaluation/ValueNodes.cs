using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>Produces an operand's value for the current request.</summary>
internal abstract class ValueNode
{
    public abstract Value Get(EvalFrame f);
}

internal sealed class ConstantNode(Value value) : ValueNode
{
    public Value Value { get; } = value;

    public override Value Get(EvalFrame f) => Value;
}

/// <summary>A fixed request field such as <c>provider</c>; null in the context means missing.</summary>
internal sealed class ContextFieldNode(FieldKind kind) : ValueNode
{
    public FieldKind Kind { get; } = kind;

    public override Value Get(EvalFrame f)
    {
        var c = f.Context;
        var s = Kind switch
        {
            FieldKind.ActionType => c.ActionType,
            FieldKind.Provider => c.Provider,
            FieldKind.ResourceType => c.ResourceType,
            FieldKind.ResourceId => c.ResourceId,
            FieldKind.AgentId => c.AgentId,
            FieldKind.AgentName => c.AgentName,
            FieldKind.AgentVersion => c.AgentVersion,
            FieldKind.RunTriggerType => c.RunTriggerType,
            _ => c.RunExternalRef,
        };
        return s is null ? Value.Missing : Value.Text(s);
    }
}

/// <summary>A <c>payload.…</c> or <c>evidence.…</c> path, resolved through the frame's slot cache.</summary>
internal sealed class JsonPathNode(int slot) : ValueNode
{
    public int Slot { get; } = slot;

    public override Value Get(EvalFrame f) => Resolve(f, Slot);

    public static Value Resolve(EvalFrame f, int slot)
    {
        var slots = f.Slots;
        if (slots[slot].Generation == f.Generation)
        {
            return slots[slot].Value;
        }

        var node = f.Paths[slot];
        Value value;
        if (node.Parent < 0)
        {
            var root = slot == PathTable.PayloadRoot ? f.Context.Payload : f.Context.Evidence;
            value = root is { } element ? Value.FromJson(element) : Value.Missing;
        }
        else
        {
            value = Step(Resolve(f, node.Parent), node);
        }

        slots[slot].Value = value;
        slots[slot].Generation = f.Generation;
        return value;
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
