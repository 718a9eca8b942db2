// DeviceConfig's battery and analog-input choices turned into what DeviceRuntime takes: the
// battery profile (null for a mains-powered rig) and each ADC input's calibration (null when the
// input is not wired): the measured two-point line when the board was calibrated, the nominal
// divider line until then (hardware/README.md "Analog inputs").
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Energy;

namespace PumpFirmware.Device
{
    /// <summary>Battery profile and ADC calibrations from DeviceConfig.</summary>
    public static class AnalogSetup
    {
        /// <summary>The SynchroMed II-class profile with DeviceConfig's capacity, or null (mains).</summary>
        public static BatteryProfile Battery()
        {
            if (DeviceConfig.BatteryCapacityMah <= 0) return null;
            BatteryProfile p = BatteryProfile.SynchroMedClass();
            return new BatteryProfile(DeviceConfig.BatteryCapacityMah * BatteryProfile.NanocoulombsPerMilliampHour, p.BaselineNanoamps,
                p.StepNanocoulombs, p.ByteNanocoulombs, p.EriNoticeDays,
                BatteryProfile.LithiumPrimaryCurveMillivolts(), BatteryProfile.LithiumPrimaryCurvePermille());
        }

        /// <summary>BATTERY_V's calibration, or null when not wired.</summary>
        public static AdcCalibration BatteryCalibration()
        {
            if (!DeviceConfig.HasBatteryVoltage) return null;
            if (DeviceConfig.BatteryCalRawLow > 0)
            {
                return new AdcCalibration(DeviceConfig.BatteryCalRawLow, DeviceConfig.BatteryCalMillivoltsLow,
                    DeviceConfig.BatteryCalRawHigh, DeviceConfig.BatteryCalMillivoltsHigh);
            }

            return AdcCalibration.FromDivider(Esp32Settings.BatteryDividerTopOhms, Esp32Settings.BatteryDividerBottomOhms,
                Esp32Settings.AdcNominalOffsetMillivolts, Esp32Settings.AdcNominalFullScaleMillivolts);
        }

        /// <summary>The pressure input's calibration, or null when not wired.</summary>
        public static AdcCalibration PressureCalibration()
        {
            if (!DeviceConfig.HasPressureSensor) return null;
            if (DeviceConfig.PressureCalRawLow > 0)
            {
                return new AdcCalibration(DeviceConfig.PressureCalRawLow, DeviceConfig.PressureCalMillivoltsLow,
                    DeviceConfig.PressureCalRawHigh, DeviceConfig.PressureCalMillivoltsHigh);
            }

            return AdcCalibration.FromDivider(Esp32Settings.PressureDividerTopOhms, Esp32Settings.PressureDividerBottomOhms,
                Esp32Settings.AdcNominalOffsetMillivolts, Esp32Settings.AdcNominalFullScaleMillivolts);
        }
    }
}
