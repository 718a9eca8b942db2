// Raw ESP32 ADC counts to millivolts at the input terminal (before the rig's divider), as a
// straight line through two points. nanoFramework's AdcChannel.ReadValue returns the raw 12-bit
// count of adc1_get_raw (nf-interpreter targets/ESP32/_nanoCLR/System.Device.Adc/
// sys_dev_adc_native_System_Device_Adc_AdcChannel.cpp:50), with no eFuse calibration, at 12 dB
// attenuation (…_AdcController.cpp:58-60, :84-86): a count means a different voltage on every
// chip, so each board is calibrated against a multimeter (hardware/README.md "Analog inputs").
// The line goes through two measured points, which takes in the divider's ratio, the ADC's gain
// and its offset at once; FromDivider gives the nominal line for a board not yet calibrated.
// Counts at the ends of the scale (0, 4095) are out of range (clipped): no reading, never a value.
// Integer arithmetic only (nano-safe); averaging several conversions is the adapter's.
namespace PumpFirmware.Hal.Esp32.Logic
{
    /// <summary>Two-point calibration of one ADC input: raw counts to terminal millivolts.</summary>
    public sealed class AdcCalibration
    {
        /// <summary>Largest raw count (12 bits; AdcController.MaxValue on the ESP32).</summary>
        public const int MaxRaw = 4095;

        private readonly int _rawLow;
        private readonly int _millivoltsLow;
        private readonly int _rawHigh;
        private readonly int _millivoltsHigh;

        /// <summary>The line through (<paramref name="rawLow"/>, <paramref name="millivoltsLow"/>) and
        /// (<paramref name="rawHigh"/>, <paramref name="millivoltsHigh"/>): raw counts 1..4094, rawLow &lt; rawHigh,
        /// terminal mV as measured with a multimeter while the counts were read.</summary>
        public AdcCalibration(int rawLow, int millivoltsLow, int rawHigh, int millivoltsHigh)
        {
            if (rawLow < 1 || rawHigh > MaxRaw - 1 || rawLow >= rawHigh)
            {
                throw new System.ArgumentOutOfRangeException("rawLow");
            }

            _rawLow = rawLow;
            _millivoltsLow = millivoltsLow;
            _rawHigh = rawHigh;
            _millivoltsHigh = millivoltsHigh;
        }

        /// <summary>The nominal line of an uncalibrated board: a divider of <paramref name="topOhms"/> (input to pin)
        /// over <paramref name="bottomOhms"/> (pin to ground), and an ADC whose count 0 is
        /// <paramref name="pinOffsetMillivolts"/> and count 4095 is <paramref name="pinFullScaleMillivolts"/> at the pin
        /// (Esp32Settings: 0 and 3100 nominal at 12 dB). Errs by the ADC's spread (tens of mV): calibrate.</summary>
        public static AdcCalibration FromDivider(int topOhms, int bottomOhms, int pinOffsetMillivolts, int pinFullScaleMillivolts)
        {
            if (topOhms < 0 || bottomOhms <= 0 || pinFullScaleMillivolts <= pinOffsetMillivolts)
            {
                throw new System.ArgumentOutOfRangeException("bottomOhms");
            }

            long total = (long)topOhms + bottomOhms;
            // Terminal mV at raw 1024 and 3072, each the pin voltage times (top + bottom) / bottom.
            int low = (int)(((long)pinOffsetMillivolts + (long)(pinFullScaleMillivolts - pinOffsetMillivolts) * 1024 / MaxRaw) * total / bottomOhms);
            int high = (int)(((long)pinOffsetMillivolts + (long)(pinFullScaleMillivolts - pinOffsetMillivolts) * 3072 / MaxRaw) * total / bottomOhms);
            return new AdcCalibration(1024, low, 3072, high);
        }

        /// <summary>Converts the sum of <paramref name="samples"/> raw counts (each already checked with
        /// <see cref="InRange"/>) to terminal mV, rounded to the nearest.</summary>
        /// <returns>false when the result would not be a sensible voltage (negative).</returns>
        public bool TryConvert(long rawSum, int samples, out int millivolts)
        {
            millivolts = 0;
            if (samples < 1)
            {
                return false;
            }

            // mV x denominator, then rounded half up: mvLow + (sum/samples - rawLow) x dMv / dRaw.
            long denominator = (long)samples * (_rawHigh - _rawLow);
            long scaled = (long)_millivoltsLow * denominator + (rawSum - (long)samples * _rawLow) * (_millivoltsHigh - _millivoltsLow);
            if (scaled < 0)
            {
                return false;
            }

            long mv = (scaled + denominator / 2) / denominator;
            if (mv > int.MaxValue)
            {
                return false;
            }

            millivolts = (int)mv;
            return true;
        }

        /// <summary>True for a count the ADC can vouch for: not clipped at either end of the scale.</summary>
        public static bool InRange(int raw)
        {
            return raw > 0 && raw < MaxRaw;
        }

        /// <summary>The ADC1 channel of an ESP32 GPIO (nanoFramework's numbering, …_AdcController.cpp:13: channel 0 =
        /// GPIO36, 1 = 37, 2 = 38, 3 = 39, 4 = 32, 5 = 33, 6 = 34, 7 = 35), or -1: ADC2 pins are refused, since ADC2
        /// cannot convert while the radio runs (same file, line 17).</summary>
        public static int Adc1ChannelOf(int gpio)
        {
            switch (gpio)
            {
                case 36: return 0;
                case 37: return 1;
                case 38: return 2;
                case 39: return 3;
                case 32: return 4;
                case 33: return 5;
                case 34: return 6;
                case 35: return 7;
                default: return -1;
            }
        }
    }
}
