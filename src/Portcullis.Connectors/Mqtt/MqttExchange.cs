using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors.Mqtt;

/// <summary>What one session with the broker gave: the work's value, or why it failed, and whether a connection was tried.</summary>
internal sealed record MqttOutcome<T>(T? Value, ConnectorError? Error, int Attempts);

/// <summary>
/// One session with a broker: connect, do the work, disconnect. Every failure becomes a <see cref="ConnectorError"/>
/// worded by Portcullis (SECURITY: library messages can quote what the broker sent; they pass the redactor).
/// </summary>
internal static partial class MqttExchange
{
    public static async Task<MqttOutcome<T>> RunAsync<T>(MqttClientFactory factory, CredentialSecrets credential, ConnectorOptions options,
        string clientId, Func<IMqttClient, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        MqttClientOptions clientOptions;
        Uri broker;
        try
        {
            broker = MqttSession.BrokerUrl(credential);
            clientOptions = await MqttSession.OptionsAsync(credential, options, clientId, ct);
        }
        catch (CredentialFieldException e)
        {
            return new(default, new ConnectorError(e.Message, null, ConnectorErrorCodes.CredentialInvalid, null), 0);
        }
        catch (OutboundRefusedException)
        {
            return new(default, new ConnectorError(
                "the broker URL resolves to a loopback, private, link-local or metadata address (url_not_allowed); an operator can allow it in Portcullis:Network:AllowedTargets",
                null, ConnectorErrorCodes.UrlNotAllowed, null), 0);
        }
        catch (SocketException e)
        {
            // The guard's own look-up failed: the same words as a connection that could not resolve the host.
            return new(default, new ConnectorError(
                $"could not connect to the broker at {MqttSession.BrokerUrl(credential).IdnHost}: {Snake(e.SocketErrorCode.ToString()).Replace('_', ' ')}",
                null, ConnectorErrorCodes.NetworkError, null), 1);
        }

        using var client = factory.CreateMqttClient();
        // Connecting and the broker's acknowledgement each have the per-step time-out; this bounds the whole session.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout * 2);
        try
        {
            var connected = await client.ConnectAsync(clientOptions, deadline.Token);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttRefusedException($"the broker at {broker.IdnHost} refused the connection: {connected.ResultCode}{Advice(connected.ResultCode)}",
                    $"mqtt_{Snake(connected.ResultCode.ToString())}");
            }

            var value = await work(client, deadline.Token);
            await DisconnectQuietlyAsync(client);
            return new(value, null, 1);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return new(default, Describe(e, broker, options, new SecretRedactor(credential.SecretValues())), 1);
        }
    }

    private static string Advice(MqttClientConnectResultCode code) => code is MqttClientConnectResultCode.BadUserNameOrPassword
        or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadAuthenticationMethod
        ? "; check the credential's username and password (or client certificate)"
        : "";

    /// <summary><c>BadUserNameOrPassword</c> → <c>bad_user_name_or_password</c>.</summary>
    public static string Snake(string name) => CapitalAfterLetter().Replace(name, "_$1").ToLowerInvariant();

    private static ConnectorError Describe(Exception e, Uri broker, ConnectorOptions options, SecretRedactor redactor)
    {
        var where = $"{broker.IdnHost}:{(broker.Port > 0 ? broker.Port : broker.Scheme == "mqtts" ? 8883 : 1883)}";
        return e switch
        {
            MqttRefusedException refused => new(redactor.Redact(refused.Message), null, refused.Code, null),
            _ when Find<AuthenticationException>(e) is not null => new($"the TLS handshake with {where} failed (certificate or protocol refused)", null, ConnectorErrorCodes.NetworkError, null),
            _ when Find<SocketException>(e) is { } socket => new($"could not connect to the broker at {where}: {Snake(socket.SocketErrorCode.ToString()).Replace('_', ' ')}", null, ConnectorErrorCodes.NetworkError, null),
            MqttConnectingFailedException => new(redactor.Redact($"the broker at {where} refused the connection: {e.Message.TrimEnd('.')}"), null, "mqtt_connection_refused", null),
            MqttCommunicationTimedOutException or OperationCanceledException or TimeoutException =>
                new($"the broker at {where} did not answer within {options.Timeout.TotalSeconds:0.###} s", null, ConnectorErrorCodes.Timeout, null),
            MqttCommunicationException or MqttClientDisconnectedException =>
                new($"the connection to the broker at {where} failed ({e.GetType().Name})", null, ConnectorErrorCodes.NetworkError, null),
            _ => new($"the exchange with the broker at {where} failed ({e.GetType().Name})", null, ConnectorErrorCodes.NetworkError, null),
        };
    }

    private static TException? Find<TException>(Exception? e) where TException : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is TException found)
            {
                return found;
            }
        }

        return null;
    }

    private static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), quick.Token);
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // The work is done; a broker that drops the line first changes nothing.
        }
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex CapitalAfterLetter();
}
