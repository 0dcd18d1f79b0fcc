using System.Text.Json;
using Portcullis.Policies.Tests.Support;

namespace Portcullis.Policies.Tests.Conformance;

/// <summary>
/// Runs every case of Conformance/*.json. A case has a condition and either <c>expect</c> (true or
/// false against <c>input</c>, or the file's default input), <c>error</c> (a parse diagnostic code)
/// or <c>evalError</c> (an evaluation error code). Cases that evaluate are checked twice: through
/// <see cref="CompiledCondition"/> and through a one-policy <see cref="PolicySet"/>, whose action-type
/// index and residual conditions must agree.
/// </summary>
public class ConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conformance");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (file, name, _, _) in LoadAll())
        {
            data.Add($"{file}: {name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string id)
    {
        var (_, _, testCase, defaultInput) = LoadAll().Single(c => $"{c.File}: {c.Name}" == id);
        var condition = testCase.GetProperty("condition").GetString()!;
        var parsed = PolicyCondition.Parse(condition);

        if (testCase.TryGetProperty("error", out var error))
        {
            Assert.False(parsed.Success, $"expected {error.GetString()} but the condition parsed");
            Assert.Contains(error.GetString(), parsed.Diagnostics.Select(d => d.Code));
            Assert.Equal(error.GetString(), parsed.Diagnostics[0].Code);
            return;
        }

        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        var input = testCase.TryGetProperty("input", out var own) ? own : defaultInput;
        var request = Requests.FromRequestJson(input);
        var outcome = parsed.Condition!.Evaluate(request.Context, request.Velocity);
        var viaSet = PolicySet.Compile([new PolicyDefinition("p1", "case", condition, PolicyDecision.Block)]).Set
            .Evaluate(request.Context, PolicyDecision.Allow, request.Velocity);

        if (testCase.TryGetProperty("evalError", out var evalError))
        {
            Assert.Equal(evalError.GetString(), outcome.ErrorCode);
            Assert.Equal(evalError.GetString(), Assert.Single(viaSet.Errors).Code);
            Assert.Equal(PolicyDecision.Block, viaSet.Decision); // a block that cannot be evaluated applies
            return;
        }

        var expected = testCase.GetProperty("expect").GetBoolean();
        Assert.False(outcome.IsError, outcome.ErrorMessage);
        Assert.Equal(expected, outcome.IsMatch);
        Assert.Empty(viaSet.Errors);
        Assert.Equal(expected, viaSet.Winner is not null);
    }

    [Fact]
    public void Conformance_suite_is_large_and_names_are_unique()
    {
        var all = LoadAll().ToList();
        Assert.True(all.Count >= 120, $"only {all.Count} conformance cases");
        Assert.Equal(all.Count, all.Select(c => $"{c.File}: {c.Name}").Distinct().Count());
    }

    private static IEnumerable<(string File, string Name, JsonElement Case, JsonElement Input)> LoadAll()
    {
        foreach (var path in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement.Clone();
            var input = root.GetProperty("input");
            foreach (var testCase in root.GetProperty("cases").EnumerateArray())
            {
                yield return (Path.GetFileNameWithoutExtension(path), testCase.GetProperty("name").GetString()!, testCase, input);
            }
        }
    }
}
