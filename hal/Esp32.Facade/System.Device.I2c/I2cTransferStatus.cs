// Facade of nanoFramework.System.Device.I2c 1.1.29 (reference only; bodies throw null).
namespace System.Device.I2c
{
    public enum I2cTransferStatus
    {
        UnknownError,
        FullTransfer,
        ClockStretchTimeout,
        PartialTransfer,
        SlaveAddressNotAcknowledged,
    }
}
