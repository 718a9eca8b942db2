// The ESP32 entry point: DeviceRuntime.Start builds the ESP32 HAL (hal/Esp32), wires it into the
// same PumpApplication the virtual device runs, restores the persisted state from the internal
// littlefs drive and boots; then the loop runs forever: Poll, then sleep until the application's
// next wake time (at most InputPollMicros, so serial input, occlusion and battery are seen in
// time). nanoFramework's Thread.Sleep resolves 10 ms on the ESP32, so the loop sleeps whole ticks
// and polls (yielding) through the last part (MainLoopTiming); the pulses within a block never
// depend on it: they come from the RMT (or LEDC+PCNT, or the DC loop's timer).
//
// Fail closed: an exception in the loop disables the motor and stops feeding the watchdog, which
// then reboots the board (reset=WATCHDOG) with the motor still disabled. An exception during
// start-up (before the watchdog runs) leaves the board hung with the motor disabled by its
// pull resistors; the bring-up procedure (hardware/BRINGUP.md) sees it as a missing !BOOT line.
using System.Threading;
using PumpFirmware.App;

namespace PumpFirmware.Device
{
    /// <summary>The ESP32 application.</summary>
    public static class Program
    {
        /// <summary>Runs the pump firmware; never returns.</summary>
        public static void Main()
        {
            DeviceRuntime runtime = null;
            try
            {
                runtime = DeviceRuntime.Start(DeviceConfig.DcHead, DeviceConfig.UseLedcStepGenerator, DeviceConfig.StepperHasFaultLine, DeviceConfig.HasRtc, new DeviceIdentity(DeviceConfig.Vendor, DeviceConfig.Model, DeviceConfig.Serial, DeviceConfig.FirmwareVersion),
                    AnalogSetup.Battery(), AnalogSetup.BatteryCalibration(), AnalogSetup.PressureCalibration());
                while (true)
                {
                    Thread.Sleep(runtime.RunOnce());
                }
            }
            catch (System.Exception)
            {
                if (runtime != null)
                {
                    runtime.Driver.Disable();
                }
            }

            // Hung on purpose: the watchdog sees no feed and reboots with the motor disabled.
            while (true)
            {
                if (runtime != null)
                {
                    runtime.Driver.Disable();
                }

                Thread.Sleep(1000);
            }
        }
    }
}
