using Portcullis.Server.Features.McpGateway;

namespace Portcullis.Server.Tests.McpGateway;

/// <summary>The pin: a hash over a canonical form of a tool's name, description and input schema.</summary>
public sealed class ToolDefinitionTests
{
    private static ToolDefinition Tool(string schema, string? description = "Echoes", string name = "echo") =>
        new(name, description, schema, null, null, null, null);

    [Fact]
    public void The_hash_ignores_key_order_and_whitespace_but_not_content()
    {
        var a = Tool("""{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}""");
        var b = Tool("""{ "required": ["message"], "properties": { "message": { "type": "string" } }, "type": "object" }""");

        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, Tool("""{"type":"object","properties":{"message":{"type":"number"}}}""").Hash);
        Assert.NotEqual(a.Hash, (a with { Description = "Echoes, and more" }).Hash);
        Assert.NotEqual(a.Hash, (a with { Name = "echo2" }).Hash);
        Assert.NotEqual(a.Hash, (a with { Description = null }).Hash);
        // Annotations are hints, not what the tool does: they are not pinned.
        Assert.Equal(a.Hash, (a with { IdempotentHint = true }).Hash);
    }

    [Theory]
    [InlineData("mcp.files.read", "files", "read")]
    [InlineData("mcp.files.read.v2", "files", "read.v2")]
    public void Gateway_action_types_split_into_server_and_tool(string actionType, string server, string tool)
    {
        Assert.True(McpNames.TryParse(actionType, out var s, out var t));
        Assert.Equal((server, tool), (s, t));
        Assert.Equal($"{server}__{tool}", McpNames.ToolName(s, t));
    }

    [Theory]
    [InlineData("mcp.Files.read")]
    [InlineData("mcp.files")]
    [InlineData("mcp..read")]
    [InlineData("refund.create")]
    public void Anything_else_is_not_a_gateway_tool(string actionType) =>
        Assert.False(McpNames.TryParse(actionType, out _, out _));
}
