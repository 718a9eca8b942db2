// Time since this boot. The firmware core never reads a clock; the application reads this
// one and passes the time in. Resolution matters only to the shell: the core plans in µs.
namespace PumpFirmware.Hal
{
    /// <summary>A clock that starts at 0 at boot and never goes backwards.</summary>
    public interface IMonotonicClock
    {
        /// <summary>Microseconds since boot. Never decreases while powered.</summary>
        long NowMicros { get; }
    }
}
