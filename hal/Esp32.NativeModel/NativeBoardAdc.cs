// The analog side of the model board: the voltage on each ADC pin (what the circuit around the
// ESP32 puts there: a battery through its divider, a pressure sensor) and the ADC's transfer
// from pin voltage to raw count. The transfer is a model assumption, not an upstream fact: a
// straight line from AdcOffsetMillivolts (count 0) to AdcFullScaleMillivolts (count 4095),
// clamped. The silicon's is neither straight nor the same from chip to chip (at 12 dB
// attenuation Espressif specifies roughly 150 to 2450 mV as the accurate range), which is why
// the adapter is calibrated per board against a multimeter (hardware/README.md "Analog inputs").
using System;
using System.Collections.Generic;

namespace PumpFirmware.Esp32.NativeModel
{
    public static partial class NativeBoard
    {
        private static readonly Dictionary<int, int> s_analogMillivolts = new Dictionary<int, int>();

        /// <summary>Pin voltage at raw count 0, mV (model default 75).</summary>
        public static int AdcOffsetMillivolts { get; set; } = 75;

        /// <summary>Pin voltage at raw count 4095, mV (model default 3100; above it the count stays 4095).</summary>
        public static int AdcFullScaleMillivolts { get; set; } = 3100;

        /// <summary>Wi-Fi is started: ADC2 conversions then fail (the ESP32's ADC2 is shared with the radio).</summary>
        public static bool WifiStarted { get; set; }

        /// <summary>Puts <paramref name="millivolts"/> on <paramref name="gpio"/> (0 until set).</summary>
        public static void SetAnalogMillivolts(int gpio, int millivolts)
        {
            lock (Sync)
            {
                s_analogMillivolts[gpio] = millivolts;
            }
        }

        /// <summary>The raw count a 12-bit conversion of <paramref name="gpio"/> gives now (the transfer above).</summary>
        public static int AdcRawOf(int gpio)
        {
            lock (Sync)
            {
                int mv;
                s_analogMillivolts.TryGetValue(gpio, out mv);
                long raw = (long)(mv - AdcOffsetMillivolts) * 4095 / (AdcFullScaleMillivolts - AdcOffsetMillivolts);
                return (int)Math.Max(0, Math.Min(4095, raw));
            }
        }

        private static void ResetAdc()
        {
            s_analogMillivolts.Clear();
            AdcOffsetMillivolts = 75;
            AdcFullScaleMillivolts = 3100;
            WifiStarted = false;
        }
    }
}
