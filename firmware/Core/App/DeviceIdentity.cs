// What *IDN? and !BOOT report. Set by the shell that builds the application (the ESP32 app
// from its efuse MAC and build, the virtual device from its options).
namespace PumpFirmware.App
{
    /// <summary>The device's identity strings (ASCII, no spaces).</summary>
    public sealed class DeviceIdentity
    {
        /// <summary>Creates an identity.</summary>
        public DeviceIdentity(string vendor, string model, string serial, string firmwareVersion)
        {
            Vendor = vendor;
            Model = model;
            Serial = serial;
            FirmwareVersion = firmwareVersion;
        }

        /// <summary>*IDN? <c>vendor=</c>.</summary>
        public string Vendor { get; private set; }

        /// <summary>*IDN? <c>model=</c>.</summary>
        public string Model { get; private set; }

        /// <summary>*IDN? <c>serial=</c>.</summary>
        public string Serial { get; private set; }

        /// <summary>*IDN? and !BOOT <c>fw=</c>.</summary>
        public string FirmwareVersion { get; private set; }
    }
}
