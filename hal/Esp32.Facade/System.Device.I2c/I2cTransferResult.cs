// Facade of nanoFramework.System.Device.I2c 1.1.29 (reference only; bodies throw null).
namespace System.Device.I2c
{
    public struct I2cTransferResult
    {
        private readonly uint _bytesTransferred;
        private readonly I2cTransferStatus _status;

        public uint BytesTransferred { get { throw null; } }

        public I2cTransferStatus Status { get { throw null; } }
    }
}
