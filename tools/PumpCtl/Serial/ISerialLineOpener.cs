// Opening is separate from the link itself because the logger must re-open a port that
// vanished (USB unplug) and tests must be able to make opening fail on purpose.
namespace PumpCtl.Serial;

/// <summary>Opens a named port as an <see cref="ISerialLine"/>.</summary>
public interface ISerialLineOpener
{
    /// <summary>Opens <paramref name="portName"/>.</summary>
    /// <exception cref="IOException">The port does not exist (yet) or cannot be opened.</exception>
    ISerialLine Open(string portName);
}
