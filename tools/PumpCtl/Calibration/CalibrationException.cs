// The calibration cannot go on (wrong state, no program, reservoir too low, an alarm during
// a prime); the message says what to do. Nothing was sent after the point it names.
namespace PumpCtl.Calibration;

/// <summary>A calibration that stopped for a reason the user can fix.</summary>
public sealed class CalibrationException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public CalibrationException(string message) : base(message)
    {
    }
}
