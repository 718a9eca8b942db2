// The ESP32 entry point: builds the ESP32 HAL (hal/Esp32), wires it into the same
// PumpApplication the virtual device runs, restores the persisted state from the internal
// littlefs drive, boots, and then loops forever: Poll, then sleep until the application's
// next wake time (at most InputPollMicros, so serial input, occlusion and battery are seen in
// time). nanoFramework's Thread.Sleep resolves 10 ms on the ESP32, so the loop sleeps whole ticks
// and polls (yielding) through the last part (MainLoopTiming); the pulses within a block never
// depend on it: they come from the RMT (or LEDC+PCNT, or the DC loop's timer).
//
// Fail closed: the motor's power stage is the first thing constructed and is disabled before
// anything else runs; an exception in the loop disables it and stops feeding the watchdog, which
// then reboots the board (reset=WATCHDOG) with the motor still disabled.
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Storage;

namespace PumpFirmware.Device
{
    /// <summary>The ESP32 application.</summary>
    public static class Program
    {
        /// <summary>Runs the pump firmware; never returns.</summary>
        public static void Main()
        {
            GpioController gpio = new GpioController();
            Esp32MonotonicClock clock = new Esp32MonotonicClock();

            // 1. The motor first, disabled.
            IDigitalInput fault = null;
            IMotorDriver driver;
            IStepGenerator steps;
            IStepFeedback feedback;
            if (DeviceConfig.DcHead)
            {
                Esp32DcMotorHead head = new Esp32DcMotorHead(gpio, PinMap.DcPwmGpio, PinMap.DcIn1Gpio, PinMap.DcIn2Gpio, PinMap.DcStandbyGpio, PinMap.DcEncoderAGpio, clock);
                driver = head;
                steps = head;
                feedback = head;
            }
            else
            {
                if (DeviceConfig.StepperHasFaultLine)
                {
                    // No debounce on the fault line: it must disable the driver at once.
                    fault = new Esp32GpioInput(gpio, PinMap.StepperFaultGpio, Esp32Settings.StepperFaultActiveLow, false, clock, 0);
                }

                driver = new Esp32StepperDriver(gpio, PinMap.StepperEnableGpio, PinMap.StepperDirGpio, fault);
                if (DeviceConfig.UseLedcStepGenerator)
                {
                    Esp32LedcPcntStepGenerator ledc = new Esp32LedcPcntStepGenerator(PinMap.StepperStepGpio, PinMap.StepperStepSenseGpio, fault);
                    steps = ledc;
                    feedback = ledc;
                }
                else
                {
                    Esp32RmtStepGenerator rmt = new Esp32RmtStepGenerator(PinMap.StepperStepGpio, clock, fault);
                    steps = rmt;
                    feedback = rmt;
                }
            }

            driver.Disable();

            // 2. Storage, the reason for the last reset, and the watchdog.
            Esp32LittleFsFileSystem fileSystem = new Esp32LittleFsFileSystem();
            ResetCause cause = ResetCauseMarker.ReadAndClear(fileSystem, Esp32Settings.ResetMarkerPath);
            Esp32SoftwareWatchdog watchdog = new Esp32SoftwareWatchdog(clock, driver, fileSystem);
            if (fault != null)
            {
                new Esp32FaultMonitor(fault, driver, steps);
            }

            // 3. The rest of the HAL.
            PumpHardware hardware = new PumpHardware();
            hardware.Serial = new Esp32UartLink(PinMap.UartTxGpio, PinMap.UartRxGpio);
            hardware.Clock = clock;
            hardware.OffTimeClock = new Esp32NoOffTimeClock();
            hardware.Driver = driver;
            hardware.Steps = steps;
            hardware.Feedback = feedback;
            hardware.Occlusion = new Esp32GpioInput(gpio, PinMap.OcclusionGpio, true, true, clock, Esp32Settings.InputDebounceMicros);
            hardware.LowBattery = new Esp32GpioInput(gpio, PinMap.BatteryLowGpio, true, true, clock, Esp32Settings.InputDebounceMicros);
            hardware.Buzzer = new Esp32LedcPwmOutput(PinMap.BuzzerGpio, DeviceFunction.PWM3);
            hardware.Watchdog = watchdog;
            hardware.MaxStepsPerSecond = DeviceConfig.DcHead ? Esp32Settings.DcMaxCountsPerSecond : Esp32Settings.MaxStepsPerSecond;

            // 4. The application, its persisted state, and the boot line.
            PumpApplication app = new PumpApplication(hardware, new DeviceIdentity(DeviceConfig.Vendor, DeviceConfig.Model, DeviceConfig.Serial, DeviceConfig.FirmwareVersion));
            PumpPersistence persistence = new PumpPersistence(new RenamingRecordStore(fileSystem, Esp32Settings.StorageRoot), app);
            JournalOpenResult restored = persistence.Restore();
            app.SetPersistence(persistence);
            app.Boot(cause, restored == JournalOpenResult.Restored ? persistence.UnpersistedBoundSteps : 0);

            // 5. The main loop.
            try
            {
                while (true)
                {
                    app.Poll();
                    // Whole 10 ms ticks while they fit before the next wake; a yield (Sleep(0))
                    // otherwise, so the watchdog and fault threads run while the loop polls.
                    Thread.Sleep(MainLoopTiming.SleepMillis(clock.NowMicros, app.NextWakeMicros, PumpApplication.InputPollMicros));
                }
            }
            catch (System.Exception)
            {
                driver.Disable();
            }

            // Hung on purpose: the watchdog sees no feed and reboots with the motor disabled.
            while (true)
            {
                driver.Disable();
                Thread.Sleep(1000);
            }
        }
    }
}
