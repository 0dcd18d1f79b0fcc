using System.Globalization;
using System.Text;

namespace Portcullis.Bench;

/// <summary>Realistic agent events of about 300 bytes of JSON each.</summary>
public static class EventFactory
{
    public const string EventType = "tool.called";

    /// <summary>The payload every bench event carries (the same text is inserted by the raw baseline).</summary>
    public const string Payload =
        """{"tool":"knowledge_base.search","query":"customer reports a defective blender, order 88123, wants a refund","documentsFound":3,"relevanceScore":0.92,"latencyMs":184,"model":"gpt-x-mini","tokens":{"prompt":812,"completion":64}}""";

    public static int EventJsonBytes => Encoding.UTF8.GetByteCount(Event(123456));

    public static string Event(long seq) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"eventType":"{{EventType}}","sequenceNo":{{seq}},"payload":{{Payload}}}""");

    public static byte[] Batch(string runId, long firstSeq, int count)
    {
        var sb = new StringBuilder(count * 320);
        sb.Append("{\"runId\":\"").Append(runId).Append("\",\"events\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(Event(firstSeq + i));
        }

        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
