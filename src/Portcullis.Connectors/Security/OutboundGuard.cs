using System.Net;
using System.Net.Sockets;

namespace Portcullis.Connectors.Security;

/// <summary>
/// SECURITY: keeps URLs that admins or agents supply (upstream MCP servers, and any other outbound target that opts in) off
/// loopback, private, link-local, shared and metadata addresses unless the operator allowed them in
/// <c>Portcullis:Network:AllowedTargets</c> (host names, IP addresses or CIDR ranges). The check runs twice: on the URL when
/// it is saved, for a clear answer, and on every connection, so a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class OutboundGuard
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IpRange> _ranges = [];

    /// <summary>A guard that lets through the internal targets named in <paramref name="allowedTargets"/>.</summary>
    public OutboundGuard(IEnumerable<string> allowedTargets)
    {
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

    /// <summary>Why the URL may not be used (lowercase, no final period), or null when it may.</summary>
    public async Task<string?> ProblemAsync(Uri url, CancellationToken ct)
    {
        if (url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0)
        {
            return "must be an absolute http or https URL without user info";
        }

        if (_hosts.Contains(url.IdnHost))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"the host `{url.IdnHost}` does not resolve";
        }

        var refused = addresses.FirstOrDefault(a => !Allows(url.IdnHost, a));
        return refused is null ? null
            : $"`{url.IdnHost}` is a loopback, private, link-local or metadata address ({refused}); an operator can allow it in Portcullis:Network:AllowedTargets";
    }

    /// <summary>Whether a connection to <paramref name="address"/> (for <paramref name="host"/>) may be opened.</summary>
    public bool Allows(string host, IPAddress address) =>
        _hosts.Contains(host) || !IsInternal(address) || _ranges.Any(r => r.Contains(address));

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to addresses this guard allows.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => Allows(host, a)).ToArray();
        if (allowed.Length == 0 || allowed.Length != addresses.Length)
        {
            throw new HttpRequestException($"outbound connection to `{host}` refused: it resolves to an internal address");
        }

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
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address) || Internal.Any(r => r.Contains(address))
            || (address.AddressFamily == AddressFamily.InterNetworkV6
                && (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6None)));
    }

    private static readonly IpRange[] Internal =
    [
        .. new[] { "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "fc00::/7", "::/128" }.Select(IpRange.Parse),
    ];
}
