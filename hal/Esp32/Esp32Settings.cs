// Board and driver timing in one place. Values are this project's conservative defaults, not
// measured limits: the step pulse widths are several times the minimums in the A4988 (1 µs),
// DRV8825 (1.9 µs) and TMC2209 datasheets so one setting serves all three drivers; the maximum
// step rate is a bench starting point for a NEMA 17 on a peristaltic head, to be raised only
// after a test on the real rig (hardware/README.md).
namespace PumpFirmware.Hal.Esp32
{
    /// <summary>Timing and tuning constants of the ESP32 build.</summary>
    public static class Esp32Settings
    {
        /// <summary>STEP high time, µs.</summary>
        public const int StepPulseHighMicros = 5;

        /// <summary>Minimum STEP low time, µs.</summary>
        public const int StepMinLowMicros = 5;

        /// <summary>The board's maximum step rate (reported by CAL?), steps/s.</summary>
        public const int MaxStepsPerSecond = 2000;

        /// <summary>The largest step block one RMT transmission carries.</summary>
        public const int MaxBlockSteps = 64;

        /// <summary>RMT items one block may use: one memory block holds 64 (RMT_MEM_ITEM_NUM), and
        /// rmt_write_items needs one more slot for its end marker; a block of 64 or more would be
        /// refilled by a non-IRAM interrupt that flash writes hold off (see Esp32RmtStepGenerator).</summary>
        public const int MaxRmtItems = 63;

        /// <summary>True when the stepper's fault line is active low (DRV8825 nFAULT); false for TMC2209 DIAG.</summary>
        public const bool StepperFaultActiveLow = true;

        /// <summary>How long an input must hold a new level before it counts, µs.</summary>
        public const long InputDebounceMicros = 50000;

        /// <summary>The LEDC+PCNT generator's promised worst-case poll latency, µs (an assumption to check on the bench).</summary>
        public const int PcntPollLatencyMicros = 20000;

        /// <summary>Period of the LEDC+PCNT generator's count poll, µs. HighResTimer events reach
        /// managed code through nanoFramework's event queue, so the real poll gaps are longer and
        /// uneven; PcntPollLatencyMicros is the bound the stop logic assumes (check on the bench).</summary>
        public const int ControlPeriodMicros = 5000;

        /// <summary>Period of the DC head's speed loop, µs (the host tests simulate this period).</summary>
        public const int DcLoopPeriodMicros = 10000;

        /// <summary>DC head speed loop: duty permille per 1000 counts/s (calibrate per motor).</summary>
        public const int DcFeedforwardPermillePerKiloCps = 500;

        /// <summary>DC head speed loop: proportional gain, permille per count of error.</summary>
        public const int DcKpPermillePerCount = 40;

        /// <summary>DC head speed loop: integral gain, permille per count·s of error.</summary>
        public const int DcKiPermillePerCountSecond = 200;

        /// <summary>DC head: the count rate reported as the board's maximum (CAL? max_steps_s), counts/s.
        /// Project choice for the simulated motor of the tests (2000 counts/s at full duty): set it to
        /// about half of what your motor's encoder counts at full duty (measure).</summary>
        public const int DcMaxCountsPerSecond = 1000;

        /// <summary>DC head: a block that sees no encoder count for this long is given up (stall), µs.</summary>
        public const long DcStallTimeoutMicros = 300000;

        /// <summary>DC head: how long the last block's duty is held waiting for the next block, µs.</summary>
        public const long DcHoldMicros = 30000;

        /// <summary>DC head: duty ceiling, permille.</summary>
        public const int DcMaxDutyPermille = 1000;

        /// <summary>DC head H-bridge PWM frequency, Hz (TB6612FNG accepts up to 100 kHz per its datasheet; 20 kHz is above hearing).</summary>
        public const int DcPwmFrequencyHz = 20000;

        /// <summary>Software watchdog timeout, µs.</summary>
        public const long WatchdogTimeoutMicros = 4000000;

        /// <summary>Software watchdog check period, ms.</summary>
        public const int WatchdogCheckMillis = 250;

        /// <summary>Nominal pin voltage at ADC count 0 (12 dB attenuation), mV: for an uncalibrated board only.</summary>
        public const int AdcNominalOffsetMillivolts = 0;

        /// <summary>Nominal pin voltage at ADC count 4095 (12 dB attenuation), mV: for an uncalibrated board only
        /// (the ESP32's spread is tens of mV; hardware/README.md "Analog inputs" calibrates it).</summary>
        public const int AdcNominalFullScaleMillivolts = 3100;

        /// <summary>Battery divider, battery + to pin (hardware/: R10, 1 MΩ 0.1 %), Ω.</summary>
        public const int BatteryDividerTopOhms = 1000000;

        /// <summary>Battery divider, pin to ground (hardware/: R11, 1 MΩ 0.1 %), Ω.</summary>
        public const int BatteryDividerBottomOhms = 1000000;

        /// <summary>Pressure sensor divider, sensor output to pin (hardware/: R12, 10 kΩ 0.1 %), Ω.</summary>
        public const int PressureDividerTopOhms = 10000;

        /// <summary>Pressure sensor divider, pin to ground (hardware/: R13, 10 kΩ 0.1 %), Ω.</summary>
        public const int PressureDividerBottomOhms = 10000;

        /// <summary>The internal littlefs drive's root, where the record files live (r1.bin, ...).</summary>
        public const string StorageRoot = "I:\\";

        /// <summary>The marker file that records why the firmware rebooted itself.</summary>
        public const string ResetMarkerPath = "I:\\reset.cause";

        /// <summary>Protocol UART.</summary>
        public const string UartPortName = "COM2";

        /// <summary>Protocol baud rate (PROTOCOL.md: 115200 8N1).</summary>
        public const int UartBaudRate = 115200;
    }
}
