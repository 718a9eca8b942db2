// The one seam between pumpctl and a byte link: a line-oriented port. The real one wraps
// System.IO.Ports (a tty, a USB CDC device or the virtual device's pty); tests use a fake, so
// the logger, the script runner and the balance reader are tested without hardware.
namespace PumpCtl.Serial;

/// <summary>A line-oriented, full-duplex link to a pump or a balance.</summary>
public interface ISerialLine : IDisposable
{
    /// <summary>The port's name, for messages (e.g. <c>/dev/ttyUSB0</c>).</summary>
    string Name { get; }

    /// <summary>Sends <paramref name="line"/> followed by the terminator (LF for the pump, CR LF for MT-SICS).</summary>
    /// <exception cref="IOException">The link is gone (e.g. the USB cable was pulled).</exception>
    void WriteLine(string line);

    /// <summary>Waits up to <paramref name="timeout"/> for one complete line, without its CR/LF.</summary>
    /// <returns>The line, or null when none arrived in time (a partial line is kept for the next call).</returns>
    /// <exception cref="IOException">The link is gone.</exception>
    string? ReadLine(TimeSpan timeout);
}
