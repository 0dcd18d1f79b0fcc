using Portcullis.Client.Http;

namespace Portcullis.Client.Tests;

public sealed class RetryDelayTests
{
    [Fact]
    public void Backoff_grows_exponentially_with_jitter_up_to_8_seconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryDelay.For(0, null, random: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(500), RetryDelay.For(0, null, random: 1));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), RetryDelay.For(1, null, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(8), RetryDelay.For(10, null, random: 1));
    }

    [Fact]
    public void Retry_After_is_followed_up_to_a_minute_and_longer_is_refused()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), RetryDelay.For(0, TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDelay.For(0, TimeSpan.FromSeconds(60)));
        Assert.Null(RetryDelay.For(0, TimeSpan.FromSeconds(61)));
    }
}
