// Opens real ports. Kept apart from SerialPortLine so that the commands take an opener and
// the tests can hand them a fake.
namespace PumpCtl.Serial;

/// <summary>Opens System.IO.Ports ports with the pump's framing (115200 8N1, LF) or a balance's.</summary>
public sealed class SerialPortOpener : ISerialLineOpener
{
    private readonly int _baudRate;
    private readonly string _terminator;

    /// <summary>An opener for ports at <paramref name="baudRate"/> baud that end lines with <paramref name="terminator"/>.</summary>
    public SerialPortOpener(int baudRate = 115200, string terminator = "\n")
    {
        _baudRate = baudRate;
        _terminator = terminator;
    }

    /// <summary>The pump's framing: 115200 baud, LF.</summary>
    public static SerialPortOpener Pump { get; } = new();

    /// <inheritdoc />
    public ISerialLine Open(string portName) => new SerialPortLine(portName, _baudRate, _terminator);
}
