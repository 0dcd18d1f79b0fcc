using System.Text;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// Interns every JSON path used by a condition (or by all conditions of a set) into a tree of slots,
/// so that during one evaluation each distinct path — and each shared prefix — is looked up in the
/// document at most once, however many policies use it.
/// </summary>
/// <remarks>INVARIANT: only mutated while compiling; read-only (and so thread-safe) once evaluation starts.</remarks>
internal sealed class PathTable
{
    public const int PayloadRoot = 0;
    public const int EvidenceRoot = 1;

    private readonly List<PathNode> _nodes = [new(-1, null, -1), new(-1, null, -1)];
    private readonly Dictionary<(int Parent, string? Name, int Index), int> _lookup = [];

    public int Count => _nodes.Count;

    public PathNode this[int slot] => _nodes[slot];

    public int Intern(FieldRef field)
    {
        var slot = field.Kind == FieldKind.Payload ? PayloadRoot : EvidenceRoot;
        foreach (var segment in field.Path)
        {
            var key = (slot, segment.Name, segment.IsIndex ? segment.Index : -1);
            if (!_lookup.TryGetValue(key, out var child))
            {
                child = _nodes.Count;
                _nodes.Add(new PathNode(slot, segment.Name is null ? null : Encoding.UTF8.GetBytes(segment.Name), segment.IsIndex ? segment.Index : -1));
                _lookup.Add(key, child);
            }

            slot = child;
        }

        return slot;
    }
}

/// <summary>One step below <see cref="Parent"/>: a property (UTF-8 name) or an array index. Roots have parent -1.</summary>
internal sealed record PathNode(int Parent, byte[]? Utf8Name, int Index);
