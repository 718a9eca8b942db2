// A software watchdog: the main loop feeds it every pass; a separate thread at the highest
// priority checks the deadline and, when the application has hung, disables the motor first,
// records WATCHDOG as the reset cause, and reboots. The ESP32's own hardware watchdogs (in the
// nanoFramework firmware image) are not reachable from C#; this one catches a hung managed
// application, which is the failure the application can cause.
using System.Threading;
using nanoFramework.Runtime.Native;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IWatchdog as a supervisor thread that reboots the board with the motor disabled.</summary>
    public sealed class Esp32SoftwareWatchdog : IWatchdog
    {
        private readonly IMonotonicClock _clock;
        private readonly IMotorDriver _motor;
        private readonly Logic.IFileSystem _fileSystem;
        private readonly WatchdogDeadline _deadline;
        private readonly Thread _thread;
        private bool _stopped; // read once per pass; the pass sleeps, so no caching across passes

        /// <summary>Starts the supervisor thread.</summary>
        /// <param name="clock">The board clock.</param>
        /// <param name="motor">Disabled before any reboot.</param>
        /// <param name="fileSystem">Where the reset-cause marker is written.</param>
        public Esp32SoftwareWatchdog(IMonotonicClock clock, IMotorDriver motor, Logic.IFileSystem fileSystem)
        {
            _clock = clock;
            _motor = motor;
            _fileSystem = fileSystem;
            _deadline = new WatchdogDeadline(Esp32Settings.WatchdogTimeoutMicros, clock.NowMicros);
            _thread = new Thread(Run);
            _thread.Priority = ThreadPriority.Highest;
            _thread.Start();
        }

        /// <inheritdoc />
        public void Feed()
        {
            _deadline.Feed(_clock.NowMicros);
        }

        /// <summary>Ends the thread after its current pass (host tests; the device never stops it).</summary>
        public void Stop()
        {
            _stopped = true;
        }

        private void Run()
        {
            while (!_stopped)
            {
                Thread.Sleep(Esp32Settings.WatchdogCheckMillis);
                if (!_stopped && _deadline.IsOverdue(_clock.NowMicros))
                {
                    _motor.Disable();
                    try
                    {
                        ResetCauseMarker.Write(_fileSystem, Esp32Settings.ResetMarkerPath, ResetCause.Watchdog);
                    }
                    catch (System.Exception)
                    {
                        // The reboot matters more than the marker: the next boot then reports POWER.
                    }

                    Power.RebootDevice();
                }
            }
        }
    }
}
