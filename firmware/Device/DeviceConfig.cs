// Which rig this image is built for, and what it says about itself. Change these per board
// before building (docs/DEVICE.md); everything else is in hal/Esp32/Esp32Settings.cs.
namespace PumpFirmware.Device
{
    /// <summary>Build-time choices of the ESP32 application.</summary>
    public static class DeviceConfig
    {
        /// <summary>True for build B (DC head with encoder, TB6612FNG); false for build A (stepper).</summary>
        public static readonly bool DcHead = false;

        /// <summary>Build A only: true to make steps with LEDC PWM + PCNT (STEP jumpered to
        /// STEP_SENSE) instead of the RMT peripheral, for a board whose RMT channels are taken.</summary>
        public static readonly bool UseLedcStepGenerator = false;

        /// <summary>Build A only: true when the driver has a fault line on FAULT (DRV8825, TMC2209);
        /// false for an A4988, which has none (then no stall can be detected).</summary>
        public static readonly bool StepperHasFaultLine = true;

        /// <summary>True when a DS3231 RTC module is wired to I2C1 (RTC_SDA/RTC_SCL, hardware/):
        /// time spent switched off is then counted; false: it is unknown.</summary>
        public static readonly bool HasRtc = false;

        /// <summary>The battery that powers the rig, nominal mAh, for the battery gauge (ERI, end of service, BATT?;
        /// docs/PROTOCOL.md "Battery"); 0 when the rig runs from the mains or USB (no gauge). The other figures are the
        /// SynchroMed II-class ones of Energy/BatteryProfile; a rig whose cell differs gives its own profile in
        /// DeviceRuntime.</summary>
        public static readonly int BatteryCapacityMah = 0;

        /// <summary>True when the battery's voltage is wired to BATTERY_V through its divider (hardware/).</summary>
        public static readonly bool HasBatteryVoltage = false;

        /// <summary>True when a pressure sensor is wired to PRESSURE (build A) or PRESSURE_DC (build B) (hardware/).</summary>
        public static readonly bool HasPressureSensor = false;

        /// <summary>Battery input calibration (hardware/README.md "Analog inputs"): two raw counts and the battery
        /// voltages, mV, a multimeter showed while they were read. RawLow 0: not calibrated, the nominal divider
        /// line is used (tens of mV off).</summary>
        public static readonly int BatteryCalRawLow = 0, BatteryCalMillivoltsLow = 0, BatteryCalRawHigh = 0, BatteryCalMillivoltsHigh = 0;

        /// <summary>Pressure input calibration, as for the battery: sensor output voltages, mV.</summary>
        public static readonly int PressureCalRawLow = 0, PressureCalMillivoltsLow = 0, PressureCalRawHigh = 0, PressureCalMillivoltsHigh = 0;

        /// <summary>*IDN? vendor.</summary>
        public const string Vendor = "PumpFirmware";

        /// <summary>*IDN? model.</summary>
        public const string Model = "PF-ESP32";

        /// <summary>*IDN? serial: set a different one per board (ASCII, no spaces).</summary>
        public const string Serial = "BENCH-0001";

        /// <summary>Firmware version reported by *IDN? and !BOOT.</summary>
        public const string FirmwareVersion = "1.0.0";
    }
}
