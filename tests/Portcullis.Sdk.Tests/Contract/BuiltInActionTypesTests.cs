using System.Text.RegularExpressions;
using Portcullis.Connectors;
using Portcullis.Sdk.Tests.Infrastructure;

namespace Portcullis.Sdk.Tests.Contract;

/// <summary>
/// The TypeScript SDK promises an execution on every allowed answer of a built-in action type; its list of those types
/// must be exactly the server's connector catalogue, or the promise (and its runtime check) would be wrong.
/// </summary>
public partial class BuiltInActionTypesTests
{
    [Fact]
    public void The_typescript_sdk_lists_exactly_the_action_types_the_connectors_execute()
    {
        var source = File.ReadAllText(Repository.PathOf("sdk", "typescript", "src", "action-types.ts"));
        var list = Regex.Match(source, @"BUILT_IN_ACTION_TYPES = \[(?<items>[^\]]*)\]").Groups["items"].Value;
        var sdk = Quoted().Matches(list).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        var server = ActionCatalog.Providers.SelectMany(ActionCatalog.ActionsOf).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(server, sdk);
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();
}
