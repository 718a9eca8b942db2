// A battery-backed counter that can be read finer than whole seconds. Off-time is counted down
// to the counter's resolution (never up, so no lockout or window is shortened by a reset), and
// two whole-second readings lose up to a second each; a counter that reads microseconds loses
// nothing. An RTC module with a 1 s register implements only IOffTimeClock; the virtual
// device's counter implements this too, so its clock does not lag at a power cycle.
namespace PumpFirmware.Hal
{
    /// <summary>An <see cref="IOffTimeClock"/> that also reads in microseconds.</summary>
    public interface IFineOffTimeClock : IOffTimeClock
    {
        /// <summary>Reads the counter in µs (the same counter as <see cref="IOffTimeClock.TryReadSeconds"/>, finer).</summary>
        /// <returns>false when the counter is not trustworthy (as TryReadSeconds).</returns>
        bool TryReadMicros(out long micros);
    }
}
