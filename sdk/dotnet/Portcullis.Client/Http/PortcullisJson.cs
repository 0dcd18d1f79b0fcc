using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Client.Http;

/// <summary>The one set of JSON settings for the wire: camelCase names, nulls left out.</summary>
internal static class PortcullisJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
