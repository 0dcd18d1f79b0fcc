using System.Text.Json;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.Twilio;

internal sealed record SmsSend(string To, string Body, string? From);

/// <summary>Twilio SMS payload schema.</summary>
internal static class TwilioActions
{
    public const string SmsSendType = "sms.send";

    /// <summary>Twilio's limit on a message body.</summary>
    public const int MaxBodyLength = 1600;

    public static readonly ActionDefinition[] Definitions = [new(SmsSendType, ProviderNames.Twilio, ParseSend)];

    public static bool IsE164(string text) =>
        text.Length is >= 3 and <= 16 && text[0] == '+' && text[1] is >= '1' and <= '9' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static ParsedPayload ParseSend(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["to", "body", "from"]);
        var to = PhoneNumber(v, "to", required: true);
        var body = v.String("body", required: true, maxLength: MaxBodyLength);
        var from = PhoneNumber(v, "from", required: false);
        return ParsedPayload.From(v, () => new SmsSend(to!, body!, from));
    }

    private static string? PhoneNumber(PayloadValidator v, string name, bool required)
    {
        var number = v.String(name, required);
        if (number is not null && !IsE164(number))
        {
            v.Add(name, "must be a phone number in e.164 format, e.g. `+14155550123`");
            return null;
        }

        return number;
    }
}
