using System.Net;
using System.Net.Sockets;

namespace Portcullis.Connectors.Security;

/// <summary>
/// Which addresses count as internal: loopback, private (RFC 1918, unique local), link-local (and so cloud metadata),
/// shared, unspecified, reserved and multicast, also when an IPv6 address carries one of them inside (mapped,
/// compatible, NAT64, 6to4).
/// </summary>
public static class InternalAddresses
{
    private static readonly IpRange[] Ranges =
    [
        .. new[] { "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "::/128", "::1/128" }.Select(IpRange.Parse),
    ];

    private static readonly IpRange Compatible = IpRange.Parse("::/96");
    private static readonly IpRange Nat64 = IpRange.Parse("64:ff9b::/96");
    private static readonly IpRange SixToFour = IpRange.Parse("2002::/16");

    /// <summary>Whether <paramref name="address"/> is internal, directly or through the IPv4 address it embeds.</summary>
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || Ranges.Any(r => r.Contains(address)))
        {
            return true;
        }

        return Embedded(address) is { } inner && Contains(inner);
    }

    // SECURITY: an IPv6 address that a gateway or the stack turns back into IPv4 must be judged by that IPv4 address.
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        if (Compatible.Contains(address) || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
