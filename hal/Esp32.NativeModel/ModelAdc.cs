// Model of nanoFramework.System.Device.Adc 1.1.24 over nf-interpreter's ESP32 ADC natives, the
// legacy-driver path the classic ESP32 takes (CONFIG_IDF_TARGET_ESP32), at the revisions named in
// NativeBoard.cs ("AdcController.cpp" and "AdcChannel.cpp" are
// targets/ESP32/_nanoCLR/System.Device.Adc/sys_dev_adc_native_System_Device_Adc_*.cpp):
//  - Channel numbers are not GPIO numbers: ADC1 channels 0..7 are GPIO 36, 37, 38, 39, 32, 33,
//    34, 35; 8 is the temperature sensor, 9 the (removed) Hall sensor; 10..19 are ADC2 on GPIO 4,
//    0, 2, 12, 13, 14, 15, 27, 25, 26 (AdcController.cpp:13-30). ChannelCount is 20 (:118).
//  - AdcController() calls NativeInit, which does nothing on the ESP32 (:170-179); the managed
//    "already instantiated" check tests an instance field (AdcController.cs:18 and 30-45 at
//    v1.1.24), so a second controller is simply another handle.
//  - OpenChannel(n) configures a 12-bit width and 12 dB attenuation for ADC1 channels 0..7
//    (:58-60, :82-91; adc1_config_channel_atten); a number outside 0..19 is
//    CLR_E_INVALID_PARAMETER (:69-72, an ArgumentException); channels 8 and 9 configure nothing.
//  - ReadValue returns adc1_get_raw's raw count, 0..4095 (AdcChannel.cpp:50), NOT millivolts:
//    the eFuse calibration is not applied, so the adapter converts with its own calibration.
//    MaxValue is 4095, MinValue 0, ResolutionInBits 12 (AdcController.cpp:126-168). Channel 9
//    reads fail with CLR_E_INVALID_PARAMETER (AdcChannel.cpp:43-45); channel 8 gives the
//    temperature sensor's byte (:39-41; the model gives 0).
//  - ADC2 reads fail with CLR_E_PIN_UNAVAILABLE when the radio holds ADC2 (AdcChannel.cpp:59-64;
//    "ADC2 cannot be used if Wifi started", AdcController.cpp:17): why the pump uses ADC1 only.
//  - Dispose calls a native that does nothing (AdcChannel.cpp:78-87); ReadValue after Dispose
//    throws ObjectDisposedException (AdcChannel.cs:36-46 at v1.1.24).
// The exception types for CLR_E_PIN_UNAVAILABLE are the model's choice (InvalidOperationException);
// the adapter treats any exception as "no reading", so nothing depends on the type.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System.Device.Adc
{
    public class AdcController
    {
        private static readonly int[] ChannelGpios = { 36, 37, 38, 39, 32, 33, 34, 35, -1, -1, 4, 0, 2, 12, 13, 14, 15, 27, 25, 26 };

        public AdcController()
        {
            NativeBoard.Log("AdcController.NativeInit");
        }

        public int ChannelCount { get { return 20; } }

        public int MaxValue { get { return 4095; } }

        public int MinValue { get { return 0; } }

        public int ResolutionInBits { get { return 12; } }

        public AdcChannel OpenChannel(int channelNumber)
        {
            if (channelNumber < 0 || channelNumber >= ChannelGpios.Length)
            {
                throw new ArgumentException("channelNumber");
            }

            NativeBoard.Log("AdcController.OpenChannel " + channelNumber);
            return new AdcChannel(this, channelNumber);
        }

        /// <summary>The GPIO of channel <paramref name="channelNumber"/> (-1 for the internal ones) - model helper.</summary>
        internal static int GpioOf(int channelNumber)
        {
            return ChannelGpios[channelNumber];
        }
    }

    public class AdcChannel : IDisposable
    {
        private readonly int _channelNumber;
        private AdcController _controller;
        private bool _disposed;

        internal AdcChannel(AdcController controller, int channelNumber)
        {
            _controller = controller;
            _channelNumber = channelNumber;
        }

        /// <summary>The raw conversion, MinValue..MaxValue (not millivolts).</summary>
        public int ReadValue()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("AdcChannel");
            }

            if (_channelNumber == 8)
            {
                return 0;
            }

            if (_channelNumber == 9)
            {
                throw new ArgumentException("Hall sensor");
            }

            if (_channelNumber >= 10 && NativeBoard.WifiStarted)
            {
                throw new InvalidOperationException("ADC2 in use by Wi-Fi");
            }

            int raw = NativeBoard.AdcRawOf(AdcController.GpioOf(_channelNumber));
            NativeBoard.Log("AdcChannel.ReadValue " + _channelNumber + " " + raw);
            return raw;
        }

        public AdcController Controller { get { return _controller; } }

        public void Dispose()
        {
            if (!_disposed)
            {
                _controller = null;
                _disposed = true;
            }
        }
    }
}
