// An analog input on an ESP32 ADC1 pin (battery voltage through a divider, a pressure sensor):
// nanoFramework's AdcChannel gives raw 12-bit counts (nf-interpreter
// targets/ESP32/_nanoCLR/System.Device.Adc/sys_dev_adc_native_System_Device_Adc_AdcChannel.cpp:50,
// adc1_get_raw, 12 dB attenuation set at OpenChannel: …_AdcController.cpp:58-60, :84-86); this
// adapter averages a few conversions (the ESP32's ADC is noisy by several counts) and converts
// them with the board's calibration (Logic/AdcCalibration) to millivolts at the input terminal,
// before the divider. A conversion that throws or is clipped (0 or 4095) makes the whole reading
// "no reading" (false), which the rule treats as a fault, never as a voltage.
using System;
using System.Device.Adc;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IAnalogInput on an ADC1 pin with a two-point calibration.</summary>
    public sealed class Esp32AdcInput : IAnalogInput
    {
        /// <summary>Conversions averaged per reading.</summary>
        public const int SamplesPerReading = 8;

        private readonly AdcChannel _channel;
        private readonly AdcCalibration _calibration;

        /// <summary>Opens the ADC1 channel of <paramref name="gpio"/> (ArgumentException for a pin that is not on ADC1).</summary>
        public Esp32AdcInput(AdcController controller, int gpio, AdcCalibration calibration)
        {
            int channel = AdcCalibration.Adc1ChannelOf(gpio);
            if (channel < 0)
            {
                throw new ArgumentException("gpio is not an ADC1 pin");
            }

            if (calibration == null)
            {
                throw new ArgumentNullException("calibration");
            }

            _calibration = calibration;
            _channel = controller.OpenChannel(channel);
        }

        /// <inheritdoc/>
        public bool TryReadMillivolts(out int millivolts)
        {
            millivolts = 0;
            long sum = 0;
            for (int i = 0; i < SamplesPerReading; i++)
            {
                int raw;
                try
                {
                    raw = _channel.ReadValue();
                }
                catch (Exception)
                {
                    return false;
                }

                if (!AdcCalibration.InRange(raw))
                {
                    return false;
                }

                sum += raw;
            }

            return _calibration.TryConvert(sum, SamplesPerReading, out millivolts);
        }
    }
}
