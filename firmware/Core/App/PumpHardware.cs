// The HAL the application runs on, in one object so that the constructor stays readable and
// the ESP32 app and the virtual device wire it the same way. Every member is required except
// where noted (optional); the application never reaches past these interfaces.
using PumpFirmware.Hal;

namespace PumpFirmware.App
{
    /// <summary>The peripherals PumpApplication drives (constructor injection).</summary>
    public sealed class PumpHardware
    {
        /// <summary>The protocol's byte link.</summary>
        public ISerialLink Serial;

        /// <summary>Time since this boot, µs.</summary>
        public IMonotonicClock Clock;

        /// <summary>Battery-backed seconds counter, for time spent off (may report "unknown").</summary>
        public IOffTimeClock OffTimeClock;

        /// <summary>The motor's power stage (enabled only while steps are being emitted).</summary>
        public IMotorDriver Driver;

        /// <summary>Emits step blocks.</summary>
        public IStepGenerator Steps;

        /// <summary>Steps the mechanism confirmed (STALL detection).</summary>
        public IStepFeedback Feedback;

        /// <summary>Occlusion input (asserted = occluded).</summary>
        public IDigitalInput Occlusion;

        /// <summary>Battery input (asserted = below threshold).</summary>
        public IDigitalInput LowBattery;

        /// <summary>The battery's figures for the gauge (ERI, end of service, BATT?), or null when the pump runs from the
        /// mains (no gauge; the default). Optional.</summary>
        public PumpFirmware.Energy.BatteryProfile Battery;

        /// <summary>Battery voltage through the rig's divider (optional: null when the rig has no such input).</summary>
        public IAnalogInput BatteryVoltage;

        /// <summary>Catheter line pressure sensor (optional: null when the rig has none; the occlusion input stays).</summary>
        public IAnalogInput Pressure;

        /// <summary>The alarm buzzer.</summary>
        public IPwmOutput Buzzer;

        /// <summary>The watchdog, fed once per Poll.</summary>
        public IWatchdog Watchdog;

        /// <summary>The board's maximum step rate, steps/s (CAL? <c>max_steps_s</c>; 1..20000).</summary>
        public int MaxStepsPerSecond;
    }
}
