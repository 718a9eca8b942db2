// The pump must count time spent switched off (lockouts, the 24 h window, PIN lock), but
// must never deliver for it. A battery-backed counter (an RTC module on the bench rig, the
// simulator's virtual time) tells the application how long the power was off.
namespace PumpFirmware.Hal
{
    /// <summary>A battery-backed seconds counter that keeps running while the pump is off.</summary>
    public interface IOffTimeClock
    {
        /// <summary>Reads the counter in whole seconds.</summary>
        /// <returns>false when the counter is not trustworthy (no battery, never set); the
        /// application then counts the off-time as 0, which keeps lockouts and the 24 h window
        /// conservative (they last longer, never shorter).</returns>
        bool TryReadSeconds(out long seconds);
    }
}
