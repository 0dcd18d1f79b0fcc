using System.Net;
using System.Net.Sockets;

namespace Portcullis.Connectors.Security;

/// <summary>
/// SECURITY: keeps URLs that admins or agents supply (approval callbacks, webhook credentials, MQTT brokers, upstream MCP servers) on https
/// and off loopback, private, link-local, shared and metadata addresses unless the operator allowed them in
/// <c>Portcullis:Network:AllowedTargets</c> (host names, IP addresses or CIDR ranges). The check runs twice: on the URL when
/// it is saved, for a clear answer, and on every connection, so a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class OutboundGuard
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IpRange> _ranges = [];
    private readonly bool _allowHttp;

    /// <summary>A guard that lets through the internal targets named in <paramref name="allowedTargets"/>.</summary>
    /// <param name="allowedTargets">Host names, addresses or CIDR ranges that may be reached although internal; plain http to them is allowed too.</param>
    /// <param name="allowHttp">Whether plain http is allowed to every target (else only https, but for the allowed targets).</param>
    public OutboundGuard(IEnumerable<string> allowedTargets, bool allowHttp = false)
    {
        _allowHttp = allowHttp;
        foreach (var entry in allowedTargets.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IpRange.TryParse(entry, out var range))
            {
                _ranges.Add(range);
            }
            else
            {
                _hosts.Add(entry);
            }
        }
    }

    /// <summary>
    /// Why the URL text may not be used (lowercase, no final period), or null when it may: its shape
    /// (<see cref="ShapeProblem"/>), then every address its host resolves to.
    /// </summary>
    public async Task<string?> ProblemAsync(string text, OutboundUrlRules rules, CancellationToken ct)
    {
        if (ShapeProblem(text, rules) is { } shape)
        {
            return shape;
        }

        return await ProblemAsync(new Uri(text, UriKind.Absolute), ct);
    }

    /// <summary>
    /// What is wrong with the URL text without looking its host up: control characters or spaces, not http(s), plain http
    /// where not allowed, user info, a query or fragment the rules refuse.
    /// </summary>
    public string? ShapeProblem(string text, OutboundUrlRules rules)
    {
        // Uri trims and drops some of these silently; refuse them on the text so a header can never be smuggled in.
        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "must not contain spaces or control characters (CR, LF)";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.IdnHost.Length == 0)
        {
            return "must be an absolute https URL";
        }

        return url.UserInfo.Length > 0 ? "must not carry user info (`user:password@`)"
            : url.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal) ? "must not have a fragment (`#…`)"
            : !rules.AllowQuery && (url.Query.Length > 0 || text.Contains('?', StringComparison.Ordinal)) ? "must not have a query (`?…`)"
            : url.Scheme == "http" && !_allowHttp && !Configured(url.IdnHost)
                ? "must use https; an operator can allow http with Portcullis:Network:AllowHttp or for the hosts in Portcullis:Network:AllowedTargets"
            : null;
    }

    /// <summary>Why the URL may not be used (lowercase, no final period), or null when it may.</summary>
    public async Task<string?> ProblemAsync(Uri url, CancellationToken ct)
    {
        if (url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0)
        {
            return "must be an absolute http or https URL without user info";
        }

        return await HostProblemAsync(url.IdnHost, ct);
    }

    /// <summary>
    /// Why a connection to <paramref name="host"/> may not be opened (lowercase, no final period), or null when it may: every
    /// address it resolves to is checked. For URLs of other schemes (an MQTT broker) whose shape their own rules check.
    /// </summary>
    public async Task<string?> HostProblemAsync(string host, CancellationToken ct)
    {
        if (_hosts.Contains(host))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, ct);
        }
        catch (SocketException)
        {
            return $"the host `{host}` does not resolve";
        }

        var refused = addresses.FirstOrDefault(a => !Allows(host, a));
        return refused is null ? null
            : $"`{host}` is a loopback, private, link-local or metadata address ({refused}); an operator can allow it in Portcullis:Network:AllowedTargets";
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> a socket may connect to; throws <see cref="OutboundRefusedException"/> when
    /// any of them is refused. INVARIANT: callers connect to these addresses, never to a second lookup's answer.
    /// </summary>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        var allowed = addresses.Where(a => Allows(host, a)).ToArray();
        return allowed.Length == 0 || allowed.Length != addresses.Length ? throw new OutboundRefusedException(host) : allowed;
    }

    /// <summary>Whether a connection to <paramref name="address"/> (for <paramref name="host"/>) may be opened.</summary>
    public bool Allows(string host, IPAddress address) =>
        _hosts.Contains(host) || !IsInternal(address) || _ranges.Any(r => r.Contains(address));

    /// <summary>A handler for clients that reach supplied URLs: every connection checked, redirects never followed.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to addresses this guard allows.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var allowed = await ResolveAllowedAsync(context.DnsEndPoint.Host, ct);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception)
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local (and so cloud metadata), shared, unspecified or multicast.</summary>
    public static bool IsInternal(IPAddress address) => InternalAddresses.Contains(address);

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    // Plain http is allowed to what the operator named: a host name, or a literal address in an allowed range.
    private bool Configured(string host) =>
        _hosts.Contains(host) || (IPAddress.TryParse(host.Trim('[', ']'), out var literal) && _ranges.Any(r => r.Contains(literal)));
}

/// <summary>What a supplied URL may carry besides scheme, host, port and path.</summary>
/// <param name="AllowQuery">A query makes sense (a callback or MCP endpoint); not for a base URL that paths are appended to.</param>
public readonly record struct OutboundUrlRules(bool AllowQuery)
{
    /// <summary>An endpoint called as given: a query is kept, a fragment never.</summary>
    public static readonly OutboundUrlRules Endpoint = new(AllowQuery: true);

    /// <summary>A base URL that paths are appended to: neither query nor fragment.</summary>
    public static readonly OutboundUrlRules BaseUrl = new(AllowQuery: false);
}
