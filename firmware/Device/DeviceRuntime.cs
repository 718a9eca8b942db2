// Everything the ESP32 application does before its main loop, callable: Program.Main runs it on
// the board, and the host tests run the very same code against the behavioural model of
// nanoFramework's native layer (hal/Esp32.NativeModel), so a start-up that throws, or a pin that
// glitches on its way to the first Poll, fails a test instead of a first flash.
//
// Order (fail closed): the motor's power stage is constructed first and is disabled before
// anything else runs; then storage, the reason for the last reset and the watchdog; then the
// rest of the HAL; then the application restores its persisted state and boots.
using nanoFramework.Hardware.Esp32;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Energy;
using PumpFirmware.Storage;
using System.Device.Adc;
using System.Device.Gpio;

namespace PumpFirmware.Device
{
    /// <summary>The started application and the adapters the main loop and the tests need.</summary>
    public sealed class DeviceRuntime
    {
        private Esp32MonotonicClock _clock;
        private PumpApplication _app;
        private IMotorDriver _driver;
        private Esp32SoftwareWatchdog _watchdog;
        private Esp32FaultMonitor _faultMonitor;
        private Esp32UartLink _uart;
        private Esp32SelfTest _selfTest;

        /// <summary>The application.</summary>
        public PumpApplication App { get { return _app; } }

        /// <summary>The motor's power stage.</summary>
        public IMotorDriver Driver { get { return _driver; } }

        /// <summary>The software watchdog.</summary>
        public Esp32SoftwareWatchdog Watchdog { get { return _watchdog; } }

        /// <summary>The SELFTEST command (its Sleeper is replaceable for host tests).</summary>
        public Esp32SelfTest SelfTest { get { return _selfTest; } }

        /// <summary>The fault-line monitor, or null without a fault line.</summary>
        public Esp32FaultMonitor FaultMonitor { get { return _faultMonitor; } }

        /// <summary>Builds the HAL for the chosen build, restores the persisted state and boots.</summary>
        /// <param name="dcHead">Build B (DC head) instead of build A (stepper).</param>
        /// <param name="useLedcStepGenerator">Build A: LEDC+PCNT steps instead of RMT.</param>
        /// <param name="stepperHasFaultLine">Build A: the driver has a fault output on FAULT.</param>
        /// <param name="hasRtc">A DS3231 module is fitted on I2C1 (hardware/): time spent off is
        /// then counted; without one it is unknown (Esp32NoOffTimeClock).</param>
        /// <param name="identity">*IDN? and !BOOT identity.</param>
        public static DeviceRuntime Start(bool dcHead, bool useLedcStepGenerator, bool stepperHasFaultLine, bool hasRtc, DeviceIdentity identity)
        {
            return Start(dcHead, useLedcStepGenerator, stepperHasFaultLine, hasRtc, identity, null, null, null);
        }

