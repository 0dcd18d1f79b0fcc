using System.Text;
using Portcullis.Connectors.Gmail;
using Portcullis.Connectors.Tests.Infrastructure;

namespace Portcullis.Connectors.Tests.Providers;

public class MimeMessageBuilderTests
{
    [Fact]
    public void Long_non_ascii_subjects_split_into_valid_encoded_words_without_breaking_characters()
    {
        var subject = string.Concat(Enumerable.Repeat("Grüße aus Köln 🎉 — ", 8));

        var encoded = MimeMessageBuilder.EncodeText(subject, "Subject: ".Length);

        var words = encoded.Split("\r\n ");
        Assert.True(words.Length > 3);
        Assert.All(words, w => Assert.True(w.Length <= 75, $"encoded-word of {w.Length} characters"));
        Assert.All(words, w => Encoding.UTF8.GetString(Convert.FromBase64String(w[10..^2])).EnumerateRunes().ToList());
        Assert.Equal(subject, MimeReader.DecodeWords(encoded));
    }

    [Fact]
    public void Short_ascii_subjects_stay_readable() =>
        Assert.Equal("Order 42 refunded", MimeMessageBuilder.EncodeText("Order 42 refunded", 9));

    [Fact]
    public void Long_ascii_subjects_are_encoded_so_no_header_line_grows_too_long()
    {
        var subject = new string('a', 300);

        var encoded = MimeMessageBuilder.EncodeText(subject, 9);

        Assert.All(encoded.Split("\r\n"), line => Assert.True(line.Length <= 78));
        Assert.Equal(subject, MimeReader.DecodeWords(encoded));
    }

    [Fact]
    public void Many_recipients_fold_onto_continuation_lines()
    {
        var to = Enumerable.Range(1, 40).Select(i => $"recipient{i}@example.com").ToList();
        var bytes = MimeMessageBuilder.Build(new EmailSend(to, [], [], "s", "t", null, null, null), FixedTime.Default, "b");

        var raw = Encoding.ASCII.GetString(bytes);

        Assert.All(raw.Split("\r\n"), line => Assert.True(line.Length <= 998));
        Assert.Equal(string.Join(", ", to), MimeReader.Parse(raw).Header("To"));
    }
}
