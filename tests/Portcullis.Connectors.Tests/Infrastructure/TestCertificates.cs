using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>A throw-away CA with a server certificate for localhost and a client certificate, as PEM.</summary>
public sealed record TestCertificates(string CaPem, string ServerCertPem, string ServerKeyPem, string ClientPem, string StrangerClientPem)
{
    public static TestCertificates Create()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Portcullis Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        var (serverCert, serverKey) = Issue(ca, "CN=localhost", san.Build(), "1.3.6.1.5.5.7.3.1");
        var (clientCert, clientKey) = Issue(ca, "CN=portcullis-device-gateway", null, "1.3.6.1.5.5.7.3.2");

        // A client certificate from a CA the broker does not trust.
        using var otherKey = RSA.Create(2048);
        using var stranger = new CertificateRequest("CN=stranger", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        return new TestCertificates(ca.ExportCertificatePem(), serverCert, serverKey, clientCert + "\n" + clientKey,
            stranger.ExportCertificatePem() + "\n" + otherKey.ExportPkcs8PrivateKeyPem());
    }

    private static (string Cert, string Key) Issue(X509Certificate2 ca, string subject, X509Extension? san, string usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(12));
        return (issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
