using Portcullis.Connectors.Security;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Execution;

public class SecretRedactorTests
{
    private readonly SecretRedactor _redactor = new(["tok/en+secret=1", "abc"]);

    [Fact]
    public void Secrets_are_replaced_in_values_names_nested_arrays_and_url_encoded_form()
    {
        var redacted = _redactor.Redact(Json("""{"a": "x tok/en+secret=1 y", "tok/en+secret=1": [1, {"b": "tok%2Fen%2Bsecret%3D1"}], "n": 5, "t": true, "z": null}"""));

        Assert.Equal("""{"a":"x [redacted] y","[redacted]":[1,{"b":"[redacted]"}],"n":5,"t":true,"z":null}""", redacted.GetRawText());
    }

    [Fact]
    public void Json_without_secrets_is_returned_unchanged_and_short_values_are_not_treated_as_secrets()
    {
        var original = Json("""{"label": "abc", "list": [ 1, 2 ]}""");

        Assert.Equal(original.GetRawText(), _redactor.Redact(original).GetRawText());
        Assert.Equal("abc", _redactor.Redact("abc"));
    }
}
