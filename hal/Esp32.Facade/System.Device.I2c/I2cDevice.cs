// Facade of nanoFramework.System.Device.I2c 1.1.29 (reference only; bodies throw null).
using System;

namespace System.Device.I2c
{
    public class I2cDevice : IDisposable
    {
        public I2cDevice(I2cConnectionSettings settings) { throw null; }

        public static I2cDevice Create(I2cConnectionSettings settings) { throw null; }

        public I2cConnectionSettings ConnectionSettings { get { throw null; } }

        /// <summary>A missing device answers SlaveAddressNotAcknowledged (no exception); a stuck bus
        /// holds the caller up to 1000 ms, then ClockStretchTimeout.</summary>
        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) { throw null; }

        public I2cTransferResult Write(SpanByte buffer) { throw null; }

        public void Dispose() { throw null; }
    }
}
