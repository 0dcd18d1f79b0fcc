using System.Net;

namespace Portcullis.Connectors.Security;

/// <summary>An address range in CIDR notation (<c>10.0.0.0/8</c>, <c>fc00::/7</c>); a bare address is a range of one.</summary>
public readonly record struct IpRange(IPAddress Network, int PrefixLength)
{
    /// <summary>Parses <c>address</c> or <c>address/prefix</c>.</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static IpRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"`{text}` is not an address or CIDR range");

    /// <summary>Parses <c>address</c> or <c>address/prefix</c>; false for anything else.</summary>
    public static bool TryParse(string text, out IpRange range)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        range = default;
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bits = address.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && !(int.TryParse(text[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out prefix) && prefix >= 0 && prefix <= bits))
        {
            return false;
        }

        range = new IpRange(address, prefix);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> lies in the range (an IPv4-mapped IPv6 address counts as IPv4).</summary>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        if (a.Length != n.Length)
        {
            return false;
        }

        var full = PrefixLength / 8;
        var rest = PrefixLength % 8;
        if (!a.AsSpan(0, full).SequenceEqual(n.AsSpan(0, full)))
        {
            return false;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (a[full] & mask) == (n[full] & mask);
    }
}
