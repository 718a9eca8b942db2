// A balance on its own serial port, read once per telemetry line with `SI`. A balance that
// vanishes or stays silent gives empty mass cells, never a stopped log: the pump's telemetry
// is the primary record. A lost balance is re-opened, at most once every few seconds.
using PumpCtl.Serial;

namespace PumpCtl.Balance;

/// <summary>Reads mass from an MT-SICS balance.</summary>
public sealed class MtSicsBalance : IDisposable
{
    private static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(5);

    private readonly ISerialLineOpener _opener;
    private readonly string _portName;
    private ISerialLine? _line;
    private DateTime _nextOpenUtc = DateTime.MinValue;

    /// <summary>A balance on <paramref name="portName"/>, opened on first use.</summary>
    public MtSicsBalance(ISerialLineOpener opener, string portName)
    {
        _opener = opener;
        _portName = portName;
    }

    /// <summary>How long to wait for a reply.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Readings that gave no mass (errors, timeouts, a missing port).</summary>
    public long Failures { get; private set; }

    /// <summary>The last reason a reading failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>Sends <c>SI</c> and parses the reply.</summary>
    public MtSicsReading Read()
    {
        try
        {
            if (_line == null)
            {
                if (DateTime.UtcNow < _nextOpenUtc)
                {
                    return Failed(LastError ?? "balance not connected");
                }
                _nextOpenUtc = DateTime.UtcNow + ReopenInterval;
                _line = _opener.Open(_portName);
            }
            _line.WriteLine("SI");
            string? reply = _line.ReadLine(Timeout);
            if (reply == null)
            {
                return Failed($"balance on {_portName}: no reply to SI within {Timeout.TotalSeconds:0.#} s");
            }
            MtSicsReading reading = MtSicsParser.Parse(reply);
            return reading.HasValue ? reading : Failed(reading.Error!);
        }
        catch (IOException e)
        {
            _line?.Dispose();
            _line = null;
            return Failed(e.Message);
        }
    }

    private MtSicsReading Failed(string why)
    {
        Failures++;
        LastError = why;
        return new MtSicsReading(null, false, why);
    }

    /// <inheritdoc />
    public void Dispose() => _line?.Dispose();
}