        /// <summary><see cref="Start(bool, bool, bool, bool, DeviceIdentity)"/> with the optional battery and analog
        /// inputs (each null when not fitted).</summary>
        /// <param name="battery">The battery's figures (a battery-powered rig: the gauge runs), or null (mains).</param>
        /// <param name="batteryCalibration">BATTERY_V's calibration when the battery voltage is wired, else null.</param>
        /// <param name="pressureCalibration">The pressure input's calibration when a sensor is wired, else null.</param>
        public static DeviceRuntime Start(bool dcHead, bool useLedcStepGenerator, bool stepperHasFaultLine, bool hasRtc, DeviceIdentity identity,
            BatteryProfile battery, AdcCalibration batteryCalibration, AdcCalibration pressureCalibration)
        {
            DeviceRuntime runtime = new DeviceRuntime();
            GpioController gpio = new GpioController();
            Esp32MonotonicClock clock = new Esp32MonotonicClock();
            runtime._clock = clock;

            // 1. The motor first, disabled.
            IDigitalInput fault = null;
            IMotorDriver driver;
            IStepGenerator steps;
            IStepFeedback feedback;
            Esp32StepperDriver stepperDriver = null;
            GpioPulseCounter loopCounter = null;
            if (dcHead)
            {
                Esp32DcMotorHead head = new Esp32DcMotorHead(gpio, PinMap.DcPwmGpio, PinMap.DcIn1Gpio, PinMap.DcIn2Gpio, PinMap.DcStandbyGpio, PinMap.DcEncoderAGpio, clock);
                driver = head;
                steps = head;
                feedback = head;
            }
            else
            {
                if (stepperHasFaultLine)
                {
                    // No debounce on the fault line: it must disable the driver at once.
                    fault = new Esp32GpioInput(gpio, PinMap.StepperFaultGpio, Esp32Settings.StepperFaultActiveLow, false, clock, 0);
                }

                Esp32StepperDriver stepper = new Esp32StepperDriver(gpio, PinMap.StepperEnableGpio, PinMap.StepperDirGpio, fault);
                driver = stepper;
                stepperDriver = stepper;
                if (useLedcStepGenerator)
                {
                    Esp32LedcPcntStepGenerator ledc = new Esp32LedcPcntStepGenerator(PinMap.StepperStepGpio, PinMap.StepperStepSenseGpio, fault);
                    steps = ledc;
                    feedback = ledc;
                }
                else
                {
                    Esp32RmtStepGenerator rmt = new Esp32RmtStepGenerator(PinMap.StepperStepGpio, clock, fault);
                    stepper.SetInterlock(rmt); // an aborted RMT block runs out with the driver held off
                    steps = rmt;
                    loopCounter = new GpioPulseCounter(PinMap.StepperStepSenseGpio); // SELFTEST's count-back
                    loopCounter.Polarity = GpioPulsePolarity.Rising;
                    loopCounter.Start();
                    feedback = rmt;
                }
            }

            driver.Disable();
            runtime._driver = driver;

            // 2. Storage, the reason for the last reset, and the watchdog.
            Esp32LittleFsFileSystem fileSystem = new Esp32LittleFsFileSystem();
            ResetCause cause = ResetCauseMarker.ReadAndClear(fileSystem, Esp32Settings.ResetMarkerPath);
            runtime._watchdog = new Esp32SoftwareWatchdog(clock, driver, fileSystem);
            if (fault != null)
            {
                runtime._faultMonitor = new Esp32FaultMonitor(fault, driver, steps);
            }

            // 3. The rest of the HAL.
            PumpHardware hardware = new PumpHardware();
            Esp32UartLink uart = new Esp32UartLink(PinMap.UartTxGpio, PinMap.UartRxGpio, clock);
            runtime._uart = uart;
            hardware.Serial = uart;
            hardware.Clock = clock;
            if (hasRtc)
            {
                hardware.OffTimeClock = new Esp32Ds3231OffTimeClock(PinMap.RtcSdaGpio, PinMap.RtcSclGpio);
            }
            else
            {
                hardware.OffTimeClock = new Esp32NoOffTimeClock();
            }

            hardware.Driver = driver;
            hardware.Steps = steps;
            hardware.Feedback = feedback;
            hardware.Occlusion = new Esp32GpioInput(gpio, PinMap.OcclusionGpio, true, true, clock, Esp32Settings.InputDebounceMicros);
            hardware.LowBattery = new Esp32GpioInput(gpio, PinMap.BatteryLowGpio, true, true, clock, Esp32Settings.InputDebounceMicros);
            hardware.Buzzer = new Esp32LedcPwmOutput(PinMap.BuzzerGpio, DeviceFunction.PWM3);
            hardware.Watchdog = runtime._watchdog;
            hardware.MaxStepsPerSecond = dcHead ? Esp32Settings.DcMaxCountsPerSecond : Esp32Settings.MaxStepsPerSecond;
            hardware.Battery = battery;
            if (batteryCalibration != null || pressureCalibration != null)
            {
                // ADC1 only (ADC2 cannot convert while the radio runs); one controller for both channels. A channel
                // that cannot be opened leaves its input not fitted (BATT? then says adc=NONE; the gauge runs on its
                // model) rather than keeping the pump from starting.
                AdcController adc = new AdcController();
                if (batteryCalibration != null)
                {
                    hardware.BatteryVoltage = OpenAnalog(adc, PinMap.BatteryVoltageGpio, batteryCalibration);
                }

                if (pressureCalibration != null)
                {
                    hardware.Pressure = OpenAnalog(adc, dcHead ? PinMap.DcPressureGpio : PinMap.PressureGpio, pressureCalibration);
                }
            }

            // 4. The application, its persisted state, and the boot line.
            PumpApplication app = new PumpApplication(hardware, identity);
            PumpPersistence persistence = new PumpPersistence(new RenamingRecordStore(fileSystem, Esp32Settings.StorageRoot), app);
            JournalOpenResult restored = persistence.Restore();
            app.SetPersistence(persistence);
            runtime._selfTest = new Esp32SelfTest(app, stepperDriver, fault, steps, feedback, loopCounter, fileSystem);
            app.SetExtension(runtime._selfTest);
            app.Boot(cause, restored == JournalOpenResult.Restored ? persistence.UnpersistedBoundSteps : 0);
            runtime._app = app;
            return runtime;
        }

        private static IAnalogInput OpenAnalog(AdcController adc, int gpio, AdcCalibration calibration)
        {
            try
            {
                return new Esp32AdcInput(adc, gpio, calibration);
            }
            catch (System.Exception)
            {
                return null;
            }
        }

        /// <summary>One pass of the main loop: Poll, then how long to sleep (ms; 0 = yield).
        /// Whole 10 ms ticks while they fit before the next wake; a yield (Sleep(0)) otherwise,
        /// so the watchdog and fault threads run while the loop polls.</summary>
        public int RunOnce()
        {
            _app.Poll();
            int sleep = MainLoopTiming.SleepMillis(_clock.NowMicros, _app.NextWakeMicros, PumpApplication.InputPollMicros);

            // While replies are queued, come back after one tick: the UART FIFO (128 bytes)
            // drains in about 11 ms at 115200 baud, and the queue is fed on each pass.
            if (_uart.PendingTxBytes > 0 && sleep > (int)(MainLoopTiming.SleepTickMicros / 1000))
            {
                sleep = (int)(MainLoopTiming.SleepTickMicros / 1000);
            }

            return sleep;
        }

        /// <summary>Ends the watchdog and fault-monitor threads (host tests; the device never does).</summary>
        public void StopThreads()
        {
            _watchdog.Stop();
            if (_faultMonitor != null)
            {
                _faultMonitor.Stop();
            }
        }
    }
}
