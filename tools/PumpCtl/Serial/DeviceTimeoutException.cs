// A device that is connected but silent is a different failure from a vanished port: the
// logger retries both, but the message must say which one happened.
namespace PumpCtl.Serial;

/// <summary>The device did not send a status line in time.</summary>
public sealed class DeviceTimeoutException : IOException
{
    /// <summary>Creates the exception for <paramref name="request"/> on <paramref name="port"/>.</summary>
    public DeviceTimeoutException(string port, string request, TimeSpan timeout)
        : base($"{port}: no answer to '{request}' within {timeout.TotalSeconds:0.#} s (is this the pump's port, and is it powered?)")
    {
    }
}
