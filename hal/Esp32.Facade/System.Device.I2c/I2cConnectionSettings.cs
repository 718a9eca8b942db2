// Facade of nanoFramework.System.Device.I2c 1.1.29 (reference only; bodies throw null).
namespace System.Device.I2c
{
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) { throw null; }

        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed) { throw null; }

        public int BusId { get { throw null; } }

        public int DeviceAddress { get { throw null; } }

        public I2cBusSpeed BusSpeed { get { throw null; } }
    }
}
