namespace Portcullis.Client;

/// <summary>The request got no answer: DNS, refused or reset connection, TLS failure.</summary>
public class PortcullisConnectionException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PortcullisConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The answer did not arrive within the client's time-out.</summary>
public class PortcullisTimeoutException : PortcullisConnectionException
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What timed out.</param>
    /// <param name="innerException">The underlying cancellation.</param>
    public PortcullisTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
