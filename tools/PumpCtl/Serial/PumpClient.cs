// Request/response over an ISerialLine, following PROTOCOL.md's framing: every request gets
// exactly one status line, and `!` lines may arrive at any time before it. With CRC on, the
// client appends `*HHHH` to requests and checks the suffix on what comes back; a received
// line whose CRC is wrong is dropped (async) or reported (status), never trusted.
namespace PumpCtl.Serial;

/// <summary>Sends protocol requests and collects their replies.</summary>
public sealed class PumpClient
{
    private readonly ISerialLine _line;

    /// <summary>Wraps an open line.</summary>
    /// <param name="useCrc">Append a CRC to every request.</param>
    public PumpClient(ISerialLine line, bool useCrc = false)
    {
        _line = line;
        UseCrc = useCrc;
    }

    /// <summary>Whether requests carry a <c>*HHHH</c> suffix.</summary>
    public bool UseCrc { get; set; }

    /// <summary>How long to wait for a status line after the request or after the latest line
    /// received: a device that keeps streaming (a long <c>SIM:ADVANCE</c>) is still answering.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Lines thrown away because they arrived before a request was sent (the tail of an
    /// earlier, unanswered request or of another program's session).</summary>
    public long StaleLines { get; private set; }

    // A request that timed out may still be answered later; that answer must not be taken for
    // the next request's.
    private bool _owed;

    /// <summary>Received lines dropped because their CRC did not match.</summary>
    public long CorruptLines { get; private set; }

    /// <summary>The port's name.</summary>
    public string PortName => _line.Name;

    /// <summary>Sends <paramref name="request"/> and waits for its status line.</summary>
    /// <param name="onAsync">Called with each <c>!</c> line that arrives before the status line (also collected in the reply).</param>
    /// <exception cref="IOException">The link is gone, or no status line arrived within <see cref="Timeout"/>.</exception>
    public DeviceReply Request(string request, Action<string>? onAsync = null)
    {
        if (_owed)
        {
            DiscardStale(TimeSpan.FromMilliseconds(300), Timeout);
        }
        _line.WriteLine(UseCrc ? ProtocolLine.WithCrc(request) : request);
        var asyncLines = new List<string>();
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            string? raw = left > TimeSpan.Zero ? _line.ReadLine(left) : null;
            if (raw == null)
            {
                _owed = true;
                throw new DeviceTimeoutException(_line.Name, request, Timeout);
            }
            deadline = DateTime.UtcNow + Timeout;
            if (!ProtocolLine.TryStripCrc(raw, out string body))
            {
                CorruptLines++;
                if (ProtocolLine.IsStatus(body))
                {
                    throw new IOException($"{_line.Name}: the answer to '{request}' failed its CRC check: {raw}");
                }
                continue;
            }
            if (body.StartsWith('!'))
            {
                asyncLines.Add(body);
                onAsync?.Invoke(body);
            }
            else if (ProtocolLine.IsStatus(body))
            {
                return new DeviceReply(request, body, asyncLines);
            }
            // Anything else (noise after a reconnect, a terminal's echo) is not part of the
            // protocol and carries no answer; skip it.
        }
    }

    /// <summary>Throws away what the device sends until it has been quiet for <paramref name="quiet"/>:
    /// lines that belong to no request of ours. Call it after opening a port and before the
    /// first request.</summary>
    /// <param name="atMost">Give up after this long.</param>
    /// <returns>The number of lines thrown away.</returns>
    /// <exception cref="IOException">Lines were still arriving after <paramref name="atMost"/> (the device is busy with an earlier request).</exception>
    public int DiscardStale(TimeSpan quiet, TimeSpan atMost)
    {
        int count = 0;
        DateTime giveUp = DateTime.UtcNow + atMost;
        while (_line.ReadLine(quiet) != null)
        {
            count++;
            StaleLines++;
            // Past the limit, one more line within the quiet time means the device is still
            // streaming (a SIM:ADVANCE another program started), not finishing a late answer.
            if (DateTime.UtcNow > giveUp && _line.ReadLine(quiet) != null)
            {
                count++;
                StaleLines++;
                throw new IOException($"{_line.Name}: the device is still sending the answer to an earlier request ({count} lines in " +
                    $"{atMost.TotalSeconds:0.#} s); wait until it is done (or stop telemetry with TEL 0) and try again");
            }
        }
        _owed = false;
        return count;
    }

    /// <summary>Reads one line (an async line between requests), checking its CRC.</summary>
    /// <returns>The line without a CRC suffix, or null on timeout or a corrupt line.</returns>
    public string? ReadAsync(TimeSpan timeout)
    {
        string? raw = _line.ReadLine(timeout);
        if (raw == null)
        {
            return null;
        }
        if (!ProtocolLine.TryStripCrc(raw, out string body))
        {
            CorruptLines++;
            return null;
        }
        return body;
    }
}
