// A failure that retrying cannot fix (the device refused the request), as opposed to a lost link.
namespace PumpCtl.Telemetry;

/// <summary>The logging run cannot go on.</summary>
public sealed class LoggerException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public LoggerException(string message) : base(message)
    {
    }
}
