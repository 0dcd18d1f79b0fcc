using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Portcullis.Policies.Tooling;

/// <summary>Writes a <see cref="PolicyEvaluation"/> in the shape of the decision part of the API answer.</summary>
internal static class EvaluationJson
{
    public static string Write(PolicyEvaluation evaluation)
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteString("decision", PolicyDecisions.ToWire(evaluation.Decision));
            w.WriteString("reason", evaluation.Reason);
            w.WriteStartArray("matchedPolicies");
            foreach (var m in evaluation.Matched)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("decision", PolicyDecisions.ToWire(m.Decision));
                w.WriteString("reason", m.Reason);
                w.WriteNumber("priority", m.Priority);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("errors");
            foreach (var e in evaluation.Errors)
            {
                w.WriteStartObject();
                w.WriteString("policy", e.PolicyName);
                w.WriteString("code", e.Code);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
